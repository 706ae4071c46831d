package io.tidemill.operator;

import io.tidemill.api.function.KeySelector;

/** Key extraction in keyed operators, with the same clear error as the keyed exchange. */
public final class Keys {
    private Keys() {}

    public static <T, K> K of(KeySelector<T, K> selector, T value) throws Exception {
        K key = selector.getKey(value);
        if (key == null) {
            String s = String.valueOf(value);
            throw new IllegalArgumentException("the key selector returned null for record "
                    + (s.length() > 200 ? s.substring(0, 200) + "..." : s));
        }
        return key;
    }
}
