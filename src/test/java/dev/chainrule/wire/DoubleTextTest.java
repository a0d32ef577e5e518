package dev.chainrule.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.core.io.schubfach.DoubleToDecimal;

/** DoubleText writes, byte for byte, what Jackson's Schubfach writer writes, and reads back as the same double. */
class DoubleTextTest {

    private static String text(double v) {
        byte[] out = new byte[DoubleText.MAX_LENGTH + 2];
        out[0] = 'x';
        int end = DoubleText.write(v, out, 1);
        assertThat(end - 1).isLessThanOrEqualTo(DoubleText.MAX_LENGTH);
        return new String(out, 1, end - 1, StandardCharsets.US_ASCII);
    }

    private static void same(double v) {
        String t = text(v);
        assertThat(t).as("bits %x", Double.doubleToRawLongBits(v)).isEqualTo(DoubleToDecimal.toString(v));
        assertThat(Double.parseDouble(t)).isEqualTo(v);
    }

    @Test
    void layoutAsDoubleToString() {
        assertThat(text(0.0)).isEqualTo("0.0");
        assertThat(text(-0.0)).isEqualTo("-0.0");
        assertThat(text(1)).isEqualTo("1.0");
        assertThat(text(-2.5)).isEqualTo("-2.5");
        assertThat(text(0.1)).isEqualTo("0.1");
        assertThat(text(0.001)).isEqualTo("0.001");
        assertThat(text(0.0001)).isEqualTo("1.0E-4");
        assertThat(text(1234567.0)).isEqualTo("1234567.0");
        assertThat(text(12345678.0)).isEqualTo("1.2345678E7");
        assertThat(text(1e7)).isEqualTo("1.0E7");
        assertThat(text(0.5866085718467474)).isEqualTo("0.5866085718467474");
        assertThat(text(2e-323)).isEqualTo("2.0E-323");
        assertThat(text(Double.MIN_VALUE)).isEqualTo("4.9E-324");
        assertThat(text(-Double.MAX_VALUE)).isEqualTo("-1.7976931348623157E308");
    }

    @Test
    void edgesAndPowers() {
        for (int e = -325; e <= 308; e++) {
            double p = Double.parseDouble("1e" + e);
            same(p);
            same(Math.nextUp(p));
            same(Math.nextDown(p));
            same(-p / 3);
        }
        for (int e = -1074; e <= 1023; e++) {
            same(Math.scalb(1.0, e));
            same(Math.nextUp(Math.scalb(1.0, e)));
        }
        for (long i = 0; i < 100_000; i++) {
            same(i);
            same(i / 1000.0);
        }
        same(Double.MIN_NORMAL);
        same(Math.nextDown(Double.MIN_NORMAL));
        same(Double.MAX_VALUE);
        same(9007199254740991.0);
        same(9007199254740993.0);
    }

    @Test
    void randomBitPatternsAndRandomValues() {
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < 300_000; i++) {
            double v = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(v)) {
                same(v);
            }
            same(random.nextGaussian() * Math.pow(10, random.nextInt(-12, 12)));
        }
    }

    /**
     * Every shape the layout takes: 1 to 17 significant digits (so 0 to 16 trailing zeros dropped from the digit
     * groups) with the point before, inside and after them, in plain and in scientific layout, and the values an
     * answer is made of (sums of products: 16 and 17 digits), both signs.
     */
    @Test
    void everyDigitCountAtEveryPointPosition() {
        SplittableRandom random = new SplittableRandom(34);
        for (int digits = 1; digits <= 17; digits++) {
            for (int exponent = -12; exponent <= 12; exponent++) {
                for (int i = 0; i < 40; i++) {
                    StringBuilder d = new StringBuilder().append((char) ('1' + random.nextInt(9)));
                    for (int j = 1; j < digits; j++) {
                        d.append((char) ('0' + random.nextInt(10)));
                    }
                    if (i % 4 == 0 && digits > 1) {
                        d.setCharAt(digits - 1, '1');                    // a last digit 1 after zeros
                        for (int j = 1; j < digits - 1; j++) {
                            d.setCharAt(j, '0');
                        }
                    }
                    double v = Double.parseDouble(d + "e" + (exponent - digits + 1));
                    same(v);
                    same(-v);
                }
            }
        }
        for (int i = 0; i < 200_000; i++) {
            double sum = 0;
            for (int j = 0; j < 8; j++) {
                sum += random.nextGaussian() * Math.round(random.nextGaussian() * 1e4) / 1e4;
            }
            same(sum * Math.pow(10, random.nextInt(-6, 9)));
            same(Math.max(0, sum));
        }
    }

    @Test
    void refusesWhatJsonCannotSay() {
        byte[] out = new byte[DoubleText.MAX_LENGTH];
        assertThatThrownBy(() -> DoubleText.write(Double.NaN, out, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DoubleText.write(Double.NEGATIVE_INFINITY, out, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
