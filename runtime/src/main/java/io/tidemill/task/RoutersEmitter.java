package io.tidemill.task;

import io.tidemill.exchange.Router;

/** Sends an operator's output to the routers of its outgoing edges. */
final class RoutersEmitter implements Emitter {
    private final Router[] routers;

    RoutersEmitter(Router[] routers) {
        this.routers = routers;
    }

    @Override
    public void emit(Object value, long timestamp) {
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
