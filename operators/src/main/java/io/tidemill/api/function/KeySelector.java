package io.tidemill.api.function;

/**
 * Extracts the key of a record. It must be deterministic, return a non-null key, and the key must
 * have a stable {@code hashCode} (records, strings and boxed numbers do; arrays and enums' identity
 * hash codes across JVMs do not).
 */
@FunctionalInterface
public interface KeySelector<T, K> {
    K getKey(T value) throws Exception;
}
