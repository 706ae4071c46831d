package io.tidemill.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code tidemill cancel <jobId>}: cancels a job without a savepoint. */
public final class CancelCommand implements Command {
    @Override
    public String name() {
        return "cancel";
    }

    @Override
    public String summary() {
        return "cancel a job (no savepoint; see stop)";
    }

    @Override
    public String usage() {
        return """
                usage: tidemill cancel <jobId> [--cluster URL] [--token TOKEN]

                  Cancels the job at once, without a savepoint (tidemill stop takes one first).
                """ + ClusterOptions.USAGE;
    }

    @Override
    public int run(List<String> args) {
        List<String> positional = new ArrayList<>();
        Options o = Options.parse(args, ClusterOptions.NAMES, Set.of(), positional);
        String jobId = ClusterOptions.jobId(positional, name());
        ClusterOptions.client(o).post("/jobs/" + ClusterClient.segment(jobId) + "/cancel", null);
        System.out.println("cancelling job " + jobId);
        return 0;
    }
}
