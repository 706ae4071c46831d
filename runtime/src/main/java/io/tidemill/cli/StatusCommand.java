package io.tidemill.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code tidemill status <jobId>}: a job and its vertices (placement, records, watermark). */
public final class StatusCommand implements Command {
    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "show a job and its vertices";
    }

    @Override
    public String usage() {
        return """
                usage: tidemill status <jobId> [--cluster URL]

                  Prints the job (status, class, arguments, parallelism, restarts, last failure) and a
                  table of its vertices: parallelism, records in and out (summed over subtasks), the
                  watermark (the minimum over subtasks; '-' before the first) and the members that run
                  its subtasks, in subtask order.
                """ + ClusterOptions.USAGE;
    }

    @Override
    public int run(List<String> args) {
        List<String> positional = new ArrayList<>();
        Options o = Options.parse(args, ClusterOptions.NAMES, Set.of(), positional);
        String jobId = ClusterOptions.jobId(positional, name());
        JsonNode job = ClusterOptions.client(o).get("/jobs/" + ClusterClient.segment(jobId));
        TextTable about = new TextTable("job", job.path("id").asText());
        about.row("name", job.path("name").asText());
        about.row("status", job.path("status").asText());
        about.row("class", job.path("className").asText());
        about.row("args", String.join(" ", strings(job.path("args"))));
        about.row("parallelism", job.path("parallelism").asInt());
        about.row("started", TextTable.time(job.path("startTime").asLong()));
        about.row("execution", job.path("executionId").asLong());
        about.row("restarts", job.path("restarts").asInt());
        if (job.hasNonNull("lastFailure")) {
            about.row("last failure", job.path("lastFailure").asText());
        }
        about.print(System.out);
        JsonNode vertices = job.path("vertices");
        if (vertices.isEmpty()) {
            return 0;
        }
        System.out.println();
        TextTable table = new TextTable("VERTEX", "PARALLELISM", "RECORDS IN", "RECORDS OUT", "WATERMARK",
                "PLACEMENT");
        for (JsonNode v : vertices) {
            table.row(v.path("index").asInt() + " " + v.path("name").asText(), v.path("parallelism").asInt(),
                    TextTable.count(v.path("recordsIn").asLong()), TextTable.count(v.path("recordsOut").asLong()),
                    TextTable.watermark(v.path("watermark").asLong(Long.MIN_VALUE)),
                    String.join(", ", strings(v.path("placement"))));
        }
        table.print(System.out);
        return 0;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }
}
