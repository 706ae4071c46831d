package io.tidemill.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/** {@code tidemill members}: the cluster's members as a table. */
public final class MembersCommand implements Command {
    @Override
    public String name() {
        return "members";
    }

    @Override
    public String summary() {
        return "list the members of a cluster";
    }

    @Override
    public String usage() {
        return """
                usage: tidemill members [--cluster URL]

                  Prints the members: id, host, REST, data and Hazelcast ports, and which one is the job
                  master; '(this node)' marks the node that answered.
                """ + ClusterOptions.USAGE;
    }

    @Override
    public int run(List<String> args) {
        JsonNode members = ClusterOptions.client(Options.parse(args, ClusterOptions.NAMES, Set.of()))
                .get("/members").path("members");
        TextTable table = new TextTable("MEMBER", "HOST", "HTTP", "DATA", "HAZELCAST", "ROLE");
        for (JsonNode m : members) {
            String role = (m.path("master").asBoolean() ? "master" : "member")
                    + (m.path("local").asBoolean() ? " (this node)" : "");
            table.row(m.path("id").asText(), m.path("host").asText(), m.path("httpPort").asInt(),
                    m.path("dataPort").asInt(), m.path("hazelcastPort").asInt(), role);
        }
        table.print(System.out);
        return 0;
    }
}
