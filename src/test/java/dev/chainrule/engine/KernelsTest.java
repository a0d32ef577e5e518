package dev.chainrule.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The dense products against the textbook triple loop, on shapes that reach every path of the kernels (an odd
 * last row, fewer than four non-zero multipliers, rows of B left over after the four-row sweeps, one column) and on
 * multipliers with ReLU's zeros. Small integers make every sum exact whatever its order, so those must be equal to
 * the bit; random reals agree to rounding.
 */
class KernelsTest {

    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 3, 1}, {2, 1, 5}, {3, 2, 1}, {3, 5, 7}, {4, 4, 4}, {5, 9, 3}, {7, 13, 17}, {8, 16, 10},
        {9, 256, 10}, {64, 33, 31}, {65, 40, 64},
    };

    @Test
    void multiplyIsTheTextbookProductWithBias() {
        Random random = new Random(11);
        for (int[] shape : SHAPES) {
            int n = shape[0];
            int k = shape[1];
            int m = shape[2];
            for (boolean integers : new boolean[] {true, false}) {
                double[] a = matrix(random, n * k, integers);
                double[] b = matrix(random, k * m, integers);
                double[] bias = matrix(random, m, integers);
                double[] expected = new double[n * m];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        double sum = 0;
                        for (int p = 0; p < k; p++) {
                            sum += a[i * k + p] * b[p * m + j];
                        }
                        expected[i * m + j] = sum + bias[j];
                    }
                }
                double[] out = new double[n * m];
                Kernels.multiply(a, Kernels.rows(b, k, m), bias, out, n, k, m);
                same(out, expected, integers, "A·B + b for " + n + "×" + k + "·" + k + "×" + m);
                double[] withoutBias = new double[n * m];
                Kernels.multiply(a, Kernels.rows(b, k, m), null, withoutBias, n, k, m);
                for (int i = 0; i < n * m; i++) {
                    expected[i] -= bias[i % m];
                }
                same(withoutBias, expected, integers, "A·B for " + n + "×" + k + "·" + k + "×" + m);
            }
        }
    }

    @Test
    void transposeMultiplyIsTheTextbookProduct() {
        Random random = new Random(12);
        for (int[] shape : SHAPES) {
            int k = shape[0];
            int n = shape[1];
            int m = shape[2];
            for (boolean integers : new boolean[] {true, false}) {
                double[] a = matrix(random, k * n, integers);
                double[] b = matrix(random, k * m, integers);
                double[] expected = new double[n * m];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        double sum = 0;
                        for (int p = 0; p < k; p++) {
                            sum += a[p * n + i] * b[p * m + j];
                        }
                        expected[i * m + j] = sum;
                    }
                }
                double[] out = new double[n * m];
                Kernels.transposeMultiply(a, Kernels.rows(b, k, m), out, k, n, m);
                same(out, expected, integers, "Aᵀ·B for " + k + "×" + n + ", " + k + "×" + m);
            }
        }
    }

    @Test
    void transposeAndRowsMoveEveryEntry() {
        Random random = new Random(13);
        for (int[] shape : SHAPES) {
            int r = shape[1];
            int c = shape[2];
            double[] m = matrix(random, r * c, false);
            double[][] t = Kernels.transposeRows(m, r, c);
            double[][] rows = Kernels.rows(m, r, c);
            assertThat(t).hasNumberOfRows(c);
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) {
                    assertThat(t[j][i]).isEqualTo(m[i * c + j]);
                    assertThat(rows[i][j]).isEqualTo(m[i * c + j]);
                }
            }
        }
    }

    @Test
    void aRowOfZerosGivesZerosNotMinusZero() {
        double[] a = {0, 0, -1, 0};
        double[] b = {0, 0, 0, 0, 0, 0, 0, 0}; // 4×2 of zeros: −1·0 = −0, and the sum starts from +0
        double[] out = {9, 9, 9, 9};
        Kernels.multiply(a, Kernels.rows(b, 4, 2), null, out, 2, 2, 2);
        for (double v : out) {
            assertThat(Double.doubleToRawLongBits(v)).isZero();
        }
    }

    /** Entries with about half of them zero, as after ReLU; small integers, or reals. */
    private static double[] matrix(Random random, int size, boolean integers) {
        double[] m = new double[size];
        for (int i = 0; i < size; i++) {
            if (random.nextBoolean()) {
                m[i] = integers ? random.nextInt(7) - 3 : random.nextGaussian();
            }
        }
        return m;
    }

    private static void same(double[] actual, double[] expected, boolean exact, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (exact) {
                assertThat(actual[i]).as(what + " at " + i).isEqualTo(expected[i]);
            } else {
                assertThat(actual[i]).as(what + " at " + i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-12 * (1 + Math.abs(expected[i]))));
            }
        }
    }
}
