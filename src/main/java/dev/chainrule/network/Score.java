package dev.chainrule.network;

import dev.chainrule.engine.Backprop;
import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Ops;
import dev.chainrule.engine.Step;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code {"type": "score", "u": v}}: s = uᵀ·in, one number per example (the engine's dot product, a row per
 * example). Only as the last layer. Its u is walked after its input: the lecture lists ∂J/∂h before ∂J/∂u.
 */
public record Score(Tensor u) implements Layer {

    public static final Kind KIND = new Kind();

    public Score(double[] u) {
        this(Tensor.vector(u));
    }

    @Override public Kind kind() { return KIND; }
    @Override public int inputSize() { return u.size(); }
    @Override public int outputSize() { return 1; }
    @Override public boolean scalarOutput() { return true; }
    @Override public boolean parametersAfterInput() { return true; }
    @Override public Set<String> penalized() { return Set.of("u"); }
    @Override public Map<String, Tensor> parameters() { return Map.of("u", u); }
    @Override public Layer withParameters(Map<String, Tensor> values) { return new Score(values.get("u")); }

    // s = uᵀ·in (each example's row dotted with u)
    @Override
    public int[] compile(NetworkGraph.Compiler c, int[] in) {
        int u = c.parameter("u");
        c.beforeOutputs();
        int[] s = new int[c.passes()];
        for (int p = c.passes() - 1; p >= 0; p--) {
            s[p] = c.apply("s", p, Ops.dot(), in[p], u);
        }
        return s;
    }

    @Override
    public Map<String, Formula> formulas(LayerNames n, String suffix) {
        String in = n.input() + suffix;
        return Map.of("s", new Formula.Tex("uᵀ" + in, "u^{\\top}" + Formula.name(in)));
    }

    @Override
    public void step(NetworkGraph.Steps s, int target, List<Backprop.Edge> edges, Tensor data) {
        LayerNames n = s.names(edges.get(0).via());
        if (s.isParameter(target, "u")) {
            weights(s, n, edges, data);
        } else {
            input(s, target, edges.get(0));
        }
    }

    /** ∂J/∂h = ∂J/∂s · uᵀ. */
    private void input(NetworkGraph.Steps s, int target, Backprop.Edge e) {
        String sn = s.node(e.via()).name();
        String in = s.node(target).name();
        s.add(new Step(in, s.is(Formula.partial("J", in), Formula.infix(Formula.partial("J", sn), "·", Formula.transposed("u"))),
                new Step.Term("∂J/∂" + sn, s.perExample(s.rows(e.upstream()), true)),
                new Step.Term("∂" + sn + "/∂" + in + " = uᵀ", Tensor.row(s.node(s.node(e.via()).inputs().get(1)).value().data())),
                new Step.Term("∂J/∂" + in, s.perExample(s.rows(s.gradient(target)), false)), Step.Kind.PRODUCT));
    }

    /** ∂J/∂u = ∂J/∂s · hᵀ, summed over contributions. */
    private void weights(NetworkGraph.Steps s, LayerNames n, List<Backprop.Edge> edges, Tensor data) {
        NetworkGraph.Steps.Outer o = s.outer(edges, suffix -> Formula.infix(Formula.partial("J", "s" + suffix), "·",
                Formula.transposed(n.input() + suffix)), true);
        String local = "∂s/∂u = " + n.input() + "ᵀ";
        s.add(new Step("u", s.is(Formula.partial("J", "u"), o.sum()),
                new Step.Term("∂J/∂s", o.upstream()), new Step.Term(local, o.local()),
                new Step.Term("∂J/∂u", Tensor.row(data.toArray())), Step.Kind.PRODUCT, s.windows("∂J/∂s"), s.windows(local)));
    }

    @Override public Map<String, Object> wire() { return Layer.wire("score", parameters()); }
    @Override public long multiplyAdds() { return u.size(); }
    @Override public Map<String, Long> elementwise() { return Map.of("dot", (long) u.size()); }

    /** Reads a score layer: u, as long as its input; only as the last layer. */
    public static final class Kind implements Layer.Kind {

        @Override public String type() { return "score"; }
        @Override public List<String> outputs() { return List.of("s"); }

        @Override
        public Layer read(Field node, Context context) {
            node.only(Set.of("type", "u"), "a score layer has type and u");
            if (!context.last()) {
                node.error("a score layer (s = uᵀh, a scalar) can only be the last layer");
            }
            Field uf = node.at("u");
            double[] u = uf.readVector();
            if (u == null) {
                return null;
            }
            if (context.inputWidth() >= 0 && u.length != context.inputWidth()) {
                uf.error("has " + u.length + " entries but its input " + context.inputDescription());
                return null;
            }
            return context.last() ? new Score(u) : null;
        }
    }
}
