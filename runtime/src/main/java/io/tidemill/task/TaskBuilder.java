package io.tidemill.task;

import io.tidemill.api.sink.Sink;
import io.tidemill.api.source.DeadLetter;
import io.tidemill.api.source.Source;
import io.tidemill.api.source.SourceSplit;
import io.tidemill.api.source.SplitReader;
import io.tidemill.checkpoint.CheckpointConfig;
import io.tidemill.checkpoint.CheckpointCoordinator;
import io.tidemill.checkpoint.LoadedCheckpoint;
import io.tidemill.checkpoint.OperatorSnapshot;
import io.tidemill.checkpoint.RestoredState;
import io.tidemill.exchange.Channel;
import io.tidemill.exchange.Router;
import io.tidemill.graph.Node;
import io.tidemill.graph.Partitioning;
import io.tidemill.operator.Operator;
import io.tidemill.operator.OperatorContext;
import io.tidemill.api.ProcessingClock;
import io.tidemill.operator.SubtaskContext;
import io.tidemill.operator.OperatorException;
import io.tidemill.operator.SinkOperator;
import io.tidemill.plan.ExecutionPlan;
import io.tidemill.plan.PhysicalEdge;
import io.tidemill.plan.Vertex;
import io.tidemill.task.SplitStates.SplitState;
import io.tidemill.state.KeyGroups;
import io.tidemill.state.KeyedStateBackend;
import io.tidemill.watermark.WatermarkStrategy;
import java.io.DataInput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Instantiates the tasks of an execution plan: channels between subtasks, operators, routers. */
public final class TaskBuilder {
    /** Sizes of the data plane; defaults suit most jobs. */
    public record Config(int batchSize, int queueCapacity, ProcessingClock clock) {
        public static final Config DEFAULT = new Config(256, 32);

        public Config {
            if (batchSize <= 0 || queueCapacity <= 0) {
                throw new IllegalArgumentException("batch size and queue capacity must be positive");
            }
            java.util.Objects.requireNonNull(clock, "clock");
        }

        /** Sizes with the wall clock. */
        public Config(int batchSize, int queueCapacity) {
            this(batchSize, queueCapacity, ProcessingClock.SYSTEM);
        }

        /** This config with processing time read from {@code clock} (a {@code ManualClock} in tests). */
        public Config withClock(ProcessingClock clock) {
            return new Config(batchSize, queueCapacity, clock);
        }
    }

    private final ExecutionPlan plan;
    private final JobControl job;
    private final Config config;
    /** Per non-chained edge: channels[producerSubtask][consumerSubtask], null where not connected. */
    private final Map<PhysicalEdge, Channel[][]> channels = new HashMap<>();

    private final LoadedCheckpoint restore;
    /** The watermark alignment groups of the sources built here. */
    private final WatermarkAlignment alignment = new WatermarkAlignment();
    private final CheckpointConfig.Mode mode;

    /** Which subtasks run in this JVM (in a cluster, each node runs its share of the plan). */
    public interface Placement {
        Placement ALL = (vertex, subtask) -> true;

        boolean isLocal(int vertex, int subtask);
    }

    /**
     * Where the channels to and from subtasks of other nodes go: the node's data plane carries them.
     * {@code edge} is the edge's index in {@link ExecutionPlan#edges()}.
     */
    public interface RemoteChannels {
        /** {@code channel} is the local end of a channel from a remote producer: the data plane fills it. */
        void inbound(int edge, int producer, int consumer, Channel channel);

        /** {@code channel} is the local end of a channel to a remote consumer: the data plane drains it. */
        void outbound(int edge, int producer, int consumer, Channel channel);
    }

    /** How many times more items a channel between nodes holds than a local one. */
    static final int REMOTE_CAPACITY_FACTOR = 8;

    private Placement placement = Placement.ALL;
    private RemoteChannels remote;

    /**
     * @param restore the snapshot to start from, or null for a fresh start
     */
    /** Whether the snapshot restored from keeps state under positional ids; set by {@link #checkRestoreMatches}. */
    private boolean positionsHoldState = true;

    public TaskBuilder(ExecutionPlan plan, JobControl job, Config config, LoadedCheckpoint restore,
                       CheckpointConfig.Mode mode) {
        this.plan = plan;
        this.job = job;
        this.config = config;
        this.restore = restore;
        this.mode = mode;
    }

    public TaskBuilder(ExecutionPlan plan, JobControl job, Config config) {
        this(plan, job, config, null, CheckpointConfig.Mode.EXACTLY_ONCE);
    }

    /** The id of a node's state in snapshots: stable as long as the job builds the same pipeline. */
    public static String operatorId(Node n) {
        return n.uid() != null ? "u:" + n.uid() : "n" + n.id();
    }

    /**
     * The restored state of a node. When the snapshot keeps no state under positions (see
     * {@link #checkRestoreMatches}), an operator without a uid starts empty: its position may now be
     * that of another, stateless operator of the old pipeline.
     */
    private RestoredState stateOf(Node n) {
        return restored(n, operatorId(n));
    }

    /** The state saved under {@code id} for node {@code n} (its own, or its input channels'); see {@link #stateOf}. */
    private RestoredState restored(Node n, String id) {
        if (restore == null || (n.uid() == null && !positionsHoldState)) {
            return OperatorSnapshot.EMPTY;
        }
        return restore.stateOf(id);
    }

    /** The id under which a source's dead-letter sink keeps its state (pending transactions). */
    static String deadLetterId(Node source) {
        return "dl:" + operatorId(source);
    }

    /** The id under which a task's in-flight input records (unaligned checkpoints) are stored. */
    static String channelStateId(Node head) {
        return "in:" + operatorId(head);
    }

    /**
     * The in-flight records of an unaligned snapshot that this subtask replays before any input, for
     * every operator of its chain that has some, deepest first (see {@link TaskCore#replayFirst}).
     * Records queued on a keyed channel are stored by key group and follow their keys to any
     * parallelism; those of other channels, stored per old subtask {@code i}, go to subtask
     * {@code i mod parallelism}. An operator that had input channels in the snapshot may be chained
     * to its producer now (a keyed edge between two operators of parallelism 1 is): its records go
     * straight into it through the chain.
     *
     * @param into per chain position, the emitter feeding that operator (null for a source)
     */
    private List<InFlightRecords> inFlightOf(List<Node> chain, Emitter[] into, int subtask, int par)
            throws Exception {
        List<InFlightRecords> records = new ArrayList<>();
        if (restore == null) {
            return records;
        }
        var range = KeyGroups.rangeOf(subtask, plan.maxParallelism(), par);
        for (int i = chain.size() - 1; i >= 0; i--) {
            RestoredState state = restored(chain.get(i), channelStateId(chain.get(i)));
            List<DataInput> sections = new ArrayList<>();
            for (int kg = range.start(); kg <= range.end(); kg++) {
                DataInput in = state.keyGroup(kg);
                if (in != null) {
                    sections.add(in);
                }
            }
            List<DataInput> perOldSubtask = state.operatorStates();
            for (int old = subtask; old < perOldSubtask.size(); old += par) {
                sections.add(perOldSubtask.get(old));
            }
            InFlightRecords r = InFlightRecords.read(sections, into[i]);
            if (r.isEmpty()) {
                continue;
            }
            if (into[i] == null) {
                throw new IllegalStateException("snapshot " + restore.prefix() + " has in-flight records for '"
                        + chain.get(i).name() + "', which takes no input in this job");
            }
            records.add(r);
        }
        return records;
    }

    /**
     * Refuses a snapshot that does not fit this job (the pipeline changed). Operators without a uid
     * are known by their position ({@code n<k>}), so adding or removing one shifts the ids of those
     * after it, and restoring would hand their state to the wrong operators. Hence:
     * <ul>
     *   <li>while the snapshot holds state under positions, the operators must be exactly the
     *       snapshot's (stateless ones too: an extra or missing one reveals a shift);
     *   <li>when all its state is under uids, positions carry none and may shift: only state saved
     *       for a uid this job does not have is refused (it would be lost), and operators the
     *       snapshot lacks are new and start empty.
     * </ul>
     */
    private void checkRestoreMatches() {
        if (restore == null) {
            return;
        }
        Set<String> ids = new HashSet<>();
        for (Vertex v : plan.vertices()) {
            for (Node n : v.chain()) {
                ids.add(operatorId(n));
                // chained now or not: in-flight records are replayed into a chained operator too
                ids.add(channelStateId(n));
            }
            if (v.head().kind() == Node.Kind.SOURCE && v.head().source().deadLetterSink() != null) {
                ids.add(deadLetterId(v.head()));
            }
        }
        positionsHoldState = !positionalStateOf(restore).isEmpty();
        for (String id : restore.operators().keySet()) {
            if (!ids.contains(id) && (positionsHoldState || restore.hasState(id))) {
                String operator = baseId(id);
                throw new IllegalStateException(snapshotOfWhichJob() + " has state for operator '"
                        + restore.metadata().nameOf(operator) + "' (" + operator + "), which this job does not have: "
                        + "the pipeline changed since the snapshot was taken" + uidAdvice());
            }
        }
        if (!positionsHoldState) {
            return;
        }
        for (Vertex v : plan.vertices()) {
            for (Node n : v.chain()) {
                if (n.uid() == null && !restore.operators().containsKey(operatorId(n))) {
                    throw new IllegalStateException(snapshotOfWhichJob() + " has no operator at the position of '"
                            + n.name() + "' (" + operatorId(n) + "): the pipeline changed since the snapshot was taken"
                            + uidAdvice());
                }
            }
        }
    }

    /**
     * The operators whose state the snapshot keeps under their position ({@code n<k>}) rather than a
     * uid, by base id (a dead-letter or in-flight id counts for its operator), in id order.
     */
    private static Set<String> positionalStateOf(LoadedCheckpoint restore) {
        Set<String> positional = new TreeSet<>();
        for (String id : restore.operators().keySet()) {
            String base = baseId(id);
            if (!base.startsWith("u:") && restore.hasState(id)) {
                positional.add(base);
            }
        }
        return positional;
    }

    /** The operator an id belongs to: {@code dl:n3} and {@code in:n3} belong to {@code n3}. */
    private static String baseId(String id) {
        return id.startsWith("dl:") || id.startsWith("in:") ? id.substring(3) : id;
    }

    /** "snapshot P", and whose it is when it was taken by another job than this one. */
    private String snapshotOfWhichJob() {
        String taker = restore.metadata().jobName();
        String s = "snapshot " + restore.prefix();
        return taker == null || taker.equals(plan.jobName()) ? s
                : s + " (taken by job '" + taker + "', not by this job '" + plan.jobName() + "')";
    }

    /**
     * Which operators need a uid: those whose state the snapshot keeps by position. The operator the
     * mismatch was found at is often a new stateless one, which is not the one to change.
     */
    private String uidAdvice() {
        List<String> names = new ArrayList<>();
        for (String id : positionalStateOf(restore)) {
            names.add("'" + restore.metadata().nameOf(id) + "' (" + id + ")");
        }
        if (names.isEmpty()) {
            return "";
        }
        return "; the snapshot keeps the state of " + String.join(", ", names) + " by position, not by uid, so "
                + (names.size() == 1 ? "that operator" : "these operators") + " must keep "
                + (names.size() == 1 ? "its" : "their") + " place: give "
                + (names.size() == 1 ? "it" : "them") + " a uid(...) in the job that takes the snapshot, or restore"
                + " into the unchanged pipeline";
    }

    /** Operator id to name of every operator of the plan, for checkpoint metadata. */
    public static Map<String, String> operatorNames(ExecutionPlan plan) {
        Map<String, String> names = new HashMap<>();
        for (Vertex v : plan.vertices()) {
            for (Node n : v.chain()) {
                names.put(operatorId(n), n.name());
            }
        }
        return names;
    }

    /** Builds only the subtasks {@code placement} names; channels crossing nodes go to {@code remote}. */
    public TaskBuilder placed(Placement placement, RemoteChannels remote) {
        this.placement = placement;
        this.remote = remote;
        return this;
    }

    /**
     * What the checkpoint coordinator knows of every task of the plan, by global task index (vertex
     * by vertex, subtask by subtask): the same as {@link TaskCoreAccess#info} of the built tasks, for
     * a master that does not build them all.
     */
    public static List<CheckpointCoordinator.TaskInfo> taskInfos(ExecutionPlan plan) {
        List<CheckpointCoordinator.TaskInfo> infos = new ArrayList<>();
        for (Vertex v : plan.vertices()) {
            List<Node> chain = v.chain();
            boolean isSource = v.head().kind() == Node.Kind.SOURCE;
            List<String> ids = new ArrayList<>();
            if (isSource) {
                ids.add(operatorId(v.head()));
                if (v.head().source().deadLetterSink() != null) {
                    ids.add(deadLetterId(v.head()));
                }
            }
            ids.addAll(ids(chain, isSource ? 1 : 0));
            for (int s = 0; s < v.parallelism(); s++) {
                infos.add(new CheckpointCoordinator.TaskInfo(infos.size(), v.index(), s, v.parallelism(),
                        List.copyOf(ids)));
            }
        }
        return infos;
    }

    /** Creates and opens every task of the plan this JVM runs (see {@link #placed}). */
    public List<Tasklet> build() throws Exception {
        checkRestoreMatches();
        List<PhysicalEdge> edges = plan.edges();
        for (int ei = 0; ei < edges.size(); ei++) {
            PhysicalEdge e = edges.get(ei);
            if (plan.isChained(e)) {
                continue;
            }
            int from = plan.vertexOf().get(e.from()).index();
            int to = plan.vertexOf().get(e.to()).index();
            int producers = plan.parallelismOf().get(e.from());
            int consumers = plan.parallelismOf().get(e.to());
            Channel[][] c = new Channel[producers][consumers];
            for (int p = 0; p < producers; p++) {
                for (int q = 0; q < consumers; q++) {
                    if (e.partitioning().type() != Partitioning.Type.FORWARD || p == q) {
                        boolean producerHere = placement.isLocal(from, p);
                        boolean consumerHere = placement.isLocal(to, q);
                        if (!producerHere && !consumerHere) {
                            continue;
                        }
                        // A channel to or from another node holds more: the data plane moves it in writes
                        // of many items, grants credits at its periodic flush (the buffer timeout, a few
                        // ms) and items are often small (a few records, or a watermark), so the local
                        // capacity in flight would cap a channel at that many items per flush.
                        int capacity = producerHere && consumerHere ? config.queueCapacity()
                                : config.queueCapacity() * REMOTE_CAPACITY_FACTOR;
                        c[p][q] = new Channel(capacity, config.batchSize());
                        if (!producerHere) {
                            remote.inbound(ei, p, q, c[p][q]);
                        } else if (!consumerHere) {
                            remote.outbound(ei, p, q, c[p][q]);
                        }
                    }
                }
            }
            channels.put(e, c);
        }
        // Every source's splits first: a restored split whose input changed is refused before any
        // operator restores (a transactional sink's recovery deletes output).
        Map<Vertex, List<SplitState>> splitsOf = new HashMap<>();
        for (Vertex v : plan.vertices()) {
            splitsOf.put(v, v.head().kind() == Node.Kind.SOURCE ? splitsOf(v.head()) : List.of());
        }
        List<Tasklet> tasks = new ArrayList<>();
        int index = 0;
        try {
            for (Vertex v : plan.vertices()) {
                List<SplitState> splits = splitsOf.get(v);
                for (int s = 0; s < v.parallelism(); s++, index++) {
                    if (!placement.isLocal(v.index(), s)) {
                        continue;
                    }
                    TaskStats stats = job.taskStats(index, v.name(), s);
                    TaskCore t = (TaskCore) buildTask(v, s, splits, stats);
                    t.stats = stats;
                    t.index = index;
                    t.vertex = v.index();
                    t.subtask = s;
                    t.parallelism = v.parallelism();
                    t.clock = config.clock();
                    tasks.add(t);
                }
            }
        } catch (Exception | Error e) {
            // Nothing runs: release what the tasks built so far opened (files, readers).
            for (Tasklet t : tasks) {
                ((TaskCore) t).abandon();
            }
            throw e;
        }
        return tasks;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    /** A source split and where to resume it. */
    /**
     * The splits of a source: from the snapshot if there is one (the same splits, whatever the new
     * parallelism, with their offsets, each verified by the source), else freshly created.
     */
    private List<SplitState> splitsOf(Node source) throws Exception {
        List<DataInput> states = stateOf(source).operatorStates();
        List<SplitState> splits = new ArrayList<>();
        if (states.isEmpty()) {
            for (SourceSplit s : source.source().createSplits(plan.parallelismOf().get(source))) {
                splits.add(new SplitState(s, 0, false));
            }
            return splits;
        }
        for (DataInput in : states) {
            for (SplitState s : SplitStates.read(in)) {
                source.source().verifyRestored(s.split());
                splits.add(s);
            }
        }
        splits.sort(Comparator.comparing(s -> s.split().splitId()));
        return splits;
    }

    private Tasklet buildTask(Vertex v, int subtask, List<SplitState> splits, TaskStats stats) throws Exception {
        List<Node> chain = v.chain();
        int par = v.parallelism();
        boolean isSource = v.head().kind() == Node.Kind.SOURCE;
        int first = isSource ? 1 : 0;
        List<Operator<?, ?>> ops = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = first; i < chain.size(); i++) {
            ops.add(chain.get(i).factory().create());
            names.add(chain.get(i).name());
        }
        List<Router> allRouters = new ArrayList<>();
        Emitter[] mainOf = new Emitter[chain.size()];
        Map<String, Emitter>[] sidesOf = new Map[chain.size()];
        for (int i = 0; i < chain.size(); i++) {
            Node n = chain.get(i);
            List<Router> main = new ArrayList<>();
            Map<String, List<Router>> sides = new LinkedHashMap<>();
            for (PhysicalEdge e : plan.outputsOf(n)) {
                Router r = router(e, subtask, par);
                allRouters.add(r);
                if (e.tag() == null) {
                    main.add(r);
                } else {
                    sides.computeIfAbsent(e.tag().id(), k -> new ArrayList<>()).add(r);
                }
            }
            if (i + 1 < chain.size()) {
                mainOf[i] = new ChainedEmitter(ops.get(i + 1 - first), chain.get(i + 1).name(), subtask, par);
            } else {
                mainOf[i] = main.isEmpty() ? Emitter.NONE : new RoutersEmitter(main.toArray(new Router[0]), stats);
            }
            Map<String, Emitter> sideEmitters = new HashMap<>();
            sides.forEach((tag, rs) -> sideEmitters.put(tag, new RoutersEmitter(rs.toArray(new Router[0]), stats)));
            sidesOf[i] = sideEmitters;
        }
        Router[] outputs = allRouters.toArray(new Router[0]);
        BooleanSupplier full = () -> {
            for (Router r : outputs) {
                if (r.isBlocked()) {
                    return true;
                }
            }
            return false;
        };
        for (int i = chain.size() - 1; i >= first; i--) {
            Node n = chain.get(i);
            Operator op = ops.get(i - first);
            try {
                op.open(context(n, subtask, par, stats), new OperatorOutput<>(mainOf[i], sidesOf[i], full));
                op.restoreState(stateOf(n));
            } catch (Exception e) {
                for (int j = i; j < chain.size(); j++) {
                    closeQuietly(ops.get(j - first));
                }
                throw e instanceof OperatorException oe ? oe : new OperatorException(n.name(), subtask, par, e);
            }
        }
        String taskName = v.name() + " (" + (subtask + 1) + "/" + par + ")";
        if (isSource) {
            Node src = v.head();
            Source source = src.source();
            List<SourceTask.AssignedSplit> assigned = new ArrayList<>();
            for (int i = subtask; i < splits.size(); i += par) {
                SplitState s = splits.get(i);
                assigned.add(new SourceTask.AssignedSplit(s.split(),
                        s.ended() ? null : source.createReader(s.split(), s.offset()), s.offset(), s.ended()));
            }
            OperatorChain oc = new OperatorChain(ops, names, ids(chain, first), allRouters, mainOf[0], subtask, par);
            SourceTask task = new SourceTask(oc, assigned, (WatermarkStrategy) src.watermarkStrategy(),
                    config.batchSize(), job, taskName, operatorId(src), src.name(), subtask, par,
                    deadLetters(src, subtask, par), deadLetterId(src), source,
                    source.discoverSplits(splits.stream().map(SplitState::split).toList()),
                    src.watermarkStrategy().alignment() == null ? null
                            : alignment.join(src.watermarkStrategy().alignment().group()));
            task.setUnaligned(mode == CheckpointConfig.Mode.UNALIGNED);
            stats.attach(new Channel[0]);
            task.throttleWatermarks(plan.watermarkGrids(src));
            task.replayFirst(inFlightOf(chain, inputsOf(null, mainOf), subtask, par));
            return task;
        }
        List<Channel> inputs = new ArrayList<>();
        List<io.tidemill.api.function.KeySelector<?, ?>> keys = new ArrayList<>();
        for (PhysicalEdge e : plan.inputsOf(v)) {
            Channel[][] c = channels.get(e);
            for (Channel[] fromProducer : c) {
                if (fromProducer[subtask] != null) {
                    inputs.add(fromProducer[subtask]);
                    keys.add(e.partitioning().type() == Partitioning.Type.KEYED ? e.partitioning().key() : null);
                }
            }
        }
        Emitter input = new ChainedEmitter(ops.get(0), chain.get(0).name(), subtask, par);
        OperatorChain oc = new OperatorChain(ops, names, ids(chain, first), allRouters, input, subtask, par);
        InputGate gate = new InputGate(inputs.toArray(new Channel[0]),
                keys.toArray(new io.tidemill.api.function.KeySelector<?, ?>[0]), plan.maxParallelism());
        StreamTask task = new StreamTask(oc, gate, job, taskName, mode, channelStateId(v.head()));
        stats.attach(inputs.toArray(new Channel[0]));
        task.replayFirst(inFlightOf(chain, inputsOf(input, mainOf), subtask, par));
        return task;
    }

    /** Per chain position, what feeds that operator: {@code head} for the first, else its producer's output. */
    private static Emitter[] inputsOf(Emitter head, Emitter[] mainOf) {
        Emitter[] into = new Emitter[mainOf.length];
        into[0] = head;
        System.arraycopy(mainOf, 0, into, 1, mainOf.length - 1);
        return into;
    }

    /** The opened and restored dead-letter sink of a source subtask, or null if the source has none. */
    private SinkOperator<DeadLetter> deadLetters(Node source, int subtask, int par) throws Exception {
        Sink<DeadLetter> sink = source.source().deadLetterSink();
        if (sink == null) {
            return null;
        }
        // A source task shares a cooperative worker: a blocking writer that can, runs on a thread of its own.
        SinkOperator<DeadLetter> op = sink.isBlocking() && sink.canWriteAsynchronously()
                ? SinkOperator.onWriterThread(sink, "tidemill-dead-letters-" + source.name() + "-" + subtask)
                : new SinkOperator<>(sink);
        try {
            op.open(context(source, subtask, par, null), new OperatorOutput<>(Emitter.NONE, Map.of(), () -> false));
            op.restoreState(restored(source, deadLetterId(source)));
        } catch (Exception e) {
            closeQuietly(op);
            throw new OperatorException(source.name() + " (dead letters)", subtask, par, e);
        }
        return op;
    }

    private static void closeQuietly(Operator<?, ?> op) {
        try {
            op.close();
        } catch (Exception ignored) {
            // the build already failed; that failure is the one to report
        }
    }

    private static List<String> ids(List<Node> chain, int first) {
        List<String> ids = new ArrayList<>();
        for (int i = first; i < chain.size(); i++) {
            ids.add(operatorId(chain.get(i)));
        }
        return ids;
    }

    private Router router(PhysicalEdge e, int subtask, int par) {
        Channel[][] c = channels.get(e);
        Channel[] targets = e.partitioning().type() == Partitioning.Type.FORWARD
                ? new Channel[] {c[subtask][subtask]} : c[subtask];
        return new Router(targets, e.partitioning(), plan.maxParallelism(), "'" + e.to().name() + "'", subtask, par);
    }

    /** The context of an operator; {@code stats} (or null) counts its late records per subtask too. */
    private OperatorContext context(Node n, int subtask, int par, TaskStats stats) {
        KeyedStateBackend state = n.isKeyed()
                ? new KeyedStateBackend(KeyGroups.rangeOf(subtask, plan.maxParallelism(), par), plan.maxParallelism())
                : null;
        if (stats == null) {
            return new SubtaskContext(n.name(), subtask, par, state, config.clock()::now, job::countLateRecord);
        }
        return new SubtaskContext(n.name(), subtask, par, state, config.clock()::now, () -> {
            stats.lateDroppedCount++;
            job.countLateRecord();
        }, () -> stats.lateToSideOutputCount++);
    }
}
