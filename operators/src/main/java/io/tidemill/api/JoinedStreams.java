package io.tidemill.api;

import io.tidemill.api.function.JoinFunction;
import io.tidemill.api.function.KeySelector;
import io.tidemill.window.WindowAssigner;
import java.time.Duration;

/**
 * A window join: pairs of records with equal keys in the same window (a {@link CoGroupedStreams
 * co-group} that pairs up each key's records).
 *
 * <pre>{@code
 * persons.join(auctions)
 *        .where(Person::id).equalTo(Auction::seller)
 *        .window(TumblingWindows.eventTime(Duration.ofSeconds(10)))
 *        .apply((p, a) -> new NewSeller(p.id(), p.name()));
 * }</pre>
 */
public final class JoinedStreams<A, B> {
    private final DataStream<A> left;
    private final DataStream<B> right;

    JoinedStreams(DataStream<A> left, DataStream<B> right) {
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

            /** Everything is set; {@link #apply} builds the join. */
            public final class WithWindow {
                private final WindowAssigner assigner;

                WithWindow(WindowAssigner assigner) {
                    this.assigner = assigner;
                }

                public <R> DataStream<R> apply(JoinFunction<A, B, R> fn) {
                    return CoGroupedStreams.build(left, right, leftKey, rightKey, assigner, null, Duration.ZERO,
                            "join", (as, bs, out) -> {
                                for (A a : as) {
                                    for (B b : bs) {
                                        out.collect(fn.join(a, b));
                                    }
                                }
                            });
                }
            }
        }
    }
}
