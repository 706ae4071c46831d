package io.tidemill.task;

import io.tidemill.exchange.Router;

/** Sends an operator's output to the routers of its outgoing edges. */
final class RoutersEmitter implements Emitter {
    private final Router[] routers;
    private final TaskStats stats;

    RoutersEmitter(Router[] routers, TaskStats stats) {
        this.routers = routers;
        this.stats = stats;
    }

    @Override
    public void emit(Object value, long timestamp) {
        stats.recordsOutCount++;
        for (Router r : routers) {
            r.emit(value, timestamp);
        }
    }

    @Override
    public void emitWatermark(long watermark) {
        for (Router r : routers) {
            r.emitWatermark(watermark);
        }
    }
}
