package dev.chainrule.network;

import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Op;
import dev.chainrule.engine.Ops;
import dev.chainrule.engine.Tensor;
import java.util.List;
import java.util.Set;

/**
 * p = softmax(ŷ), J = −Σᵢ yᵢ log pᵢ with log p = ŷ − logsumexp(ŷ) (stable); ∂J/∂ŷ = (p·Σy − y)ᵀ = (p − y)ᵀ for a
 * distribution y. A class index c is the one-hot y = e_c. Both come from the engine's logsumexp op: its value, and
 * its backward (softmax(ŷ) times the upstream Σy).
 */
public record SoftmaxCrossEntropy(double[][] targets) implements Loss {

    private static final double DISTRIBUTION_TOLERANCE = 1e-6;
    private static final Op LOGSUMEXP = Ops.logsumexp();

    @Override public String wireName() { return "softmax_cross_entropy"; }
    @Override public Loss select(int[] chosen) { return new SoftmaxCrossEntropy(Loss.rows(targets, chosen)); }

    // J = −Σᵢ yᵢ (ŷᵢ − lse(ŷ)); ∂J/∂ŷ = Σy · ∂lse/∂ŷ − y = Σy · softmax(ŷ) − y
    @Override
    public double value(double[] out, int k, double sc) {
        double lse = LOGSUMEXP.forward(new Tensor[] {Tensor.vector(out)}).item();
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
        Tensor[] in = {Tensor.vector(out)};
        Tensor lse = LOGSUMEXP.forward(in);
        double mass = 0;
        for (double y : targets[k]) {
            mass += y;
        }
        Tensor p = LOGSUMEXP.backward(0, in, lse, Tensor.scalar(mass));
        for (int i = 0; i < out.length; i++) {
            g[i] = p.get(i) - targets[k][i];
        }
    }

    @Override public Formula formula(String out) {
        return new Formula.Tex("−Σᵢ yᵢ log softmax(" + out + ")ᵢ", "-\\sum_{i} y_{i} \\log \\operatorname{softmax} (" + Formula.name(out) + ")_{i}");
    }

    @Override public Formula gradient(String out) {
        return new Formula.Tex("(softmax(" + out + ") − y)ᵀ", "(\\operatorname{softmax} (" + Formula.name(out) + ") - y)^{\\top}");
    }

    @Override
    public List<String> warnings(Problem problem) {
        return problem.appliedTwice("softmax", "p = softmax(ŷ)");
    }

    /** {@code {"type": "softmax_cross_entropy", "y": c}}: a class index or a probability vector per example. */
    public static final class Kind implements Loss.Kind {
        @Override public String type() { return "softmax_cross_entropy"; }
        @Override public Set<String> fields() { return Set.of("type", "y"); }
        @Override public Set<String> settings() { return Set.of("y"); }

        @Override
        public String refuse(int outputWidth, boolean endsInScore) {
            return outputWidth != 1 ? null : "softmax_cross_entropy over one " + (endsInScore ? "score (the network ends in a score layer)" : "output")
                    + " is always 0: the softmax of a single number is 1, so J = 0 and every gradient is 0 whatever the weights."
                    + " For one score or output use binary_cross_entropy (y in [0, 1]) or max_margin; for classes, end in a dense"
                    + " layer with one output per class";
        }

        @Override
        public Loss read(Field loss, Context context) {
            double[][] y = context.targets(loss.at("y"), t -> target(t, context));
            return y == null ? null : new SoftmaxCrossEntropy(y);
        }

        private static double[] target(Field t, Context context) {
            int classes = context.outputWidth();
            if (t.isNumber()) {
                return context.classIndex(t, true);
            }
            if (!t.isArray()) {
                t.error("expected a class index (0 to " + (classes - 1) + ") or a probability vector of " + classes
                        + " entries, but got " + t.kind());
                return null;
            }
            double[] p = t.readVector();
            if (p == null) {
                return null;
            }
            if (p.length != classes) {
                t.error("has " + p.length + " probabilities but the output has " + classes + " classes");
                return null;
            }
            double sum = 0;
            for (int i = 0; i < p.length; i++) {
                if (p[i] < 0) {
                    t.at(i).error("a probability cannot be negative, but got " + p[i]);
                    return null;
                }
                sum += p[i];
            }
            if (Math.abs(sum - 1.0) > DISTRIBUTION_TOLERANCE) {
                t.error("the probabilities must sum to 1, but they sum to " + sum);
                return null;
            }
            return p;
        }
    }
}
