package io.tidemill.cli;

import io.tidemill.local.JobHandle;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * While a command's job runs, SIGINT (Ctrl-C) and SIGTERM stop it cleanly: the job is cancelled, its
 * tasks close (sinks drop what they had not completed), and one line on stderr says what was left,
 * e.g. {@code stopped; rerun the same command to resume from checkpoint 7}.
 *
 * <pre>{@code
 * try (StopOnSignal stop = StopOnSignal.install(job, System.err, "tidemill nexmark", () -> "no output was produced")) {
 *     job.join();
 * }
 * }</pre>
 */
public final class StopOnSignal implements AutoCloseable {
    /** How long the hook waits for the tasks to close before the JVM goes down anyway. */
    private static final long CLOSE_SECONDS = 10;

    private final Thread hook;
    private volatile boolean stopped;

    private StopOnSignal(JobHandle job, PrintStream err, String command, Supplier<String> whatWasLeft) {
        this.hook = new Thread(() -> {
            stopped = true;
            job.cancel();
            try {
                job.result().handle((r, e) -> null).get(CLOSE_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException | InterruptedException | java.util.concurrent.ExecutionException e) {
                // going down anyway: the line below still says what was left
            }
            err.println(command + ": stopped; " + whatWasLeft.get());
            err.flush();
        }, "stop-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Stops {@code job} on SIGINT or SIGTERM until closed.
     *
     * @param whatWasLeft evaluated once the job has stopped, e.g. {@code "no output was produced"}
     */
    public static StopOnSignal install(JobHandle job, PrintStream err, String command, Supplier<String> whatWasLeft) {
        return new StopOnSignal(job, err, command, whatWasLeft);
    }

    /** True once a signal stopped the job: the caller should then exit quietly, the hook reports. */
    public boolean stopped() {
        return stopped;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it reports
        }
    }
}
