package io.tidemill.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} options and {@code --flag} switches, validated: unknown options, missing
 * values and malformed numbers are {@link UsageException}s naming the option.
 */
public final class Options {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final Set<String> used = new HashSet<>();

    private Options() {}

    /**
     * @param withValue options that take a value
     * @param switches options without a value
     */
    public static Options parse(List<String> args, Set<String> withValue, Set<String> switches) {
        return parse(args, withValue, switches, null);
    }

    /**
     * As {@link #parse(List, Set, Set)}, but arguments that are not options (nor an option's value)
     * are added to {@code positional} in order instead of being refused.
     */
    public static Options parse(List<String> args, Set<String> withValue, Set<String> switches,
                                List<String> positional) {
        Options o = new Options();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                if (positional == null) {
                    throw new UsageException("unexpected argument '" + a + "'");
                }
                positional.add(a);
                continue;
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            String inline = null;
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (switches.contains(name)) {
                o.flags.add(name);
            } else if (withValue.contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    v = args.get(++i);
                }
                o.values.put(name, v);
            } else {
                throw new UsageException("unknown option '--" + name + "' (see --help)");
            }
        }
        return o;
    }

    public boolean has(String name) {
        return flags.contains(name) || values.containsKey(name);
    }

    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("missing option --" + name);
        }
        return v;
    }

    public long longValue(String name, long fallback, long min) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        long n;
        try {
            n = parseCount(v);
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " expects a number, got '" + v + "'");
        }
        if (n < min) {
            throw new UsageException("option --" + name + " must be at least " + min + ", got " + v);
        }
        return n;
    }

    /** A duration such as {@code 500ms}, {@code 1s}, {@code 2m} or plain milliseconds; null if absent. */
    public java.time.Duration duration(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        java.time.Duration d;
        try {
            d = parseDuration(v);
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " expects a duration like 500ms, 1s or 2m, got '" + v + "'");
        }
        if (d.isNegative() || d.isZero()) {
            throw new UsageException("option --" + name + " must be positive, got '" + v + "'");
        }
        return d;
    }

    /** Parses {@code 500ms}, {@code 1s}, {@code 1.5s}, {@code 2m} or plain milliseconds. */
    public static java.time.Duration parseDuration(String text) {
        String s = text.trim().toLowerCase();
        if (s.endsWith("ms")) {
            return java.time.Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        if (s.endsWith("s")) {
            return java.time.Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
        }
        if (s.endsWith("m")) {
            return java.time.Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
        }
        return java.time.Duration.ofMillis(Long.parseLong(s));
    }

    /** Accepts {@code 1000}, {@code 1_000}, {@code 10k}, {@code 2m}. */
    static long parseCount(String v) {
        String s = v.replace("_", "").trim().toLowerCase();
        long mult = 1;
        if (s.endsWith("k")) {
            mult = 1_000;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            mult = 1_000_000;
            s = s.substring(0, s.length() - 1);
        }
        return Math.multiplyExact(Long.parseLong(s), mult);
    }
}
