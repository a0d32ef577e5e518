package dev.chainrule.network;

import dev.chainrule.engine.Backprop;
import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Graph;
import dev.chainrule.engine.Kernels;
import dev.chainrule.engine.Op;
import dev.chainrule.engine.Step;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * A network compiled onto the computational graph, with the lecture's names: {@code z1 = W1·x + b1},
 * {@code h1 = f(z1)}, …, {@code s = uᵀh}, {@code J = loss}. Every per-example quantity is one node holding a row
 * per example (a batch costs a few matrix products per layer); max-margin's corrupt window is a second pass whose
 * nodes carry {@code _c}, and the shared parameters are nodes used twice, so their gradients are branch sums.
 * Everything a network knows beyond the graph — its ops, its names, and how its edges are written as the
 * lecture's steps — is in this class.
 */
final class NetworkGraph {

    /** What a node is to the network, for naming its steps. */
    private enum Role { INPUT, WEIGHTS, BIAS, SCORE_WEIGHTS, Z, H, S, PENALTY, LOSS }

    private record Part(Role role, int layer, String suffix) {
    }

    private final Problem problem;
    private final List<LayerNames> names;
    private final List<String> passes;
    private final double scale;
    private final Graph graph;
    private final int output;
    private final Map<String, Integer> byName = new LinkedHashMap<>();
    private final List<Part> parts = new ArrayList<>();
    private int scoreWeights = -1;

    /** @param withoutDerivativeOf a dense layer whose ∂h/∂z is taken as I on the way back, or -1 */
    NetworkGraph(Problem problem, int withoutDerivativeOf, Deadline deadline) {
        this.problem = problem;
        this.names = LayerNames.of(problem.layers());
        boolean maxMargin = problem.loss() instanceof Loss.MaxMargin;
        this.passes = maxMargin ? List.of("", "_c") : List.of("");
        this.scale = problem.batched() && problem.reduction() == Reduction.MEAN ? 1.0 / problem.examples() : 1.0;
        // Nodes are created so that the backward walk (reverse creation order) reaches the gradients in the
        // lecture's order: J's operands, then layer by layer from the top, each pass's z before the weights, the
        // weights before the layer's input; a score layer's u comes after both passes' h.
        Graph.Builder b = new Graph.Builder(false);
        List<Layer> layers = problem.layers();
        int[] in = new int[passes.size()];
        if (layers.get(0) instanceof Layer.Score score) {
            add(b.input("u", Tensor.vector(score.u())), Role.SCORE_WEIGHTS, 0, "");
        }
        double[][] corrupt = maxMargin ? ((Loss.MaxMargin) problem.loss()).corruptInputs() : null;
        for (int p = passes.size() - 1; p >= 0; p--) {
            double[][] x = p == 0 ? problem.inputs() : corrupt;
            in[p] = add(b.input("x" + passes.get(p), GradientEngine.rowsTensor(x, problem.batched(), false)), Role.INPUT, -1, passes.get(p));
        }
        for (int i = 0; i < layers.size(); i++) {
            deadline.check();
            LayerNames n = names.get(i);
            Layer layer = layers.get(i);
            if (layer instanceof Layer.Dense dense) {
                Affine affine = new Affine(rows(dense.weights()), dense.bias(), problem.examples(), problem.batched());
                List<Integer> operands = new ArrayList<>();
                int bias = dense.bias() == null ? -1 : add(b.input(n.b(), Tensor.vector(dense.bias())), Role.BIAS, i, "");
                int w = add(b.input(n.w(), Tensor.matrix(rows(dense.weights()))), Role.WEIGHTS, i, "");
                int[] z = new int[passes.size()];
                for (int p = passes.size() - 1; p >= 0; p--) {
                    operands.clear();
                    operands.add(in[p]);
                    operands.add(w);
                    if (bias >= 0) {
                        operands.add(bias);
                    }
                    z[p] = add(b.apply(n.z() + passes.get(p), affine, operands, null), Role.Z, i, passes.get(p));
                }
                if (i + 1 < layers.size() && layers.get(i + 1) instanceof Layer.Score score) {
                    add(b.input("u", Tensor.vector(score.u())), Role.SCORE_WEIGHTS, i + 1, "");
                }
                Activate f = new Activate(dense.activation(), dense.alpha(), i == withoutDerivativeOf, problem.examples());
                for (int p = passes.size() - 1; p >= 0; p--) {
                    in[p] = add(b.apply(n.h() + passes.get(p), f, List.of(z[p]), null), Role.H, i, passes.get(p));
                }
            } else {
                Score score = new Score(((Layer.Score) layer).u(), problem.examples(), problem.batched());
                int u = scoreWeights;
                for (int p = passes.size() - 1; p >= 0; p--) {
                    in[p] = add(b.apply("s" + passes.get(p), score, List.of(in[p], u), null), Role.S, i, passes.get(p));
                }
            }
        }
        List<Integer> outputs = new ArrayList<>();
        for (int p : in) {
            outputs.add(p);
        }
        if (problem.regularized()) {
            // R = λ Σ ‖W‖²_F over every weight matrix and u: each weight is used twice, by its layer and by R
            List<Integer> weights = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                if (parts.get(i).role() == Role.WEIGHTS || parts.get(i).role() == Role.SCORE_WEIGHTS) {
                    weights.add(i);
                }
            }
            outputs.add(add(b.apply("R", new Penalty(problem.l2()), weights, null), Role.PENALTY, -1, ""));
        }
        this.output = add(b.apply("J", new Objective(problem, scale, maxMargin ? 1 : -1, problem.regularized() ? outputs.size() - 1 : -1),
                outputs, null), Role.LOSS, -1, "");
        this.graph = b.build();
        for (Graph.Node n : graph.nodes()) {
            byName.put(n.name(), n.index());
        }
    }

    private int add(int node, Role role, int layer, String suffix) {
        parts.add(new Part(role, layer, suffix));
        if (role == Role.SCORE_WEIGHTS) {
            scoreWeights = node;
        }
        return node;
    }

    Graph graph() {
        return graph;
    }

    int output() {
        return output;
    }

    /** The node of a name of the contract ({@code z1}, {@code W}, {@code x_c}), or -1. */
    int node(String name) {
        Integer i = byName.get(name);
        return i == null ? -1 : i;
    }

    /** The forward values in the contract's order: each pass's x, z, h, …, s, then J. */
    Map<String, Tensor> forward() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String suffix : passes) {
            out.put("x" + suffix, value("x" + suffix));
            for (int i = 0; i < names.size(); i++) {
                LayerNames n = names.get(i);
                if (!n.score()) {
                    out.put(n.z() + suffix, value(n.z() + suffix));
                }
                out.put(n.h() + suffix, value(n.h() + suffix));
            }
        }
        if (problem.regularized()) {
            out.put("R", value("R"));
        }
        out.put("J", graph.node(output).value());
        return out;
    }

    /** ∂J/∂name in the contract's order: J, each pass's x, z, h, …, s, then the parameters layer by layer. */
    Map<String, Tensor> gradients(Backprop.Result result) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("J", result.gradient(output));
        if (problem.regularized()) {
            out.put("R", result.gradient(node("R")));
        }
        for (String suffix : passes) {
            out.put("x" + suffix, result.gradient(node("x" + suffix)));
            for (LayerNames n : names) {
                if (!n.score()) {
                    out.put(n.z() + suffix, result.gradient(node(n.z() + suffix)));
                }
                out.put(n.h() + suffix, result.gradient(node(n.h() + suffix)));
            }
        }
        for (LayerNames n : names) {
            for (String parameter : n.parameters()) {
                int i = node(parameter);
                if (i >= 0) {
                    out.put(parameter, result.gradient(i));
                }
            }
        }
        return out;
    }

    private Tensor value(String name) {
        return graph.node(node(name)).value();
    }

    // ---- steps: the walk's edges written as the lecture writes them ----

    /** The backward steps, one per gradient in the order the walk completes them (several edges may make one). */
    List<Step> steps(Backprop.Result result) {
        StepRecorder steps = new StepRecorder(problem.batched(), problem.examples());
        Map<Integer, List<Backprop.Edge>> into = new LinkedHashMap<>();
        for (Backprop.Edge e : result.edges()) {
            into.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e);
        }
        for (int t = graph.size() - 1; t >= 0; t--) {
            List<Backprop.Edge> edges = into.get(t);
            if (edges != null) {
                // the main pass before the corrupt one, as the lecture lists them
                edges.sort(java.util.Comparator.comparing((Backprop.Edge e) -> parts.get(e.via()).suffix())
                        .thenComparingInt(Backprop.Edge::via));
                step(t, edges, result, steps);
            }
        }
        return steps.steps();
    }

    private void step(int target, List<Backprop.Edge> all, Backprop.Result result, StepRecorder steps) {
        Part part = parts.get(target);
        if (part.role() == Role.PENALTY) {
            return; // ∂J/∂R = 1: shown as the upstream of each weight's penalty step
        }
        List<Backprop.Edge> edges = new ArrayList<>();
        Backprop.Edge penalty = null;
        for (Backprop.Edge e : all) {
            if (parts.get(e.via()).role() == Role.PENALTY) {
                penalty = e;
            } else {
                edges.add(e);
            }
        }
        // a weight's share from the network alone, before its penalty's 2λW is added in a step of its own
        Tensor data = penalty == null ? result.gradient(target) : sum(edges);
        Graph.Node node = graph.node(target);
        Backprop.Edge first = edges.get(0);
        Graph.Node via = graph.node(first.via());
        Part viaPart = parts.get(first.via());
        int examples = problem.examples();
        switch (viaPart.role()) {
            case LOSS -> steps.loss(problem, node.name(), rows(result.gradient(target), examples), scale, part.suffix());
            case H -> {
                Layer.Dense dense = (Layer.Dense) problem.layers().get(viaPart.layer());
                steps.activation(dense, names.get(viaPart.layer()), part.suffix(), rows(node.value(), examples),
                        rows(via.value(), examples), rows(first.upstream(), examples), rows(result.gradient(target), examples));
            }
            case Z -> {
                LayerNames n = names.get(viaPart.layer());
                Layer.Dense dense = (Layer.Dense) problem.layers().get(viaPart.layer());
                List<double[][]> deltas = new ArrayList<>();
                List<double[][]> inputs = new ArrayList<>();
                for (Backprop.Edge e : edges) {
                    deltas.add(rows(e.upstream(), examples));
                    inputs.add(rows(graph.node(graph.node(e.via()).inputs().get(0)).value(), examples));
                }
                if (part.role() == Role.WEIGHTS) {
                    steps.weights(n, inputs, deltas, data);
                } else if (part.role() == Role.BIAS) {
                    steps.bias(n, deltas, result.gradient(target).toArray());
                } else {
                    steps.input(n, part.suffix(), node.name(), deltas.get(0), dense.weights(), rows(result.gradient(target), examples));
                }
            }
            case S -> {
                LayerNames n = names.get(viaPart.layer());
                if (part.role() == Role.SCORE_WEIGHTS) {
                    List<double[][]> inputs = new ArrayList<>();
                    List<double[][]> ups = new ArrayList<>();
                    for (Backprop.Edge e : edges) {
                        ups.add(rows(e.upstream(), examples));
                        inputs.add(rows(graph.node(graph.node(e.via()).inputs().get(0)).value(), examples));
                    }
                    steps.scoreWeights(n, inputs, ups, data.toArray());
                } else {
                    steps.scoreInput(part.suffix(), node.name(), rows(first.upstream(), examples),
                            ((Layer.Score) problem.layers().get(viaPart.layer())).u(), rows(result.gradient(target), examples));
                }
            }
            default -> throw new IllegalStateException("no step leads into " + node.name() + " from " + via.name());
        }
        if (penalty != null) {
            steps.penalty(node.name(), problem.l2(), data, penalty.contribution(), result.gradient(target));
        }
    }

    private static Tensor sum(List<Backprop.Edge> edges) {
        Tensor total = edges.get(0).contribution();
        for (int i = 1; i < edges.size(); i++) {
            total = Backprop.plus(total, edges.get(i).contribution());
        }
        return total;
    }

    // ---- rows: a per-example quantity as one row per example ----

    /** A per-example tensor as rows (a scalar per example is a row of one). */
    static double[][] rows(Tensor t, int examples) {
        int width = t.size() / examples;
        double[] data = t.data();
        double[][] out = new double[examples][];
        for (int e = 0; e < examples; e++) {
            out[e] = java.util.Arrays.copyOfRange(data, e * width, (e + 1) * width);
        }
        return out;
    }

    /** W's rows without a copy where Commons Math keeps them as an array. */
    static double[][] rows(RealMatrix w) {
        return w instanceof Array2DRowRealMatrix array ? array.getDataRef() : w.getData();
    }

    // ---- the network's ops ----

    /**
     * z = W·in + b for each example: Z = In·Wᵀ + 1bᵀ; operands in, W and (when the layer has one) b. {@code w} is
     * W's rows as the layer holds them (read, never written), for ∂J/∂in = Δ·W.
     */
    private record Affine(double[][] w, double[] b, int examples, boolean batched) implements Op {
        // z = W·in + b; ∂J/∂in = δ·W, ∂J/∂W = Σₖ δₖᵀ inₖᵀ = Δᵀ·In, ∂J/∂b = Σₖ δₖ
        @Override public String opName() { return "dense"; }
        @Override public int arity() { return b == null ? 2 : 3; }
        @Override public String shapeError(Tensor[] in, String[] labels) { return null; }

        private int outputs() {
            return w.length;
        }

        private int inputs() {
            return w[0].length;
        }

        private int[] perExample(int width) {
            return batched ? new int[] {examples, width} : new int[] {width};
        }

        @Override
        public Tensor forward(Tensor[] in) {
            double[] z = new double[examples * outputs()];
            Kernels.multiply(in[0].data(), Kernels.transposeRows(in[1].data(), outputs(), inputs()), b, z, examples, inputs(), outputs());
            return Tensor.of(perExample(outputs()), z);
        }

        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            double[] delta = upstream.data();
            if (k == 0) {
                double[] down = new double[examples * inputs()];
                Kernels.multiply(delta, w, null, down, examples, outputs(), inputs());
                return Tensor.of(perExample(inputs()), down);
            }
            if (k == 1) {
                double[] gw = new double[outputs() * inputs()];
                Kernels.transposeMultiply(delta, Kernels.rows(in[0].data(), examples, inputs()), gw, examples, outputs(), inputs());
                return Tensor.of(new int[] {outputs(), inputs()}, gw);
            }
            double[] gb = new double[outputs()];
            for (int e = 0; e < examples; e++) {
                int row = e * outputs();
                for (int j = 0; j < gb.length; j++) {
                    gb[j] += delta[row + j];
                }
            }
            return Tensor.of(new int[] {outputs()}, gb);
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            return k == 0 ? in.get(1) : k == 1 ? new Formula.Transposed(in.get(0)) : Formula.sym("I");
        }

        @Override
        public Formula apply(List<Formula> in) {
            Formula wx = Formula.infix(in.get(1), "", in.get(0));
            return b == null ? wx : Formula.infix(wx, "+", in.get(2));
        }

        @Override
        public long work(Tensor[] in) {
            return 3L * examples * outputs() * inputs();
        }
    }

    /** h = f(z) for each example; with {@code withoutDerivative} the backward pass takes ∂h/∂z as I. */
    private record Activate(Activation f, double alpha, boolean withoutDerivative, int examples) implements Op {
        // h = f(z); ∂J/∂z = ∂J/∂h · ∂h/∂z (∂J/∂h ⊙ f'(z) for the element-wise f)
        @Override public String opName() { return f.wireName(); }
        @Override public int arity() { return 1; }
        @Override public String shapeError(Tensor[] in, String[] labels) { return null; }

        @Override
        public Tensor forward(Tensor[] in) {
            if (f.elementwise()) { // one pass over every entry of every example
                double[] h = new double[in[0].size()];
                f.forward(in[0].data(), h, alpha);
                return Tensor.of(in[0].shape(), h);
            }
            double[][] z = rows(in[0], examples);
            double[][] h = new double[z.length][z[0].length];
            for (int k = 0; k < z.length; k++) {
                f.forward(z[k], h[k], alpha);
            }
            return Tensor.of(in[0].shape(), flat(h));
        }

        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            if (withoutDerivative) {
                return upstream;
            }
            if (f.elementwise()) {
                double[] down = new double[in[0].size()];
                f.backward(in[0].data(), out.data(), upstream.data(), down, alpha);
                return Tensor.of(in[0].shape(), down);
            }
            double[][] z = rows(in[0], examples);
            double[][] h = rows(out, examples);
            double[][] up = rows(upstream, examples);
            double[][] down = new double[z.length][z[0].length];
            for (int e = 0; e < z.length; e++) {
                f.backward(z[e], h[e], up[e], down[e], alpha);
            }
            return Tensor.of(in[0].shape(), flat(down));
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            return f.jacobian(in.get(0).text(), out.text());
        }

        @Override
        public Formula apply(List<Formula> in) {
            return f.apply(in.get(0).text());
        }
    }

    /** s = uᵀ·in for each example; operands in and u. */
    private record Score(double[] u, int examples, boolean batched) implements Op {
        // s = uᵀh; ∂J/∂h = ∂J/∂s · uᵀ, ∂J/∂u = Σₖ ∂J/∂sₖ · hₖ
        @Override public String opName() { return "score"; }
        @Override public int arity() { return 2; }
        @Override public String shapeError(Tensor[] in, String[] labels) { return null; }

        @Override
        public Tensor forward(Tensor[] in) {
            double[][] a = rows(in[0], examples);
            double[][] s = new double[a.length][1];
            for (int k = 0; k < a.length; k++) {
                double sum = 0;
                for (int j = 0; j < a[k].length; j++) {
                    sum += u[j] * a[k][j];
                }
                s[k][0] = sum;
            }
            return GradientEngine.rowsTensor(s, batched, true);
        }

        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            double[][] gs = rows(upstream, examples);
            double[][] a = rows(in[0], examples);
            if (k == 0) {
                double[][] down = new double[gs.length][u.length];
                for (int e = 0; e < gs.length; e++) {
                    for (int j = 0; j < u.length; j++) {
                        down[e][j] = gs[e][0] * u[j];
                    }
                }
                return GradientEngine.rowsTensor(down, batched, false);
            }
            double[] gu = new double[u.length];
            for (int e = 0; e < gs.length; e++) {
                for (int j = 0; j < u.length; j++) {
                    gu[j] += gs[e][0] * a[e][j];
                }
            }
            return Tensor.vector(gu);
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            return new Formula.Transposed(k == 0 ? in.get(1) : in.get(0));
        }

        @Override
        public Formula apply(List<Formula> in) {
            return Formula.infix(new Formula.Transposed(in.get(1)), "", in.get(0));
        }
    }

    /**
     * J = Σₖ Jₖ (or (1/N) Σₖ Jₖ with a batch's mean) of the network's output; with max-margin its operands are s
     * and s_c.
     */
    private record Objective(Problem problem, double scale, int corruptSlot, int penaltySlot) implements Op {
        // J = scale · Σₖ loss(ŷₖ) (+ R); ∂J/∂ŷₖ = scale · ∂loss/∂ŷₖ (Loss keeps each loss's maths);
        // ∂J/∂s_c = −∂J/∂s; ∂J/∂R = 1
        @Override public String opName() { return "loss"; }
        @Override public int arity() { return 1 + (corruptSlot > 0 ? 1 : 0) + (penaltySlot > 0 ? 1 : 0); }
        @Override public String shapeError(Tensor[] in, String[] labels) { return null; }

        private double[] corrupt(Tensor[] in) {
            return corruptSlot > 0 ? column(rows(in[corruptSlot], problem.examples())) : null;
        }

        @Override
        public Tensor forward(Tensor[] in) {
            double[][] out = rows(in[0], problem.examples());
            double[] sc = corrupt(in);
            double loss = 0;
            for (int k = 0; k < out.length; k++) {
                loss += problem.loss().value(out[k], k, sc == null ? 0 : sc[k]);
            }
            return Tensor.scalar(loss * scale + (penaltySlot > 0 ? in[penaltySlot].item() : 0.0));
        }

        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            if (k == penaltySlot) {
                return upstream;
            }
            double[][] o = rows(in[0], problem.examples());
            double[] sc = corrupt(in);
            double up = upstream.item();
            double[][] g = new double[o.length][o[0].length];
            for (int e = 0; e < o.length; e++) {
                problem.loss().gradient(o[e], e, sc == null ? 0 : sc[e], g[e]);
                for (int j = 0; j < g[e].length; j++) {
                    g[e][j] *= scale * up;
                    if (k == 1) {
                        g[e][j] = 0.0 - g[e][j]; // 0.0 − g, not −g: no −0.0 where the hinge is flat
                    }
                }
            }
            return Tensor.of(in[k].shape(), flat(g));
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            return problem.loss().gradient(in.get(0).text());
        }

        @Override
        public Formula apply(List<Formula> in) {
            return new Formula.Words(problem.loss().wireName());
        }
    }

    /** R = λ Σ ‖W‖²_F over its operands (every weight matrix and u). */
    private record Penalty(double lambda) implements Op {
        // R = λ Σ ‖W‖²_F; ∂R/∂W = 2λW
        @Override public String opName() { return "l2"; }
        @Override public int arity() { return -1; }
        @Override public String shapeError(Tensor[] in, String[] labels) { return null; }

        @Override
        public Tensor forward(Tensor[] in) {
            double sum = 0;
            for (Tensor w : in) {
                for (int i = 0; i < w.size(); i++) {
                    sum += w.get(i) * w.get(i);
                }
            }
            return Tensor.scalar(lambda * sum);
        }

        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            double g = 2 * lambda * upstream.item();
            return in[k].map(v -> g * v);
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            return Formula.infix(Formula.num(2 * lambda), "·", in.get(k));
        }

        @Override
        public Formula apply(List<Formula> in) {
            return Formula.infix(Formula.num(lambda), "·", Formula.call("Σ‖·‖²", in.toArray(new Formula[0])));
        }
    }

    private static double[] flat(double[][] rows) {
        int width = rows[0].length;
        double[] out = new double[rows.length * width];
        for (int e = 0; e < rows.length; e++) {
            System.arraycopy(rows[e], 0, out, e * width, width);
        }
        return out;
    }

    private static double[] column(double[][] rows) {
        double[] c = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            c[k] = rows[k][0];
        }
        return c;
    }
}
