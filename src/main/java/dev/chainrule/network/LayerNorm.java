package dev.chainrule.network;

import dev.chainrule.engine.Composite;
import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Ops;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code {"type": "layer_norm", "gamma": v, "beta": v, "eps": 1e-5}}: {@code F.layer_norm} over the layer's input,
 * each example on its own: n = (in − mean(in)) / √(mean((in − mean(in))²) + ε) ⊙ γ + β, γ and β optional. It is
 * one composite of the engine's ops (mean, sub, pow, add, sqrt, div, mul), applied to each example's row: its
 * value, its backward, its explicit Jacobian and its formula all come from those ops.
 *
 * @param gamma γ, or null for none (as 1)
 * @param beta  β, or null for none (as 0)
 * @param width entries of its input (and output)
 */
public record LayerNorm(Tensor gamma, Tensor beta, double eps, int width) implements Layer {

    public static final double DEFAULT_EPS = 1e-5;
    public static final Kind KIND = new Kind();

    @Override public Kind kind() { return KIND; }
    @Override public int inputSize() { return width; }
    @Override public int outputSize() { return width; }

    @Override
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        if (gamma != null) {
            p.put("gamma", gamma);
        }
        if (beta != null) {
            p.put("beta", beta);
        }
        return p;
    }

    @Override
    public Layer withParameters(Map<String, Tensor> values) {
        return new LayerNorm(gamma == null ? null : values.get("gamma"), beta == null ? null : values.get("beta"), eps, width);
    }

    /** The composite: its operands the input (a row per example), then γ and β where the layer has them. */
    private Composite op(boolean batched) {
        Composite.Recipe r = new Composite.Recipe("layer_norm");
        int in = r.operand(true);
        int g = gamma == null ? -1 : r.operand(false);
        int b = beta == null ? -1 : r.operand(false);
        int centred = r.apply(Ops.sub(), in, r.apply(Ops.mean(), in));
        int variance = r.apply(Ops.mean(), r.apply(Ops.pow(2), centred));
        int n = r.apply(Ops.div(), centred, r.apply(Ops.elementwise("sqrt"), r.apply(Ops.add(), variance, r.constant(eps))));
        if (g >= 0) {
            n = r.apply(Ops.mul(), n, g);
        }
        if (b >= 0) {
            n = r.apply(Ops.add(), n, b);
        }
        return r.build(n, batched);
    }

    @Override
    public int[] compile(NetworkGraph.Compiler c, int[] in) {
        int g = gamma == null ? -1 : c.parameter("gamma");
        int b = beta == null ? -1 : c.parameter("beta");
        c.beforeOutputs();
        Composite norm = op(c.batched());
        int[] n = new int[c.passes()];
        for (int p = c.passes() - 1; p >= 0; p--) {
            int input = in[p];
            n[p] = c.apply("n", p, norm, java.util.stream.IntStream.of(input, g, b).filter(o -> o >= 0).toArray());
        }
        return n;
    }

    /** The composite's own formula, from its parts: (h − mean(h)) / sqrt(mean((h − mean(h))^2) + ε) * gamma + beta. */
    @Override
    public Map<String, Formula> formulas(LayerNames n, String suffix) {
        List<Formula> operands = new ArrayList<>();
        operands.add(new Formula.Sym(n.input() + suffix));
        for (String base : parameters().keySet()) {
            operands.add(new Formula.Sym(n.of(base)));
        }
        return Map.of("n", op(false).apply(operands));
    }

    @Override
    public Map<String, Object> wire() {
        Map<String, Object> l = Layer.wire("layer_norm", parameters());
        l.put("eps", eps);
        return l;
    }

    @Override public long multiplyAdds() { return 0; }
    @Override public Map<String, Long> elementwise() { return Map.of("layer_norm", (long) width); }

    /** Reads a layer_norm: γ and β (optional, each as long as its input) and ε (default 1e-5, above 0). */
    public static final class Kind implements Layer.Kind {

        @Override public String type() { return "layer_norm"; }
        @Override public List<String> outputs() { return List.of("n"); }
        @Override public Set<String> settings() { return Set.of("eps"); }

        @Override
        public Layer read(Field node, Context context) {
            node.only(Set.of("type", "gamma", "beta", "eps"), "a layer_norm layer has type, gamma, beta and eps");
            Tensor gamma = vector(node.at("gamma"), context);
            Tensor beta = vector(node.at("beta"), context);
            double eps = DEFAULT_EPS;
            Field e = node.at("eps");
            if (e.present()) {
                Double v = e.readNumber();
                if (v != null && !(v > 0)) {
                    e.error("must be above 0 (it keeps the square root of the variance away from 0), but got " + v);
                }
                if (v == null || !(v > 0)) {
                    return null;
                }
                eps = v;
            }
            boolean bad = (node.at("gamma").present() && gamma == null) || (node.at("beta").present() && beta == null);
            return bad || context.inputWidth() < 0 ? null : new LayerNorm(gamma, beta, eps, context.inputWidth());
        }

        /** γ or β: absent (null), or a vector as long as the layer's input. */
        private static Tensor vector(Field f, Context context) {
            if (!f.present()) {
                return null;
            }
            double[] v = f.readVector();
            if (v == null) {
                return null;
            }
            if (context.inputWidth() >= 0 && v.length != context.inputWidth()) {
                f.error("has " + v.length + " entries but its input " + context.inputDescription()
                        + ": layer_norm scales and shifts each entry of it");
                return null;
            }
            return Tensor.vector(v);
        }

        /** Its output is as wide as its input. */
        @Override
        public int declaredOutputs(Field node, int inputWidth) {
            return inputWidth;
        }
    }
}
