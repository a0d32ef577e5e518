package dev.chainrule.network;

import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Maths;
import java.util.List;
import java.util.Set;

/** p = σ(ŷ), J = −[y log p + (1−y) log(1−p)] = log(1 + e^ŷ) − yŷ (stable); ∂J/∂ŷ = σ(ŷ) − y. */
public record BinaryCrossEntropy(double[] targets) implements Loss {

    @Override public String wireName() { return "binary_cross_entropy"; }

    @Override
    public Loss select(int[] chosen) {
        double[] t = new double[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            t[i] = targets[chosen[i]];
        }
        return new BinaryCrossEntropy(t);
    }

    // J = log(1 + e^t) − y·t; ∂J/∂t = σ(t) − y
    @Override
    public double value(double[] out, int k, double sc) {
        double t = out[0];
        return Maths.logOnePlusExp(t) - targets[k] * t;
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

    @Override
    public List<String> warnings(Problem problem) {
        return problem.appliedTwice("sigmoid", "p = σ(ŷ)");
    }

    /** {@code {"type": "binary_cross_entropy", "y": t}}: a number in [0, 1] per example. */
    public static final class Kind implements Loss.Kind {
        @Override public String type() { return "binary_cross_entropy"; }
        @Override public Set<String> fields() { return Set.of("type", "y"); }
        @Override public Set<String> settings() { return Set.of("y"); }
        @Override public boolean scalarOutput() { return true; }

        @Override
        public Loss read(Field loss, Context context) {
            double[][] y = context.targets(loss.at("y"), Kind::target);
            if (y == null) {
                return null;
            }
            double[] flat = new double[y.length];
            for (int k = 0; k < y.length; k++) {
                flat[k] = y[k][0];
            }
            return new BinaryCrossEntropy(flat);
        }

        private static double[] target(Field t) {
            Field value = t.isArray() && t.size() == 1 ? t.at(0) : t;
            Double v = value.readNumber();
            if (v == null) {
                return null;
            }
            if (v < 0 || v > 1) {
                value.error("a binary target must be a number from 0 to 1, but got " + v);
                return null;
            }
            return new double[] {v};
        }
    }
}
