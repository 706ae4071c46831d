package io.tidemill.cli;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What every command that talks to a cluster shares: {@code --cluster}, {@code --token}, a job id argument. */
final class ClusterOptions {
    static final String DEFAULT_CLUSTER = "http://127.0.0.1:8081";
    /** The options of {@link #client}, for each command's set of options. */
    static final Set<String> NAMES = Set.of("cluster", "token");
    /** The lines of the usage texts that explain {@link #NAMES}. */
    static final String USAGE = """
              --cluster URL  REST API of any node of the cluster (default: $TIDEMILL_CLUSTER, else
                             %s); a node that is not the master forwards to it
              --token TOKEN  API token for commands that change jobs (default: $TIDEMILL_API_TOKEN)
            """.formatted(DEFAULT_CLUSTER);

    private ClusterOptions() {}

    static Set<String> with(String... names) {
        Set<String> all = new HashSet<>(NAMES);
        all.addAll(List.of(names));
        return all;
    }

    static ClusterClient client(Options o) {
        String url = o.string("cluster", orDefault(System.getenv("TIDEMILL_CLUSTER"), DEFAULT_CLUSTER)).strip();
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme())
                || "https".equals(uri.getScheme()))) {
            throw new UsageException("option --cluster expects a URL like http://host:8081, got '" + url + "'");
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return new ClusterClient(url, o.string("token", System.getenv("TIDEMILL_API_TOKEN")));
    }

    /** The one job id among the positional arguments. */
    static String jobId(List<String> positional, String command) {
        if (positional.isEmpty()) {
            throw new UsageException("missing the job id (tidemill " + command + " <jobId>; see tidemill list)");
        }
        if (positional.size() > 1) {
            throw new UsageException("unexpected argument '" + positional.get(1) + "'");
        }
        return positional.get(0);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
