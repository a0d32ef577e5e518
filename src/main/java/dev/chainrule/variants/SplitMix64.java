package dev.chainrule.variants;

/**
 * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014), written out
 * here so that a seed gives the same numbers on every JVM and in every later version of this service: unlike
 * {@code java.util.Random} or {@code SplittableRandom}, nothing here is left to a library to change.
 */
final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** The next 64 bits: state += γ; z = state; z = (z ⊕ z≫30)·0xBF58476D1CE4E5B9; z = (z ⊕ z≫27)·0x94D049BB133111EB; z ⊕ z≫31. */
    long next() {
        long z = state += GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A number in [0, n): the next output, as an unsigned 64-bit number, modulo n (n ≥ 1). */
    long below(long n) {
        return Long.remainderUnsigned(next(), n);
    }
}
