package io.tidemill.bench;

/** Nearest-rank percentiles of sorted samples, as the benchmark tables print them. */
final class Percentiles {
    private Percentiles() {}

    /** The {@code p}-th percentile of {@code sorted}, or {@code "-"} when there are no samples. */
    static String of(long[] sorted, int p) {
        if (sorted.length == 0) {
            return "-";
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return String.valueOf(sorted[Math.max(0, Math.min(sorted.length - 1, i))]);
    }
}
