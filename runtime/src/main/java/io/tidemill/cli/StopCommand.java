package io.tidemill.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code tidemill stop <jobId>}: stops a job with a savepoint, and with {@code --wait} waits for it. */
public final class StopCommand implements Command {
    @Override
    public String name() {
        return "stop";
    }

    @Override
    public String summary() {
        return "stop a job with a savepoint";
    }

    @Override
    public String usage() {
        return """
                usage: tidemill stop <jobId> [--target-directory DIR] [--wait [--timeout D]]

                  Takes a savepoint and stops the job once it completed; prints the savepoint's trigger
                  id. Start the job again from it with tidemill submit --savepoint LOCATION.

                  --target-directory DIR  also write the savepoint there: an absolute path every node
                                          can read (a shared file system); default: the job's store

                """ + SavepointCommand.WAIT_USAGE + ClusterOptions.USAGE;
    }

    @Override
    public int run(List<String> args) throws Exception {
        List<String> positional = new ArrayList<>();
        Options o = Options.parse(args, ClusterOptions.with("target-directory", "timeout"), Set.of("wait"), positional);
        String jobId = ClusterOptions.jobId(positional, name());
        Duration timeout = SavepointCommand.waitTimeout(o);
        ClusterClient cluster = ClusterOptions.client(o);
        Map<String, String> body = o.has("target-directory")
                ? Map.of("target-directory", o.string("target-directory", null)) : null;
        String trigger = cluster.post("/jobs/" + ClusterClient.segment(jobId) + "/stop", body)
                .path("request-id").asText();
        System.out.println("stopping job " + jobId + " with savepoint " + trigger);
        if (o.has("wait")) {
            System.out.println("job " + jobId + " stopped; savepoint: " + cluster.awaitSavepoint(jobId, trigger,
                    timeout));
        }
        return 0;
    }
}
