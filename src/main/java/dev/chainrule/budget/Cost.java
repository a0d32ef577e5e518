package dev.chainrule.budget;

/**
 * What answering a request will take, predicted before any of it is done ({@link CostModel}).
 *
 * @param work        CPU, in work units: about a nanosecond each on the reference machine (BENCHMARKS.md)
 * @param answerBytes the size of the answer as written, which is also about the memory its building needs
 */
public record Cost(long work, long answerBytes) {

    public static final Cost ZERO = new Cost(0, 0);

    public Cost {
        if (work < 0 || answerBytes < 0) {
            throw new IllegalArgumentException("a cost is not negative");
        }
    }

    public Cost plus(Cost other) {
        return new Cost(saturatedAdd(work, other.work), saturatedAdd(answerBytes, other.answerBytes));
    }

    /** This much more work, the answer unchanged. */
    public Cost plusWork(double units) {
        return new Cost(saturatedAdd(work, units(units)), answerBytes);
    }

    /** Work units as a whole number, rounded up and saturated at {@code Long.MAX_VALUE}. */
    public static long units(double units) {
        return units >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(Math.max(0, units));
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
