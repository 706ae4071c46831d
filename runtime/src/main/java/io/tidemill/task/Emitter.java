package io.tidemill.task;

/** Where the records and watermarks of one operator's output go: the next chained operator or routers. */
interface Emitter {
    void emit(Object value, long timestamp);

    void emitWatermark(long watermark);

    /** Drops everything (an output nobody consumes). */
    Emitter NONE = new Emitter() {
        @Override
        public void emit(Object value, long timestamp) {}

        @Override
        public void emitWatermark(long watermark) {}
    };
}
