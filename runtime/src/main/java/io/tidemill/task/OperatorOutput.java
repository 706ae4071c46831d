package io.tidemill.task;

import io.tidemill.api.OutputTag;
import io.tidemill.operator.Output;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The {@link Output} of one operator in a chain: its main emitter plus one per consumed side output. */
final class OperatorOutput<T> implements Output<T> {
    private final Emitter main;
    private final Map<String, Emitter> sides;
    private final Emitter[] sideList;
    private final BooleanSupplier full;

    OperatorOutput(Emitter main, Map<String, Emitter> sides, BooleanSupplier full) {
        this.main = main;
        this.sides = sides;
        this.full = full;
        this.sideList = sides.values().toArray(new Emitter[0]);
    }

    @Override
    public void emit(T value, long timestamp) {
        main.emit(value, timestamp);
    }

    @Override
    public void emitWatermark(long watermark) {
        main.emitWatermark(watermark);
        for (Emitter e : sideList) {
            e.emitWatermark(watermark);
        }
    }

    @Override
    public boolean isFull() {
        return full.getAsBoolean();
    }

    @Override
    public <X> void emitSide(OutputTag<X> tag, X value, long timestamp) {
        Emitter e = sides.get(tag.id());
        if (e != null) {
            e.emit(value, timestamp);
        }
    }
}
