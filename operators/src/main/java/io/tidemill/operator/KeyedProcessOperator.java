package io.tidemill.operator;

import io.tidemill.api.function.KeySelector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.TimeDomain;
import io.tidemill.api.function.TimerService;
import io.tidemill.checkpoint.RestoredState;
import io.tidemill.checkpoint.SnapshotWriter;
import io.tidemill.state.KeyGroupRange;
import io.tidemill.state.KeyGroups;
import java.io.DataInput;
import java.io.DataOutput;
import java.util.List;
import io.tidemill.state.KeyedStateBackend;

/** Runs a {@link KeyedProcessFunction}: sets the current key, then calls the function or its timers. */
public final class KeyedProcessOperator<K, IN, OUT> implements Operator<IN, OUT> {
    private final KeySelector<IN, K> keySelector;
    private final KeyedProcessFunction<K, IN, OUT> function;
    private final TimerQueue eventTimers = new TimerQueue();
    private final TimerQueue processingTimers = new TimerQueue();
    private OperatorContext ctx;
    private KeyedStateBackend state;
    private Output<OUT> out;
    /** True from a watermark or processing time until every timer it made due has fired. */
    private boolean firing;
    private long firingTime;
    private boolean firingEventTime;
    private final Call call = new Call();

    public KeyedProcessOperator(KeySelector<IN, K> keySelector, KeyedProcessFunction<K, IN, OUT> function) {
        this.keySelector = keySelector;
        this.function = function;
    }

    @Override
    public void open(OperatorContext ctx, Output<OUT> out) throws Exception {
        this.ctx = ctx;
        this.out = out;
        this.state = ctx.keyedState();
        call.open(ctx, out);
        function.open(new OperatorRuntimeContext(ctx));
    }

    @Override
    public void processElement(IN value, long timestamp) throws Exception {
        K key = Keys.of(keySelector, value);
        setKey(key);
        call.timestamp = timestamp;
        function.processElement(value, call, call);
    }

    private void setKey(K key) {
        call.key = key;
        state.setCurrentKey(key, KeyGroups.keyGroupOf(key, state.maxParallelism()));
    }

    @Override
    public void processWatermark(long wm) throws Exception {
        call.watermark = wm;
        startFiring(wm, true);
    }

    @Override
    public long nextProcessingTime() {
        return processingTimers.nextTime();
    }

    @Override
    public void onProcessingTime(long now) throws Exception {
        startFiring(now, false);
    }

    @Override
    public boolean hasPendingOutput() {
        return firing;
    }

    private void startFiring(long time, boolean eventTime) throws Exception {
        firing = true;
        firingTime = time;
        firingEventTime = eventTime;
        resumeOutput();
    }

    /** Fires due timers until none is left (then forwards the watermark) or the output is full. */
    @SuppressWarnings("unchecked")
    @Override
    public void resumeOutput() throws Exception {
        TimerQueue timers = firingEventTime ? eventTimers : processingTimers;
        TimerQueue.Timer t;
        while ((t = timers.pollDue(firingTime)) != null) {
            setKey((K) t.key());
            call.timestamp = t.time();
            function.onTimer(t.time(), call, call);
            if (out.isFull()) {
                return;
            }
        }
        firing = false;
        if (firingEventTime) {
            out.emitWatermark(firingTime);
        }
    }

    @Override
    public void snapshotState(SnapshotWriter writer) throws Exception {
        state.snapshot(writer);
        KeyGroupRange range = state.keyGroupRange();
        int maxParallelism = state.maxParallelism();
        TimerQueue.Timer[] eventCaptured = eventTimers.liveTimers();
        TimerQueue.Timer[] procCaptured = processingTimers.liveTimers();
        writer.defer(w -> {
            List<List<TimerQueue.Timer>> event = TimerSnapshots.byKeyGroup(eventCaptured, range, maxParallelism);
            List<List<TimerQueue.Timer>> proc = TimerSnapshots.byKeyGroup(procCaptured, range, maxParallelism);
            for (int g = 0; g < range.size(); g++) {
                DataOutput out = w.keyGroup(range.start() + g);
                TimerSnapshots.write(event.get(g), out);
                TimerSnapshots.write(proc.get(g), out);
            }
        });
    }

    @Override
    public void restoreState(RestoredState restored) throws Exception {
        state.restore(restored);
        KeyGroupRange range = state.keyGroupRange();
        for (int kg = range.start(); kg <= range.end(); kg++) {
            DataInput in = restored.keyGroup(kg);
            if (in != null) {
                TimerSnapshots.read(in, eventTimers);
                TimerSnapshots.read(in, processingTimers);
            }
        }
    }

    @Override
    public void close() throws Exception {
        function.close();
    }

    /** The context and collector of one call, reused to avoid allocation per record. */
    private final class Call extends ProcessCall<OUT> implements KeyedProcessFunction.OnTimerContext<K>, TimerService {
        K key;

        @Override
        public K currentKey() {
            return key;
        }

        @Override
        public TimerService timerService() {
            return this;
        }

        @Override
        public TimeDomain timeDomain() {
            return firingEventTime ? TimeDomain.EVENT_TIME : TimeDomain.PROCESSING_TIME;
        }

        @Override
        public void registerEventTimeTimer(long time) {
            eventTimers.register(time, key, null);
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            processingTimers.register(time, key, null);
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            eventTimers.delete(time, key, null);
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {
            processingTimers.delete(time, key, null);
        }
    }
}
