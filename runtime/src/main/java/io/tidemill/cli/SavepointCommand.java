package io.tidemill.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code tidemill savepoint <jobId>}: triggers a savepoint, and with {@code --wait} waits for it. */
public final class SavepointCommand implements Command {
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(10);
    static final String WAIT_USAGE = """
              --wait            wait until the savepoint completed and print its location
              --timeout D       how long --wait waits, e.g. 30s (default 10m)
            """;

    @Override
    public String name() {
        return "savepoint";
    }

    @Override
    public String summary() {
        return "take a savepoint of a running job";
    }

    @Override
    public String usage() {
        return """
                usage: tidemill savepoint <jobId> [--target-directory DIR] [--wait [--timeout D]]

                  Triggers a savepoint and prints its trigger id. The job goes on running.

                  --target-directory DIR  also write the savepoint there: an absolute path every node
                                          can read (a shared file system); default: the job's store
                """ + WAIT_USAGE + ClusterOptions.USAGE;
    }

    @Override
    public int run(List<String> args) throws Exception {
        List<String> positional = new ArrayList<>();
        Options o = Options.parse(args, ClusterOptions.with("target-directory", "timeout"), Set.of("wait"),
                positional);
        String jobId = ClusterOptions.jobId(positional, name());
        Duration timeout = waitTimeout(o);
        ClusterClient cluster = ClusterOptions.client(o);
        Map<String, String> body = o.has("target-directory")
                ? Map.of("target-directory", o.string("target-directory", null)) : null;
        String trigger = cluster.post("/jobs/" + ClusterClient.segment(jobId) + "/savepoints", body)
                .path("request-id").asText();
        System.out.println("savepoint " + trigger + " triggered for job " + jobId);
        if (o.has("wait")) {
            System.out.println("savepoint completed: " + cluster.awaitSavepoint(jobId, trigger, timeout));
        }
        return 0;
    }

    /** {@code --timeout}, which only {@code --wait} uses. */
    static Duration waitTimeout(Options o) {
        if (o.has("timeout") && !o.has("wait")) {
            throw new UsageException("option --timeout needs --wait");
        }
        Duration d = o.duration("timeout");
        return d == null ? DEFAULT_WAIT : d;
    }
}
