package dev.chainrule.variants;

import java.math.BigDecimal;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The values a varied number may take: {@code min}, {@code min + step}, … up to {@code max}, without 0 when
 * {@code nonzero}. Computed in decimal, so 0.1 steps give 0.3, never 0.30000000000000004; written as JSON
 * integers when min and step are whole numbers, else as decimals.
 */
record Range(BigDecimal min, BigDecimal max, BigDecimal step, boolean nonzero) {

    /** How many values there are. */
    long count() {
        long n = max.subtract(min).divideToIntegralValue(step).longValueExact() + 1;
        return nonzero && zeroIndex() >= 0 ? n - 1 : n;
    }

    /** The index of 0 among the values, or −1 when 0 is not one of them. */
    private long zeroIndex() {
        if (min.signum() > 0 || max.signum() < 0) {
            return -1;
        }
        BigDecimal[] qr = min.negate().divideAndRemainder(step);
        return qr[1].signum() == 0 ? qr[0].longValueExact() : -1;
    }

    boolean integral() {
        return isWhole(min) && isWhole(step);
    }

    private static boolean isWhole(BigDecimal v) {
        return v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
    }

    /** The value drawn with the generator's next number. */
    JsonNode draw(SplitMix64 rng) {
        return value(rng.below(count()));
    }

    /** The first of the values (min, or the one after it when min is a 0 left out). */
    JsonNode first() {
        return value(0);
    }

    /** The last of the values (max, or the largest value of the steps below it). */
    JsonNode last() {
        return value(count() - 1);
    }

    /** The second of the values (the first when there is only one). */
    JsonNode second() {
        return value(Math.min(1, count() - 1));
    }

    /** The {@code k}-th of the values, from 0. */
    private JsonNode value(long k) {
        long zero = nonzero ? zeroIndex() : -1;
        if (zero >= 0 && k >= zero) {
            k++;
        }
        BigDecimal v = min.add(step.multiply(BigDecimal.valueOf(k)));
        return integral() ? JsonNodeFactory.instance.numberNode(v.longValueExact())
                : JsonNodeFactory.instance.numberNode(v.doubleValue() == 0 ? 0.0 : v.doubleValue());
    }
}
