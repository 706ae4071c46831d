package io.tidemill.api;

import io.tidemill.api.function.KeySelector;
import io.tidemill.operator.Tagged;

/** Builds two-input operators on one keyed exchange by tagging each side's records. */
final class TwoInputs {
    private TwoInputs() {}

    static <A, B> DataStream<Tagged> tag(DataStream<A> left, DataStream<B> right, String what) {
        DataStream<Tagged> l = left.map(a -> new Tagged(Tagged.LEFT, a)).name(what + "-left");
        DataStream<Tagged> r = right.map(b -> new Tagged(Tagged.RIGHT, b)).name(what + "-right");
        return l.union(r);
    }

    @SuppressWarnings("unchecked")
    static <A, B, K> KeySelector<Tagged, K> key(KeySelector<A, K> leftKey, KeySelector<B, K> rightKey) {
        return t -> t.side() == Tagged.LEFT ? leftKey.getKey((A) t.value()) : rightKey.getKey((B) t.value());
    }
}
