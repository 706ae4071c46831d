package io.tidemill.state;

/**
 * A key type whose hash differs between JVMs: its keys would land in other key groups after a
 * restart, or on two subtasks in a cluster.
 */
public final class UnstableKeyException extends IllegalArgumentException {
    public UnstableKeyException(Class<?> keyType, String why) {
        super("key type " + keyType.getTypeName() + " cannot be used as a key: " + why);
    }
}
