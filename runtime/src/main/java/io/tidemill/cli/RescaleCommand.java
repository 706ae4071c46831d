package io.tidemill.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code tidemill rescale <jobId> --parallelism N}: restarts a job from a savepoint at another parallelism. */
public final class RescaleCommand implements Command {
    @Override
    public String name() {
        return "rescale";
    }

    @Override
    public String summary() {
        return "restart a job at another parallelism (through a savepoint)";
    }

    @Override
    public String usage() {
        return """
                usage: tidemill rescale <jobId> --parallelism N [--wait [--timeout D]]

                  Takes a savepoint and restarts the job from it at parallelism N; prints the savepoint's
                  trigger id.

                  --parallelism N   the new parallelism (required)
                """ + SavepointCommand.WAIT_USAGE + ClusterOptions.USAGE;
    }

    @Override
    public int run(List<String> args) throws Exception {
        List<String> positional = new ArrayList<>();
        Options o = Options.parse(args, ClusterOptions.with("parallelism", "timeout"), Set.of("wait"), positional);
        String jobId = ClusterOptions.jobId(positional, name());
        if (!o.has("parallelism")) {
            throw new UsageException("missing option --parallelism");
        }
        int parallelism = (int) o.longValue("parallelism", 1, 1);
        Duration timeout = SavepointCommand.waitTimeout(o);
        ClusterClient cluster = ClusterOptions.client(o);
        String trigger = cluster.post("/jobs/" + ClusterClient.segment(jobId) + "/rescale",
                Map.of("parallelism", parallelism)).path("request-id").asText();
        System.out.println("rescaling job " + jobId + " to parallelism " + parallelism + " through savepoint "
                + trigger);
        if (o.has("wait")) {
            System.out.println("savepoint completed: " + cluster.awaitSavepoint(jobId, trigger, timeout)
                    + "; job " + jobId + " restarts from it at parallelism " + parallelism);
        }
        return 0;
    }
}
