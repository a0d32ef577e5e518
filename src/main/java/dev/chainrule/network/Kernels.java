package dev.chainrule.network;

/**
 * The three matrix products of a dense layer on row-major {@code double[][]} (rows are examples), written so the
 * innermost loop runs along a contiguous row with no reduction — {@code out[i][·] += Σ a · row[·]} — which the JIT
 * turns into SIMD, one output row at a time with its non-zero multipliers gathered first. Commons Math's products
 * take a dot product per entry (a reduction it cannot vectorise) and need an explicit transpose for two of these
 * three shapes.
 */
final class Kernels {

    private Kernels() {
    }

    /** A·B for A of n×k and B of k×m. */
    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int k = b.length;
        int m = b[0].length;
        double[][] out = new double[n][m];
        int[] nonzero = new int[k];
        double[] s = new double[k];
        for (int i = 0; i < n; i++) {
            double[] ai = a[i];
            int count = 0;
            for (int p = 0; p < k; p++) {
                if (ai[p] != 0.0) {
                    nonzero[count] = p;
                    s[count++] = ai[p];
                }
            }
            accumulate(out[i], s, nonzero, count, b, m);
        }
        return out;
    }

    /** out += Aᵀ·B for A of k×n, B of k×m and out of n×m (e.g. ∂J/∂W += Σₖ δₖᵀ xₖᵀ = Δᵀ·X, pass by pass). */
    static void addTransposeMultiply(double[][] a, double[][] b, double[][] out) {
        int k = a.length;
        int n = a[0].length;
        int m = b[0].length;
        int[] nonzero = new int[k];
        double[] s = new double[k];
        for (int i = 0; i < n; i++) {
            int count = 0;
            for (int p = 0; p < k; p++) {
                double v = a[p][i];
                if (v != 0.0) {
                    nonzero[count] = p;
                    s[count++] = v;
                }
            }
            accumulate(out[i], s, nonzero, count, b, m);
        }
    }

    /**
     * row += Σ s[q]·B[nonzero[q]] over the {@code count} non-zero multipliers (ReLU leaves many zeros), four rows
     * of B per sweep so {@code row} is loaded and stored once for four multiply-adds: the sweep is a plain
     * element-wise loop the JIT vectorises, and row stays in the L1 cache while B's rows stream past.
     */
    private static void accumulate(double[] row, double[] s, int[] nonzero, int count, double[][] b, int m) {
        int q = 0;
        for (; q + 3 < count; q += 4) {
            double s0 = s[q];
            double s1 = s[q + 1];
            double s2 = s[q + 2];
            double s3 = s[q + 3];
            double[] b0 = b[nonzero[q]];
            double[] b1 = b[nonzero[q + 1]];
            double[] b2 = b[nonzero[q + 2]];
            double[] b3 = b[nonzero[q + 3]];
            for (int j = 0; j < m; j++) {
                row[j] += s0 * b0[j] + s1 * b1[j] + s2 * b2[j] + s3 * b3[j];
            }
        }
        for (; q < count; q++) {
            double s0 = s[q];
            double[] b0 = b[nonzero[q]];
            for (int j = 0; j < m; j++) {
                row[j] += s0 * b0[j];
            }
        }
    }

    /** Mᵀ, for a matrix given by its rows. */
    static double[][] transpose(double[][] m) {
        int rows = m.length;
        int cols = m[0].length;
        double[][] out = new double[cols][rows];
        for (int i = 0; i < rows; i++) {
            double[] r = m[i];
            for (int j = 0; j < cols; j++) {
                out[j][i] = r[j];
            }
        }
        return out;
    }
}
