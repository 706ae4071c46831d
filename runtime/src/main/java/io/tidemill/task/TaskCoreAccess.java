package io.tidemill.task;

import io.tidemill.checkpoint.CheckpointCoordinator;
import io.tidemill.plan.ExecutionPlan;

/** What the job needs to know of a task for checkpoints, without exposing the task's internals. */
public final class TaskCoreAccess {
    private TaskCoreAccess() {}

    public static CheckpointCoordinator.TaskInfo info(Tasklet t, ExecutionPlan plan) {
        TaskCore c = (TaskCore) t;
        return new CheckpointCoordinator.TaskInfo(c.index(), c.vertex, c.subtask, c.parallelism, c.operatorIds());
    }

    public static void notifyComplete(Tasklet t, long checkpointId) {
        ((TaskCore) t).notifyCheckpointComplete(checkpointId);
    }

    /** A task built but never scheduled (its execution was cancelled before it started): closes it. */
    public static void abandon(Tasklet t) {
        ((TaskCore) t).abandon();
    }

    /** Records the task took in so far (any thread; as of its last batch). */
    public static long recordsIn(Tasklet t) {
        return ((TaskCore) t).recordsIn;
    }

    /** The task's figures for metrics. */
    public static TaskStats stats(Tasklet t) {
        return ((TaskCore) t).stats;
    }

    /** The task's index in its job (vertex by vertex, subtask by subtask). */
    public static int index(Tasklet t) {
        return ((TaskCore) t).index();
    }
}
