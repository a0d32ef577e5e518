package dev.chainrule.engine;

/**
 * The matrix products of the engine: A is read flat and row-major (a tensor's own {@code data}), B as rows, and
 * the product is written flat. The innermost loop runs along contiguous rows with no reduction —
 * {@code out[i][·] += Σ a · B[p][·]} — which the JIT turns into SIMD; two output rows are summed together so each
 * row of B read serves both, and a row of B whose multipliers are zero (ReLU leaves about half of them zero) is
 * never read. Commons Math's products take a dot product per entry (a reduction it cannot vectorise) and need an
 * explicit transpose for two of these shapes.
 */
public final class Kernels {

    /** Edge of the square tiles a transpose copies, so both its source and its target stay in the L1 cache. */
    private static final int TILE = 16;

    private Kernels() {
    }

    /**
     * out = A·B (+ 1bᵀ when {@code bias} is not null) for A of n×k (flat), B of k×m given by its rows and out of
     * n×m (flat). B comes as rows because the JIT (Java 17) vectorises a sweep only when every array in it is
     * indexed from 0: output rows are summed in rows of their own, two at a time, then copied (with the bias added)
     * into place.
     */
    public static void multiply(double[] a, double[][] b, double[] bias, double[] out, int n, int k, int m) {
        multiply(new Strided(a, 0, k), b, bias, new Strided(out, 0, m), false, n, k, m);
    }

    /**
     * A matrix held inside a flat array, row i starting at {@code at + i·stride}: one example of a batch, or a
     * block of a wider matrix's columns (a convolution's output positions, a block at a time).
     */
    public record Strided(double[] data, int at, int stride) {
    }

    /**
     * out = A·B (+ 1bᵀ), or out += A·B when {@code add}, for A of n×k and out of n×m held {@link Strided}, B of
     * k×m given by its rows (of at least m entries).
     */
    public static void multiply(Strided a, double[][] b, double[] bias, Strided out, boolean add, int n, int k, int m) {
        double[] data = a.data();
        Pair pair = new Pair(k, m);
        int i = 0;
        for (; i + 1 < n; i += 2) {
            int from = a.at() + i * a.stride();
            int next = from + a.stride();
            int count = 0;
            for (int p = 0; p < k; p++) {
                count = pair.gather(count, p, data[from + p], data[next + p]);
            }
            pair.accumulate(count, b, m);
            place(pair.row0, bias, out.data(), out.at() + i * out.stride(), m, add);
            place(pair.row1, bias, out.data(), out.at() + (i + 1) * out.stride(), m, add);
        }
        if (i < n) {
            int from = a.at() + i * a.stride();
            int count = 0;
            for (int p = 0; p < k; p++) {
                count = pair.gather(count, p, data[from + p], 0.0);
            }
            pair.accumulateOne(count, b, m);
            place(pair.row0, bias, out.data(), out.at() + i * out.stride(), m, add);
        }
    }

    /** out = Aᵀ·B for A of k×n (flat), B of k×m given by its rows and out of n×m (e.g. ∂J/∂W = Δᵀ·X). */
    public static void transposeMultiply(double[] a, double[][] b, double[] out, int k, int n, int m) {
        Pair pair = new Pair(k, m);
        int i = 0;
        for (; i + 1 < n; i += 2) {
            int count = 0;
            for (int p = 0; p < k; p++) {
                count = pair.gather(count, p, a[p * n + i], a[p * n + i + 1]);
            }
            pair.accumulate(count, b, m);
            place(pair.row0, null, out, i * m, m, false);
            place(pair.row1, null, out, (i + 1) * m, m, false);
        }
        if (i < n) {
            int count = 0;
            for (int p = 0; p < k; p++) {
                count = pair.gather(count, p, a[p * n + i], 0.0);
            }
            pair.accumulateOne(count, b, m);
            place(pair.row0, null, out, i * m, m, false);
        }
    }

    /**
     * Two output rows summed together, so each row of B read serves both: their multipliers of the rows of B
     * where either is non-zero (a row of B whose multipliers are both zero is never read; ReLU leaves about half
     * of them zero), and the rows' sums.
     */
    private static final class Pair {
        final int[] nonzero;
        final double[] s;
        final double[] t;
        final double[] row0;
        final double[] row1;

        Pair(int k, int m) {
            nonzero = new int[k];
            s = new double[k];
            t = new double[k];
            row0 = new double[m];
            row1 = new double[m];
        }

        /**
         * Keeps B's row p with multipliers u (first row) and v (second) unless both are zero; the new count. Written
         * always and counted only when kept, without a branch: the zeros fall at random, a branch would mispredict.
         */
        int gather(int count, int p, double u, double v) {
            nonzero[count] = p;
            s[count] = u;
            t[count] = v;
            return count + (u != 0.0 | v != 0.0 ? 1 : 0);
        }

        /**
         * row0 = Σ s[q]·B[nonzero[q]] and row1 = Σ t[q]·B[nonzero[q]], four rows of B per sweep: each entry of B
         * is loaded once for two multiply-adds and each output entry once for four, in a plain element-wise loop
         * the JIT vectorises, with both output rows in the L1 cache while B's rows stream past.
         */
        void accumulate(int count, double[][] b, int m) {
            double[] r0 = row0;
            double[] r1 = row1;
            java.util.Arrays.fill(r0, 0.0);
            java.util.Arrays.fill(r1, 0.0);
            int q = 0;
            for (; q + 3 < count; q += 4) {
                double s0 = s[q];
                double s1 = s[q + 1];
                double s2 = s[q + 2];
                double s3 = s[q + 3];
                double t0 = t[q];
                double t1 = t[q + 1];
                double t2 = t[q + 2];
                double t3 = t[q + 3];
                double[] b0 = b[nonzero[q]];
                double[] b1 = b[nonzero[q + 1]];
                double[] b2 = b[nonzero[q + 2]];
                double[] b3 = b[nonzero[q + 3]];
                for (int j = 0; j < m; j++) {
                    double x0 = b0[j];
                    double x1 = b1[j];
                    double x2 = b2[j];
                    double x3 = b3[j];
                    r0[j] += s0 * x0 + s1 * x1 + s2 * x2 + s3 * x3;
                    r1[j] += t0 * x0 + t1 * x1 + t2 * x2 + t3 * x3;
                }
            }
            for (; q < count; q++) {
                double s0 = s[q];
                double t0 = t[q];
                double[] b0 = b[nonzero[q]];
                for (int j = 0; j < m; j++) {
                    double x0 = b0[j];
                    r0[j] += s0 * x0;
                    r1[j] += t0 * x0;
                }
            }
        }

        /**
         * row0 = Σ s[q]·B[nonzero[q]] alone (a last row without a partner, or a single example), four rows of B per
         * sweep: the output entry is loaded and stored once for four multiply-adds.
         */
        void accumulateOne(int count, double[][] b, int m) {
            double[] r0 = row0;
            java.util.Arrays.fill(r0, 0.0);
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
                    r0[j] += s0 * b0[j] + s1 * b1[j] + s2 * b2[j] + s3 * b3[j];
                }
            }
            for (; q < count; q++) {
                double s0 = s[q];
                double[] b0 = b[nonzero[q]];
                for (int j = 0; j < m; j++) {
                    r0[j] += s0 * b0[j];
                }
            }
        }
    }

    /** out[at…at+m) = row (+ bias), or += row when {@code add}. */
    private static void place(double[] row, double[] bias, double[] out, int at, int m, boolean add) {
        if (add) {
            for (int j = 0; j < m; j++) {
                out[at + j] += row[j] + (bias == null ? 0.0 : bias[j]);
            }
        } else if (bias == null) {
            System.arraycopy(row, 0, out, at, m);
        } else {
            for (int j = 0; j < m; j++) {
                out[at + j] = row[j] + bias[j];
            }
        }
    }

    /** The rows of a flat rows×cols matrix, copied. */
    public static double[][] rows(double[] m, int rows, int cols) {
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = java.util.Arrays.copyOfRange(m, i * cols, (i + 1) * cols);
        }
        return out;
    }

    /** The rows of Mᵀ (cols rows of rows entries) for a flat rows×cols M, tile by tile. */
    public static double[][] transposeRows(double[] m, int rows, int cols) {
        double[][] out = new double[cols][rows];
        for (int i0 = 0; i0 < rows; i0 += TILE) {
            int i1 = Math.min(rows, i0 + TILE);
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                int j1 = Math.min(cols, j0 + TILE);
                for (int i = i0; i < i1; i++) {
                    int from = i * cols;
                    for (int j = j0; j < j1; j++) {
                        out[j][i] = m[from + j];
                    }
                }
            }
        }
        return out;
    }
}
