package dev.chainrule.network;

import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Norm;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code {"type": "layer_norm", "gamma": v, "beta": v, "eps": 1e-5}}: {@code F.layer_norm} over the layer's input,
 * each example on its own: n = (in − mean(in)) / √(var(in) + ε) ⊙ γ + β, γ and β optional. It is the engine's
 * {@code layer_norm} op (the one {@code /v1/graph} writes {@code layer_norm(x, gamma, beta)}), a row per example: its
 * value, its backward, its explicit Jacobian (the step's local) and its formula are the op's; a γ or β the layer
 * lacks is the constant 1 or 0, with no gradient.
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

    @Override
    public int[] compile(NetworkGraph.Compiler c, int[] in) {
        int g = gamma == null ? c.constant("gamma", Tensor.of(new int[] {width}, ones()), false) : c.parameter("gamma");
        int b = beta == null ? c.constant("beta", Tensor.of(new int[] {width}, new double[width]), false) : c.parameter("beta");
        c.beforeOutputs();
        Norm norm = new Norm(true, eps);
        int[] n = new int[c.passes()];
        for (int p = c.passes() - 1; p >= 0; p--) {
            n[p] = c.apply("n", p, norm, in[p], g, b);
        }
        return n;
    }

    private double[] ones() {
        double[] v = new double[width];
        java.util.Arrays.fill(v, 1.0);
        return v;
    }

    /** The op's own formula: {@code layer_norm(h, gamma, beta)}, 1 and 0 for a γ and β the layer lacks. */
    @Override
    public Map<String, Formula> formulas(LayerNames n, String suffix) {
        List<Formula> operands = new ArrayList<>();
        operands.add(new Formula.Sym(n.input() + suffix));
        operands.add(gamma == null ? Formula.num(1) : new Formula.Sym(n.of("gamma")));
        operands.add(beta == null ? Formula.num(0) : new Formula.Sym(n.of("beta")));
        return Map.of("n", new Norm(true, eps).apply(operands));
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
