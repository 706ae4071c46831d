package io.tidemill.state;

import java.util.Objects;
import java.util.function.BinaryOperator;

/**
 * Names a piece of keyed state and its kind. Created with the static factories:
 *
 * <pre>{@code
 * ValueState<Long> count = ctx.state(StateDescriptor.value("count"));
 * }</pre>
 *
 * @param <S> the state interface it yields
 */
public final class StateDescriptor<S> {
    /** The kinds of keyed state. */
    public enum Kind { VALUE, LIST, MAP, REDUCING }

    private final String name;
    private final Kind kind;
    private final BinaryOperator<?> reducer;

    private StateDescriptor(String name, Kind kind, BinaryOperator<?> reducer) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("state name must not be blank");
        }
        this.name = name;
        this.kind = kind;
        this.reducer = reducer;
    }

    public static <T> StateDescriptor<ValueState<T>> value(String name) {
        return new StateDescriptor<>(name, Kind.VALUE, null);
    }

    public static <T> StateDescriptor<ListState<T>> list(String name) {
        return new StateDescriptor<>(name, Kind.LIST, null);
    }

    public static <K, V> StateDescriptor<MapState<K, V>> map(String name) {
        return new StateDescriptor<>(name, Kind.MAP, null);
    }

    public static <T> StateDescriptor<ReducingState<T>> reducing(String name, BinaryOperator<T> reducer) {
        return new StateDescriptor<>(name, Kind.REDUCING, Objects.requireNonNull(reducer, "reducer"));
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    BinaryOperator<?> reducer() {
        return reducer;
    }
}
