package io.tidemill.connector.nexmark;

/**
 * Stateless SplitMix64 draws: the {@code k}-th random value of event {@code index} depends only on
 * (seed, index, k), so any range of indices can be generated independently and identically.
 */
final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private SplitMix64() {
    }

    /** The base value of {@code index} under {@code seed}; pass it to {@link #draw}. */
    static long base(long seed, long index) {
        return mix(seed ^ mix(index * GOLDEN_GAMMA + GOLDEN_GAMMA));
    }

    /** The {@code k}-th 64-bit draw from {@code base}. */
    static long draw(long base, int k) {
        return mix(base + (k + 1) * GOLDEN_GAMMA);
    }

    /** The {@code k}-th draw from {@code base}, uniform enough in {@code [0, bound)}. */
    static long below(long base, int k, long bound) {
        return (draw(base, k) >>> 1) % bound;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
