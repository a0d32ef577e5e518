package dev.chainrule.network;

import dev.chainrule.engine.Backprop;
import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Op;
import dev.chainrule.engine.Ops;
import dev.chainrule.engine.Step;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code {"type": "dense", "W": M, "b": v, "activation": f}}: z = W·in + b, h = f(z) (the lecture's layer). It
 * compiles to the engine's ops: the product in·Wᵀ ({@code Ops.matmulTransposed}, a row per example), the bias
 * added to each row, and the activation's op; z names the sum, and the product inside it carries z's name too (the
 * lecture writes z = Wx + b as one quantity, so its steps are one per gradient: ∂J/∂W = δᵀxᵀ, ∂J/∂b = δ·I,
 * ∂J/∂x = δ·W, each read from the product's or the sum's edge).
 *
 * @param weights W, of outputs × inputs
 * @param bias    b, or null when the layer has none (then it has no gradient either)
 */
public record Dense(Tensor weights, Tensor bias, Activation activation, double alpha) implements Layer {

    public static final Kind KIND = new Kind();

    public Dense {
        if (weights.rank() != 2) {
            throw new IllegalArgumentException("W must be a matrix");
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != weights.dim(0))) {
            throw new IllegalArgumentException("b has " + bias.size() + " entries but W has " + weights.dim(0) + " rows");
        }
    }

    /** A layer of W's rows, b's entries (or null), f and leaky_relu's α. */
    public Dense(double[][] w, double[] b, Activation activation, double alpha) {
        this(Tensor.matrix(w), b == null ? null : Tensor.vector(b), activation, alpha);
    }

    /** The layer as the request gives it: W's rows are the layer's own from here on (the kernels read them). */
    static Dense read(double[][] w, double[] b, Activation activation, double alpha) {
        return new Dense(Tensor.ofRows(w), b == null ? null : Tensor.vector(b), activation, alpha);
    }

    @Override public Kind kind() { return KIND; }
    @Override public int inputSize() { return weights.dim(1); }
    @Override public int outputSize() { return weights.dim(0); }
    @Override public Set<String> penalized() { return Set.of("W"); }
    @Override public String outputOp() { return activation.wireName(); }

    @Override
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("W", weights);
        if (bias != null) {
            p.put("b", bias);
        }
        return p;
    }

    @Override
    public Layer withParameters(Map<String, Tensor> values) {
        return new Dense(values.get("W"), bias == null ? null : values.get("b"), activation, alpha);
    }

    @Override
    public LeftOut leftOut(LayerNames names, boolean only) {
        if (activation == Activation.IDENTITY) {
            return null; // its f'(z) = 1: leaving it out changes nothing
        }
        String z = names.of("z");
        String h = names.of("h");
        String local = activation.elementwise() ? "multiplied entry by entry by f'(" + z + ")"
                : "multiplied by the softmax's local Jacobian ∂" + h + "/∂" + z + " = diag(" + h + ") − " + h + h + "ᵀ";
        return new LeftOut(only ? "the factor f'(" + z + ")" : "layer " + names.number() + "'s f'(" + z + ")",
                "on the way down, ∂J/∂" + h + " must be " + local + " to give δ = ∂J/∂" + z + ".");
    }

    // z = in·Wᵀ + b (W·in per example), h = f(z): the product, the bias, the activation
    @Override
    public int[] compile(NetworkGraph.Compiler c, int[] in) {
        int b = bias == null ? -1 : c.parameter("b");
        int w = c.parameter("W");
        int[] z = new int[c.passes()];
        for (int p = c.passes() - 1; p >= 0; p--) {
            z[p] = b < 0 ? c.apply("z", p, Ops.matmulTransposed(), in[p], w)
                    : c.apply("z", p, Ops.add(), c.inner("z", p, Ops.matmulTransposed(), in[p], w), b);
        }
        c.beforeOutputs();
        Op f = c.derivative(activation.op(alpha));
        int[] h = new int[c.passes()];
        for (int p = c.passes() - 1; p >= 0; p--) {
            h[p] = c.apply("h", p, f, z[p]);
        }
        return h;
    }

    @Override
    public Map<String, Formula> formulas(LayerNames n, String suffix) {
        String in = n.input() + suffix;
        Formula wx = new Formula.Tex(n.of("W") + in, Formula.adjacent(n.of("W"), in));
        Map<String, Formula> out = new LinkedHashMap<>();
        out.put("z", bias != null ? Formula.infix(wx, "+", new Formula.Sym(n.of("b"))) : wx);
        out.put("h", activation.apply(n.of("z") + suffix));
        return out;
    }

    // ---- steps, as the lecture writes them ----

    @Override
    public void step(NetworkGraph.Steps s, int target, List<Backprop.Edge> edges, Tensor data) {
        Backprop.Edge first = edges.get(0);
        LayerNames n = s.names(first.via());
        if (s.isParameter(target, "W")) {
            weights(s, n, edges, data);
        } else if (s.isParameter(target, "b")) {
            bias(s, n, target, edges);
        } else if (s.base(first.via()).equals("h")) {
            activation(s, target, first);
        } else {
            input(s, n, target, first);
        }
    }

    /** δ = ∂J/∂z = ∂J/∂h · ∂h/∂z. */
    private void activation(NetworkGraph.Steps s, int target, Backprop.Edge e) {
        String zn = s.node(target).name();
        String hn = s.node(e.via()).name();
        Formula jacobian = activation.jacobian(zn, hn);
        Formula local = activation == Activation.IDENTITY ? new Formula.Sym("I")
                : activation.elementwise() ? new Formula.Tex("diag(f'(" + zn + "))", "\\operatorname{diag} (f'(" + Formula.name(zn) + "))")
                : new Formula.Tex("(" + jacobian.text() + ")", "(" + jacobian.latex() + ")");
        s.add(new Step(zn, s.is(Formula.partial("J", zn), Formula.infix(Formula.partial("J", hn), "·", local)),
                new Step.Term("∂J/∂" + hn, s.perExample(s.rows(e.upstream()), false)),
                new Step.Term("∂" + hn + "/∂" + zn + " = " + jacobian.text(), s.batchOf(s.jacobians(e.via(), 0))),
                new Step.Term("∂J/∂" + zn, s.perExample(s.rows(s.gradient(target)), false)), Step.Kind.PRODUCT)
                .named("δ" + s.names(e.via()).number() + s.suffix(target)));
    }

    /** ∂J/∂W = δᵀxᵀ, summed over contributions. */
    private void weights(NetworkGraph.Steps s, LayerNames n, List<Backprop.Edge> edges, Tensor data) {
        NetworkGraph.Steps.Outer o = s.outer(edges, suffix -> Formula.infix(Formula.transposed("δ" + n.number() + suffix), "",
                Formula.transposed(n.input() + suffix)), false);
        String w = n.of("W");
        Formula delta = s.is(new Formula.Sym("δ" + n.number()), Formula.partial("J", n.of("z")));
        String local = n.input() + "ᵀ";
        s.add(new Step(w, new Formula.Aside(s.is(Formula.partial("J", w), o.sum()), delta),
                new Step.Term(delta.text(), o.upstream()), new Step.Term(local, o.local()),
                new Step.Term("∂J/∂" + w, data), Step.Kind.OUTER, s.windows(delta.text()), s.windows(local)));
    }

    /** ∂J/∂b = δ · I, summed over contributions. */
    private void bias(NetworkGraph.Steps s, LayerNames n, int target, List<Backprop.Edge> edges) {
        List<Formula> terms = new ArrayList<>();
        List<Tensor> ups = new ArrayList<>();
        for (Backprop.Edge e : edges) {
            terms.add(Formula.infix(Formula.partial("J", s.node(e.via()).name()), "·", new Formula.Sym("I")));
            for (double[] row : s.rows(e.upstream())) {
                ups.add(Tensor.row(row));
            }
        }
        String b = n.of("b");
        String z = n.of("z");
        String upstream = "∂J/∂" + z;
        s.add(new Step(b, s.is(Formula.partial("J", b), s.sum(terms)),
                new Step.Term(upstream, s.contributions(ups)),
                new Step.Term("∂" + z + "/∂" + b + " = I", s.jacobian(edges.get(0).via(), 1, 0)),
                new Step.Term("∂J/∂" + b, Tensor.row(s.gradient(target).toArray())), Step.Kind.PRODUCT,
                s.windows(upstream), null));
    }

    /** ∂J/∂x = ∂J/∂z · W. */
    private void input(NetworkGraph.Steps s, LayerNames n, int target, Backprop.Edge e) {
        String zn = n.of("z") + s.suffix(target);
        String in = s.node(target).name();
        String w = n.of("W");
        s.add(new Step(in, s.is(Formula.partial("J", in), Formula.infix(Formula.partial("J", zn), "·", new Formula.Sym(w))),
                new Step.Term("∂J/∂" + zn, s.perExample(s.rows(s.quantityGradient(e.via())), false)),
                new Step.Term("∂" + zn + "/∂" + in + " = " + w, s.node(s.node(e.via()).inputs().get(1)).value()),
                new Step.Term("∂J/∂" + in, s.perExample(s.rows(s.gradient(target)), false)), Step.Kind.PRODUCT));
    }

    @Override
    public Map<String, Object> wire() {
        Map<String, Object> l = Layer.wire("dense", parameters());
        l.put("activation", activation.wireName());
        if (activation == Activation.LEAKY_RELU) {
            l.put("alpha", alpha);
        }
        return l;
    }

    @Override public long multiplyAdds() { return (long) inputSize() * outputSize(); }
    @Override public Map<String, Long> elementwise() { return Map.of(activation.wireName(), (long) outputSize()); }

    /** Reads a dense layer: W (outputs × inputs, checked against its input), b, the activation and α. */
    public static final class Kind implements Layer.Kind {

        private static final Set<String> FIELDS = Set.of("type", "W", "b", "activation", "alpha");

        @Override public String type() { return "dense"; }
        @Override public List<String> outputs() { return List.of("z", "h"); }
        @Override public Set<String> settings() { return Set.of("alpha"); }

        @Override
        public Layer read(Field node, Context context) {
            node.only(FIELDS, "a dense layer has type, W, b, activation and alpha");
            LayerNames names = context.names();
            int inputWidth = context.inputWidth();
            Field wf = node.at("W");
            double[][] w = wf.readMatrix();
            double[] b = null;
            Field bf = node.at("b");
            if (bf.present() && !bf.isNull()) {
                b = bf.readVector();
            } else if (bf.present()) {
                bf.error("expected a vector of numbers, but got null (leave b out for no bias)");
            }
            Activation activation = Activation.IDENTITY;
            Field a = node.at("activation");
            if (a.present()) {
                activation = a.isString() ? Activation.fromWireName(a.string()) : null;
                if (activation == null) {
                    a.error(a.unknown("activation", Activation.wireNames()));
                }
            }
            double alpha = Activation.DEFAULT_ALPHA;
            Field al = node.at("alpha");
            if (al.present()) {
                Double v = al.readNumber();
                if (v != null && v < 0) {
                    al.error("must be 0 or more (the slope of leaky_relu below 0), but got " + v);
                } else if (v != null) {
                    alpha = v;
                }
            }
            if (w == null) {
                return null;
            }
            boolean ok = activation != null;
            boolean transposed = false;
            if (inputWidth >= 0 && w[0].length != inputWidth) {
                transposed = w.length == inputWidth;
                if (transposed) {
                    // one error for the cause; b and the next layer are then read against the W that was meant
                    wf.error(names.of("W") + " is " + w.length + "×" + w[0].length + " but " + names.input() + " has "
                            + inputWidth + " entries: " + names.of("W") + " must be outputs × inputs, " + w[0].length + "×" + w.length
                            + " — transposed?");
                } else {
                    wf.error("has " + w[0].length + " columns but its input " + context.inputDescription());
                }
                ok = false;
            }
            if (b != null && b.length != w.length && !(transposed && b.length == w[0].length)) {
                bf.error("has " + b.length + " entries but W has " + w.length + " rows");
                ok = false;
            }
            if (bf.present() && b == null) {
                ok = false;
            }
            return ok ? Dense.read(w, b, activation, alpha) : null;
        }

        /**
         * W's rows, or W's columns when W is the transpose of what its input needs (that error is reported once,
         * not again at the next layer); -1 where it cannot be read.
         */
        @Override
        public int declaredOutputs(Field node, int inputWidth) {
            Field w = node.isObject() ? node.at("W") : null;
            if (w == null || !w.isArray() || w.size() == 0) {
                return -1;
            }
            Field row = w.at(0);
            if (inputWidth >= 0 && w.size() == inputWidth && row.isArray() && row.size() != inputWidth) {
                return row.size();
            }
            return w.size();
        }
    }
}
