package dev.chainrule.engine;

import org.apache.commons.math3.special.Erf;

/**
 * The functions that graph ops and network layers share, each written once with its derivative beside it: the ops
 * of {@link Ops} and the activations and losses of the network package call these, so a value computed either way
 * is the same double.
 */
public final class Maths {

    private static final double SOFTPLUS_THRESHOLD = 20.0;
    private static final double SQRT1_2 = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    private Maths() {
    }

    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);

    // relu(z) = max(0, z); relu'(z) = 1[z > 0] (relu'(0) = 0, as PyTorch). Exactly z > 0 ? z : 0.0 and
    // z > 0 ? 1.0 : 0.0 (NaN and −0 give +0), selected as bits by a conditional move: half the signs of a layer
    // are a coin toss that a branch would mispredict, about four times slower
    public static double relu(double z) { return Double.longBitsToDouble(Double.doubleToRawLongBits(z) & (z > 0 ? -1L : 0L)); }
    public static double reluSlope(double z) { return Double.longBitsToDouble(z > 0 ? ONE_BITS : 0L); }

    // σ(z) = 1 / (1 + e^−z); σ'(z) = h(1 − h) with h = σ(z)
    public static double sigmoid(double z) { return 1.0 / (1.0 + Math.exp(-z)); }
    public static double sigmoidSlope(double h) { return h * (1.0 - h); }

    // tanh'(z) = 1 − h² with h = tanh(z)
    public static double tanhSlope(double h) { return 1.0 - h * h; }

    // softplus(z) = log(1 + e^z) (= z above 20, as PyTorch); softplus'(z) = σ(z) = e^z / (e^z + 1) (= 1 above 20)
    public static double softplus(double z) { return z > SOFTPLUS_THRESHOLD ? z : Math.log1p(Math.exp(z)); }
    public static double softplusSlope(double z) {
        if (z > SOFTPLUS_THRESHOLD) {
            return 1.0;
        }
        double e = Math.exp(z);
        return e / (e + 1.0);
    }

    // gelu(z) = z·Φ(z), Φ(z) = ½(1 + erf(z/√2)) (exact, with erf); gelu'(z) = Φ(z) + z·φ(z), φ(z) = e^(−z²/2)/√(2π)
    public static double gelu(double z) { return z * 0.5 * (1.0 + Erf.erf(z * SQRT1_2)); }
    public static double geluSlope(double z) {
        double cdf = 0.5 * (1.0 + Erf.erf(z * SQRT1_2));
        double pdf = INV_SQRT_2PI * Math.exp(-0.5 * z * z);
        return cdf + z * pdf;
    }

    /**
     * log(1 + e^t) for every finite t without overflow: max(t, 0) + log(1 + e^−|t|), the form the logistic loss uses
     * (PyTorch's binary_cross_entropy_with_logits); {@link #softplus} is the activation's, with its threshold.
     */
    public static double logOnePlusExp(double t) {
        return Math.max(t, 0.0) + Math.log1p(Math.exp(-Math.abs(t)));
    }

    /** h = softmax(z) = e^(z − max z) / Σ e^(z − max z), written into {@code h}. */
    public static void softmax(double[] z, double[] h) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            h[i] = Math.exp(z[i] - max);
            sum += h[i];
        }
        for (int i = 0; i < z.length; i++) {
            h[i] /= sum;
        }
    }

    /** downstream = upstream · (diag(h) − h hᵀ) = h ⊙ (g − (g·h)), for h = softmax(z). */
    public static void softmaxBackward(double[] h, double[] upstream, double[] downstream) {
        double dot = 0;
        for (int i = 0; i < h.length; i++) {
            dot += upstream[i] * h[i];
        }
        for (int i = 0; i < h.length; i++) {
            downstream[i] = h[i] * (upstream[i] - dot);
        }
    }

    /** ∂h/∂z = diag(h) − h hᵀ for h = softmax(z). */
    public static double[][] softmaxJacobian(double[] h) {
        int n = h.length;
        double[][] jac = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                jac[i][j] = (i == j ? h[i] : 0.0) - h[i] * h[j];
            }
        }
        return jac;
    }

    /** log Σᵢ e^vᵢ, stably: m + log Σ e^(vᵢ − m) with m = max v; its gradient is softmax(v)ᵀ. */
    public static double logSumExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (double x : v) {
            sum += Math.exp(x - max);
        }
        return max + Math.log(sum);
    }
}
