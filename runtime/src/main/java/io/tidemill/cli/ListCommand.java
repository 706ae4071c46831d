package io.tidemill.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/** {@code tidemill list}: the cluster's jobs as a table. */
public final class ListCommand implements Command {
    @Override
    public String name() {
        return "list";
    }

    @Override
    public String summary() {
        return "list the jobs of a cluster";
    }

    @Override
    public String usage() {
        return """
                usage: tidemill list [--cluster URL]

                  Prints the cluster's jobs: id, name, status, parallelism, restarts, start time (UTC).
                """ + ClusterOptions.USAGE;
    }

    @Override
    public int run(List<String> args) {
        JsonNode jobs = ClusterOptions.client(Options.parse(args, ClusterOptions.NAMES, Set.of()))
                .get("/jobs").path("jobs");
        if (jobs.isEmpty()) {
            System.out.println("no jobs");
            return 0;
        }
        TextTable table = new TextTable("JOB ID", "NAME", "STATUS", "PARALLELISM", "RESTARTS", "STARTED");
        for (JsonNode j : jobs) {
            table.row(j.path("id").asText(), j.path("name").asText(), j.path("status").asText(),
                    j.path("parallelism").asInt(), j.path("restarts").asInt(),
                    TextTable.time(j.path("startTime").asLong()));
        }
        table.print(System.out);
        return 0;
    }
}
