package dev.chainrule.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The shared maths where the exact double matters: relu and its slope, selected without a branch. */
class MathsTest {

    private static final double[] SPECIAL = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1.5, -1.5,
        Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};

    @Test
    void reluIsExactlyTheComparisonItReplaces() {
        for (double z : SPECIAL) {
            double expected = z > 0 ? z : 0.0;
            assertThat(Double.doubleToRawLongBits(Maths.relu(z))).as("relu(%s)", z).isEqualTo(Double.doubleToRawLongBits(expected));
        }
    }

    @Test
    void reluSlopeIsExactlyTheIndicatorItReplaces() {
        for (double z : SPECIAL) {
            double expected = z > 0 ? 1.0 : 0.0;
            assertThat(Double.doubleToRawLongBits(Maths.reluSlope(z))).as("relu'(%s)", z).isEqualTo(Double.doubleToRawLongBits(expected));
        }
    }
}
