package io.tidemill.api;

import io.tidemill.api.function.CoGroupFunction;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeySelector;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.operator.Tagged;
import io.tidemill.window.Trigger;
import io.tidemill.window.WindowAssigner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A window co-group: for each key and window, the records of both sides with that key, either side
 * possibly empty (Flink's {@code coGroup}). A window join is a co-group that pairs them up.
 *
 * <pre>{@code
 * clicks.coGroup(views)
 *       .where(Click::user).equalTo(View::user)
 *       .window(TumblingWindows.eventTime(Duration.ofMinutes(1)))
 *       .apply((cs, vs, out) -> out.collect(count(cs) + " clicks, " + count(vs) + " views"));
 * }</pre>
 */
public final class CoGroupedStreams<A, B> {
    private final DataStream<A> left;
    private final DataStream<B> right;

    CoGroupedStreams(DataStream<A> left, DataStream<B> right) {
        this.left = left;
        this.right = right;
    }

    public <K> Where<K> where(KeySelector<A, K> leftKey) {
        return new Where<>(leftKey);
    }

    /** The left key is set; next the right key. */
    public final class Where<K> {
        private final KeySelector<A, K> leftKey;

        Where(KeySelector<A, K> leftKey) {
            this.leftKey = leftKey;
        }

        public EqualTo equalTo(KeySelector<B, K> rightKey) {
            return new EqualTo(rightKey);
        }

        /** Both keys are set; next the window. */
        public final class EqualTo {
            private final KeySelector<B, K> rightKey;

            EqualTo(KeySelector<B, K> rightKey) {
                this.rightKey = rightKey;
            }

            public WithWindow window(WindowAssigner assigner) {
                return new WithWindow(assigner);
            }

            /** Everything is set; {@link #apply} builds the co-group. */
            public final class WithWindow {
                private final WindowAssigner assigner;
                private Trigger trigger;
                private Duration allowedLateness = Duration.ZERO;

                WithWindow(WindowAssigner assigner) {
                    this.assigner = assigner;
                }

                /** Replaces the assigner's default trigger. */
                public WithWindow trigger(Trigger trigger) {
                    this.trigger = trigger;
                    return this;
                }

                /** Keeps windows this long after they fired; late records fire them again. */
                public WithWindow allowedLateness(Duration lateness) {
                    this.allowedLateness = lateness;
                    return this;
                }

                public <R> DataStream<R> apply(CoGroupFunction<A, B, R> fn) {
                    return build(left, right, leftKey, rightKey, assigner, trigger, allowedLateness, "coGroup", fn);
                }
            }
        }
    }

    /**
     * Tags both sides, keys them on one exchange, and hands each key's window to {@code fn} split by
     * side; {@code trigger} null keeps the assigner's default.
     */
    static <A, B, K, R> DataStream<R> build(DataStream<A> left, DataStream<B> right, KeySelector<A, K> leftKey,
                                            KeySelector<B, K> rightKey, WindowAssigner assigner, Trigger trigger,
                                            Duration allowedLateness, String what, CoGroupFunction<A, B, R> fn) {
        WindowedStream<K, Tagged> windowed = TwoInputs.tag(left, right, what)
                .keyBy(TwoInputs.key(leftKey, rightKey)).window(assigner);
        if (trigger != null) {
            windowed.trigger(trigger);
        }
        if (!allowedLateness.isZero()) {
            windowed.allowedLateness(allowedLateness);
        }
        return windowed.process(new ProcessWindowFunction<Tagged, R, K>() {
            @SuppressWarnings("unchecked")
            @Override
            public void process(K key, Context ctx, Iterable<Tagged> elements, Collector<R> out) throws Exception {
                List<A> as = new ArrayList<>();
                List<B> bs = new ArrayList<>();
                for (Tagged t : elements) {
                    if (t.side() == Tagged.LEFT) {
                        as.add((A) t.value());
                    } else {
                        bs.add((B) t.value());
                    }
                }
                fn.coGroup(as, bs, out);
            }
        }).name(what + "(" + assigner + ")");
    }
}
