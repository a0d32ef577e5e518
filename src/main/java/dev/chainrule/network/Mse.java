package dev.chainrule.network;

import dev.chainrule.engine.EntryLoss;
import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Op;
import dev.chainrule.engine.Tensor;
import java.util.List;
import java.util.Set;

/**
 * {@code {"type": "mse", "y": v}}: {@code F.mse_loss}, J = mean over the output's entries of (ŷᵢ − yᵢ)² (per
 * example; {@code reduction} over a batch), so ∂J/∂ŷ = (2/n)(ŷ − y)ᵀ. It is the engine's {@code mse} op (the one
 * {@code /v1/graph} writes {@code mse(a, b)}): its value, derivative and formula are the op's. ({@code squared_error}
 * keeps the lecture's ½ Σ.)
 */
public record Mse(double[][] targets) implements Loss {

    /** mean((ŷ − y)²) of one example: its operands ŷ and y. */
    private static final Op MEAN_SQUARE = EntryLoss.mse();

    @Override public String wireName() { return "mse"; }
    @Override public Loss select(int[] chosen) { return new Mse(Loss.rows(targets, chosen)); }

    private Tensor[] operands(double[] out, int k) {
        return new Tensor[] {Tensor.vector(out), Tensor.vector(targets[k])};
    }

    @Override
    public double value(double[] out, int k, double sc) {
        return MEAN_SQUARE.forward(operands(out, k)).item();
    }

    @Override
    public void gradient(double[] out, int k, double sc, double[] g) {
        Tensor[] in = operands(out, k);
        Tensor d = MEAN_SQUARE.backward(0, in, MEAN_SQUARE.forward(in), Tensor.scalar(1.0));
        System.arraycopy(d.data(), 0, g, 0, g.length);
    }

    /** The op's own formula: mse(h, y). */
    @Override
    public Formula formula(String out) {
        return MEAN_SQUARE.apply(List.of(new Formula.Sym(out), new Formula.Sym("y")));
    }

    @Override
    public Formula gradient(String out) {
        return new Formula.Tex("(2/n)(" + out + " − y)ᵀ", "(2/n)(" + Formula.name(out) + " - y)^{\\top}");
    }

    /** {@code {"type": "mse", "y": v}}: a target vector per example (a number for a scalar output). */
    public static final class Kind implements Loss.Kind {
        @Override public String type() { return "mse"; }
        @Override public Set<String> fields() { return Set.of("type", "y"); }
        @Override public Set<String> settings() { return Set.of("y"); }

        @Override
        public Loss read(Field loss, Context context) {
            double[][] y = context.targets(loss.at("y"), context::vectorTarget);
            return y == null ? null : new Mse(y);
        }
    }
}
