package dev.chainrule.network;

import dev.chainrule.engine.Formula;
import java.util.Set;

/** J = ½ Σᵢ (ŷᵢ − yᵢ)² (the lecture's); ∂J/∂ŷ = (ŷ − y)ᵀ. */
public record SquaredError(double[][] targets) implements Loss {

    @Override public String wireName() { return "squared_error"; }
    @Override public Loss select(int[] chosen) { return new SquaredError(Loss.rows(targets, chosen)); }

    // J = ½ Σᵢ dᵢ² with d = ŷ − y; ∂J/∂ŷ = dᵀ
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

    /** {@code {"type": "squared_error", "y": v}}: a target vector per example (a number for a scalar output). */
    public static final class Kind implements Loss.Kind {
        @Override public String type() { return "squared_error"; }
        @Override public Set<String> fields() { return Set.of("type", "y"); }
        @Override public Set<String> settings() { return Set.of("y"); }

        @Override
        public Loss read(Field loss, Context context) {
            double[][] y = context.targets(loss.at("y"), context::vectorTarget);
            return y == null ? null : new SquaredError(y);
        }
    }
}
