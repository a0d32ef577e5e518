package dev.chainrule.network;

/**
 * The three matrix products of a dense layer on row-major {@code double[][]} (rows are examples), written so the
 * innermost loop runs along a contiguous row with no reduction — {@code out[i][·] += a · row[·]} — which the JIT
 * turns into SIMD. Commons Math's products take a dot product per entry (a reduction it cannot vectorise) and
 * need an explicit transpose for two of these three shapes.
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
        for (int i = 0; i < n; i++) {
            double[] row = out[i];
            double[] ai = a[i];
            for (int p = 0; p < k; p++) {
                double s = ai[p];
                if (s != 0.0) {
                    double[] bp = b[p];
                    for (int j = 0; j < m; j++) {
                        row[j] += s * bp[j];
                    }
                }
            }
        }
        return out;
    }

    /** out += Aᵀ·B for A of k×n, B of k×m and out of n×m (e.g. ∂J/∂W += Σₖ δₖᵀ xₖᵀ = Δᵀ·X, pass by pass). */
    static void addTransposeMultiply(double[][] a, double[][] b, double[][] out) {
        int k = a.length;
        int n = a[0].length;
        int m = b[0].length;
        for (int p = 0; p < k; p++) {
            double[] ap = a[p];
            double[] bp = b[p];
            for (int i = 0; i < n; i++) {
                double s = ap[i];
                if (s != 0.0) {
                    double[] row = out[i];
                    for (int j = 0; j < m; j++) {
                        row[j] += s * bp[j];
                    }
                }
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
