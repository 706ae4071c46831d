package io.tidemill.cli;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code tidemill submit}: starts a job on a cluster. Submit's own options come before the job class;
 * everything after the class goes to the job unchanged, options included.
 */
public final class SubmitCommand implements Command {
    private static final Set<String> OPTIONS = ClusterOptions.with("parallelism", "checkpoint-interval",
            "checkpoint-mode", "restart-attempts", "restart-delay", "savepoint", "jar");
    private static final Set<String> MODES = Set.of("exactly-once", "unaligned", "at-least-once");

    @Override
    public String name() {
        return "submit";
    }

    @Override
    public String summary() {
        return "submit a job to a cluster";
    }

    @Override
    public String usage() {
        return """
                usage: tidemill submit --parallelism N [options] <class> [job args...]

                  Starts the job <class> (a StreamJob on the nodes' classpath or in --jar) on the cluster
                  and prints its id. Options of submit come BEFORE the class; everything after the class
                  is passed to the job as it is, options included, e.g.
                    tidemill submit --parallelism 4 --checkpoint-interval 1s \\
                        io.tidemill.examples.nexmark.NexmarkJob --query q5 --events 1000000 --output out/
                  runs NexmarkJob at parallelism 4 and gives it '--query q5 --events 1000000 --output out/'.
                  ('--' before the class ends submit's options too.)

                  --parallelism N          parallelism of the job (required)
                  --checkpoint-interval D  time between checkpoints, e.g. 1s (default: no checkpoints)
                  --checkpoint-mode M      exactly-once (default), unaligned or at-least-once
                  --restart-attempts N     restarts after failures before the job fails (default 3)
                  --restart-delay D        delay before a restart, e.g. 500ms (default 500ms)
                  --savepoint LOCATION     start from this savepoint or checkpoint, as its status
                                           reports it (JOB_ID/sp-..., or a directory path)
                  --jar FILE               upload this jar first and run <class> from it
                """ + ClusterOptions.USAGE;
    }

    /** Where submit's own options end: at the class, at {@code --}, or past the end. */
    private static int optionsEnd(List<String> args) {
        int i = 0;
        while (i < args.size() && args.get(i).startsWith("--") && !args.get(i).equals("--")) {
            i += OPTIONS.contains(args.get(i).substring(2)) ? 2 : 1; // --name=value and unknown options: one token
        }
        return i;
    }

    /** Only before the class: a {@code --help} after it is the job's. */
    @Override
    public boolean asksForHelp(List<String> args) {
        return args.subList(0, Math.min(optionsEnd(args), args.size())).contains("--help");
    }

    @Override
    public int run(List<String> args) throws Exception {
        int classAt = optionsEnd(args);
        Options o = Options.parse(args.subList(0, Math.min(classAt, args.size())), OPTIONS, Set.of());
        if (classAt < args.size() && args.get(classAt).equals("--")) {
            classAt++;
        }
        if (classAt >= args.size()) {
            throw new UsageException("missing the job class (tidemill submit [options] <class> [job args...])");
        }
        String className = args.get(classAt);
        List<String> jobArgs = args.subList(classAt + 1, args.size());
        if (!o.has("parallelism")) {
            throw new UsageException("missing option --parallelism (submit's options come before the job class; "
                    + "everything after the class goes to the job)");
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("className", className);
        request.put("args", jobArgs);
        request.put("parallelism", o.longValue("parallelism", 1, 1));
        Duration interval = o.duration("checkpoint-interval");
        if (interval != null) {
            request.put("checkpointIntervalMillis", interval.toMillis());
        }
        if (o.has("checkpoint-mode")) {
            String mode = o.string("checkpoint-mode", null);
            if (!MODES.contains(mode)) {
                throw new UsageException("option --checkpoint-mode must be exactly-once, unaligned or at-least-once, "
                        + "got '" + mode + "'");
            }
            request.put("checkpointMode", mode);
        }
        if (o.has("restart-attempts")) {
            request.put("restartAttempts", o.longValue("restart-attempts", 3, 0));
        }
        Duration delay = o.duration("restart-delay");
        if (delay != null) {
            request.put("restartDelayMillis", delay.toMillis());
        }
        if (o.has("savepoint")) {
            request.put("savepoint", o.string("savepoint", null));
        }
        ClusterClient cluster = ClusterOptions.client(o);
        if (o.has("jar")) {
            Path jar = Path.of(o.string("jar", null));
            if (!Files.isRegularFile(jar)) {
                throw new NoSuchFileException(jar.toString());
            }
            String jarId = cluster.uploadJar(jar.getFileName().toString(), Files.readAllBytes(jar));
            System.err.println("uploaded " + jar + " as " + jarId);
            request.put("jarId", jarId);
        }
        String jobId = cluster.post("/jobs", request).path("jobId").asText();
        System.out.println("job " + jobId + " submitted");
        return 0;
    }
}
