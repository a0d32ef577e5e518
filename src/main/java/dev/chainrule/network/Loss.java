package dev.chainrule.network;

import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Maths;

/**
 * The loss J of one example, given the network's output ŷ, with its derivative ∂J/∂ŷ beside it. Targets are per
 * example, in the input's order. Both cross-entropies are in their numerically stable forms.
 */
public sealed interface Loss permits Loss.Score, Loss.SquaredError, Loss.SoftmaxCrossEntropy,
        Loss.BinaryCrossEntropy, Loss.MaxMargin {

    /** The wire name, e.g. {@code softmax_cross_entropy}. */
    String wireName();

    /** Forward passes per example: max-margin scores the true and the corrupt window, every other loss one. */
    default int passes() {
        return 1;
    }

    /** The same loss on the examples {@code chosen} (a mini-batch): each per-example target goes with its example. */
    Loss select(int[] chosen);

    /** The rows of {@code all} at {@code chosen}. */
    private static double[][] rows(double[][] all, int[] chosen) {
        double[][] out = new double[chosen.length][];
        for (int i = 0; i < chosen.length; i++) {
            out[i] = all[chosen[i]];
        }
        return out;
    }

    /** J of example k; for max-margin {@code corruptScore} is s_c, otherwise ignored. */
    double value(double[] output, int k, double corruptScore);

    /** ∂J/∂ŷ of example k, as a row, into {@code gradient}; for max-margin it is ∂J/∂s (∂J/∂s_c is its negation). */
    void gradient(double[] output, int k, double corruptScore, double[] gradient);

    /** The derivative ∂Jₖ/∂ŷ in the lecture's notation for an output named {@code out}, Unicode and LaTeX side by side. */
    Formula gradient(String out);

    /** The loss of one example on the output {@code out} in the lecture's notation, Unicode and LaTeX side by side. */
    Formula formula(String out);

    /** J = s; ∂J/∂s = 1. */
    record Score() implements Loss {
        @Override public String wireName() { return "score"; }
        @Override public Loss select(int[] chosen) { return this; }
        @Override public double value(double[] out, int k, double sc) { return out[0]; }
        @Override public void gradient(double[] out, int k, double sc, double[] g) { g[0] = 1.0; }
        @Override public Formula formula(String out) { return Formula.sym(out); }
        @Override public Formula gradient(String out) { return new Formula.Tex("1", "1"); }
    }

    /** J = ½ Σᵢ (ŷᵢ − yᵢ)²; ∂J/∂ŷ = (ŷ − y)ᵀ. */
    record SquaredError(double[][] targets) implements Loss {
        @Override public String wireName() { return "squared_error"; }
        @Override public Loss select(int[] chosen) { return new SquaredError(Loss.rows(targets, chosen)); }

        @Override
        public double value(double[] out, int k, double sc) {
            double sum = 0;
            for (int i = 0; i < out.length; i++) {
                double d = out[i] - targets[k][i];
                sum += d * d;
            }
            return 0.5 * sum;
        }

        @Override
        public void gradient(double[] out, int k, double sc, double[] g) {
            for (int i = 0; i < out.length; i++) {
                g[i] = out[i] - targets[k][i];
            }
        }

        @Override public Formula formula(String out) { return new Formula.Tex("½‖" + out + " − y‖²", "\\tfrac{1}{2}\\|" + Formula.name(out) + " - y\\|^{2}"); }
        @Override public Formula gradient(String out) { return new Formula.Tex("(" + out + " − y)ᵀ", "(" + Formula.name(out) + " - y)^{\\top}"); }
    }

    /**
     * p = softmax(ŷ), J = −Σᵢ yᵢ log pᵢ with log p = ŷ − logΣexp(ŷ) (stable); ∂J/∂ŷ = (p·Σy − y)ᵀ = (p − y)ᵀ for a
     * distribution y. A class index c is the one-hot y = e_c.
     */
    record SoftmaxCrossEntropy(double[][] targets) implements Loss {
        @Override public String wireName() { return "softmax_cross_entropy"; }
        @Override public Loss select(int[] chosen) { return new SoftmaxCrossEntropy(Loss.rows(targets, chosen)); }

        @Override
        public double value(double[] out, int k, double sc) {
            double lse = Maths.logSumExp(out);
            double sum = 0;
            for (int i = 0; i < out.length; i++) {
                double y = targets[k][i];
                if (y != 0) {
                    sum -= y * (out[i] - lse);
                }
            }
            return sum;
        }

        @Override
        public void gradient(double[] out, int k, double sc, double[] g) {
            double lse = Maths.logSumExp(out);
            double mass = 0;
            for (double y : targets[k]) {
                mass += y;
            }
            for (int i = 0; i < out.length; i++) {
                g[i] = Math.exp(out[i] - lse) * mass - targets[k][i];
            }
        }

        @Override public Formula formula(String out) {
            return new Formula.Tex("−Σᵢ yᵢ log softmax(" + out + ")ᵢ", "-\\sum_{i} y_{i} \\log \\operatorname{softmax} (" + Formula.name(out) + ")_{i}");
        }
        @Override public Formula gradient(String out) {
            return new Formula.Tex("(softmax(" + out + ") − y)ᵀ", "(\\operatorname{softmax} (" + Formula.name(out) + ") - y)^{\\top}");
        }
    }

    /** p = σ(ŷ), J = −[y log p + (1−y) log(1−p)] = softplus(ŷ) − yŷ (stable); ∂J/∂ŷ = σ(ŷ) − y. */
    record BinaryCrossEntropy(double[] targets) implements Loss {
        @Override public String wireName() { return "binary_cross_entropy"; }
        @Override public Loss select(int[] chosen) {
            double[] t = new double[chosen.length];
            for (int i = 0; i < chosen.length; i++) {
                t[i] = targets[chosen[i]];
            }
            return new BinaryCrossEntropy(t);
        }

        @Override
        public double value(double[] out, int k, double sc) {
            double t = out[0];
            // softplus(t) = max(t, 0) + log(1 + e^−|t|)
            return Math.max(t, 0.0) + Math.log1p(Math.exp(-Math.abs(t))) - targets[k] * t;
        }

        @Override
        public void gradient(double[] out, int k, double sc, double[] g) {
            g[0] = Maths.sigmoid(out[0]) - targets[k];
        }

        @Override public Formula formula(String out) {
            String o = Formula.name(out);
            return new Formula.Tex("−[y log σ(" + out + ") + (1 − y) log(1 − σ(" + out + "))]",
                    "-[y \\log \\sigma (" + o + ") + (1 - y) \\log (1 - \\sigma (" + o + "))]");
        }
        @Override public Formula gradient(String out) { return new Formula.Tex("σ(" + out + ") − y", "\\sigma (" + Formula.name(out) + ") - y"); }
    }

    /**
     * J = max(0, margin − s + s_c); ∂J/∂s = −1 and ∂J/∂s_c = +1 where margin − s + s_c &gt; 0, both 0 otherwise
     * (exactly 0 passes no gradient, as PyTorch's relu).
     *
     * @param corruptInputs x_c of each example, in the input's order
     */
    record MaxMargin(double[][] corruptInputs, double margin) implements Loss {
        public static final double DEFAULT_MARGIN = 1.0;

        @Override public int passes() { return 2; }

        @Override public Loss select(int[] chosen) { return new MaxMargin(Loss.rows(corruptInputs, chosen), margin); }

        @Override public String wireName() { return "max_margin"; }

        @Override
        public double value(double[] out, int k, double sc) {
            return Math.max(0.0, margin - out[0] + sc);
        }

        @Override
        public void gradient(double[] out, int k, double sc, double[] g) {
            g[0] = (margin - out[0] + sc) > 0 ? -1.0 : 0.0;
        }

        @Override public Formula formula(String out) {
            String m = margin == Math.rint(margin) && Math.abs(margin) < 1e15 ? Long.toString((long) margin) : Double.toString(margin);
            return new Formula.Tex("max(0, " + m + " − s + s_c)", "\\max (0, " + m + " - s + s_{c})");
        }
        @Override public Formula gradient(String out) { return new Formula.Tex("−1[margin − s + s_c > 0]", "-\\mathbf{1}[\\text{margin} - s + s_{c} > 0]"); }
    }
}
