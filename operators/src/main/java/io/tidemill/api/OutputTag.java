package io.tidemill.api;

import java.util.Objects;

/**
 * Names a side output: a second stream an operator emits to, such as late data of a window.
 *
 * <pre>{@code
 * OutputTag<Bid> late = new OutputTag<>("late-bids");
 * var counts = bids.keyBy(Bid::auction).window(...).sideOutputLateData(late).aggregate(...);
 * DataStream<Bid> lateBids = counts.getSideOutput(late);
 * }</pre>
 */
public record OutputTag<T>(String id) {
    public OutputTag {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("side output id must not be blank");
        }
    }
}
