package dev.chainrule.network;

import dev.chainrule.engine.Backprop;
import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Graph;
import dev.chainrule.engine.Op;
import dev.chainrule.engine.Step;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network compiled onto the engine's graph, each layer by its own {@link Layer#compile} into the engine's ops
 * (a dense layer is a matrix product, a bias added and the activation's op; a score is a dot product), with the
 * lecture's names as a naming layer over the nodes: {@code z1 = W1·x + b1}, {@code h1 = f(z1)}, …,
 * {@code s = uᵀh}, {@code J = loss}. Every per-example quantity is one node holding a row per example (a batch
 * costs a few matrix products per layer); max-margin's corrupt window is a second pass whose nodes carry
 * {@code _c}, and the shared parameters are nodes used twice, so their gradients are branch sums. A node a layer
 * keeps inside one of its lecture's quantities (the product Wx inside z = Wx + b) carries that quantity's name and
 * gets no step of its own. Nothing here knows any one kind of layer or loss.
 */
public final class NetworkGraph {

    /** What a node is to the network. */
    enum Role { INPUT, PARAMETER, VALUE, INNER, CONSTANT, PENALTY, LOSS }

    /**
     * @param layer      the index of the layer that made it (-1 for the input, the penalty and the loss)
     * @param base       its base name ({@code W}, {@code z})
     * @param pass       its pass (0, or 1 for max-margin's corrupt window), -1 for what both passes share
     * @param perExample true when it holds a row per example
     */
    record Part(Role role, int layer, String base, int pass, boolean perExample) {
    }

    private static final List<String> SUFFIXES = List.of("", "_c");

    private final Problem problem;
    private final List<LayerNames> names;
    private final List<String> passes;
    private final double scale;
    private final Graph graph;
    private final int output;
    private final Map<String, Integer> byName = new LinkedHashMap<>();
    private final List<Part> parts = new ArrayList<>();

    /** @param withoutDerivativeOf a layer whose derivative is taken as I on the way back (see {@link Layer#leftOut}), or -1 */
    NetworkGraph(Problem problem, int withoutDerivativeOf, Deadline deadline) {
        this.problem = problem;
        this.names = LayerNames.of(problem.layers());
        this.passes = SUFFIXES.subList(0, problem.loss().passes());
        this.scale = problem.batched() && problem.reduction() == Reduction.MEAN ? 1.0 / problem.examples() : 1.0;
        // Nodes are made so that the backward walk (reverse order) reaches the gradients in the lecture's order:
        // J's operands, then layer by layer from the top, each pass's value before the parameters, the parameters
        // before the layer's input (but a score's u after its input h).
        Graph.Builder b = new Graph.Builder(false);
        Compiler c = new Compiler(b, withoutDerivativeOf);
        List<Layer> layers = problem.layers();
        if (layers.get(0).parametersAfterInput()) {
            c.parametersOf(0);
        }
        int[] in = new int[passes.size()];
        double[][] corrupt = problem.loss().corruptInputs();
        Layer first = layers.get(0);
        for (int p = passes.size() - 1; p >= 0; p--) {
            Tensor rows = GradientEngine.rowsTensor(p == 0 ? problem.inputs() : corrupt, problem.batched(), false);
            String name = first.inputName() + passes.get(p);
            in[p] = first.differentiableInput() ? add(b.input(name, rows), new Part(Role.INPUT, -1, first.inputName(), p, true))
                    : add(b.constant(name, rows), new Part(Role.CONSTANT, -1, first.inputName(), p, true));
        }
        for (int i = 0; i < layers.size(); i++) {
            deadline.check();
            c.layer = i;
            in = layers.get(i).compile(c, in);
        }
        List<Integer> outputs = new ArrayList<>();
        for (int p : in) {
            outputs.add(p);
        }
        if (problem.regularized()) {
            // R = λ Σ ‖θ‖²_F over every weight matrix (and u): each is used twice, by its layer and by R
            List<Integer> weights = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                Part part = parts.get(i);
                if (part.role() == Role.PARAMETER && layers.get(part.layer()).penalized().contains(part.base())) {
                    weights.add(i);
                }
            }
            outputs.add(add(b.apply("R", new Penalty(problem.l2()), weights, null), new Part(Role.PENALTY, -1, "R", -1, false)));
        }
        this.output = add(b.apply("J", new Objective(problem, scale, passes.size() > 1 ? 1 : -1,
                problem.regularized() ? outputs.size() - 1 : -1), outputs, null), new Part(Role.LOSS, -1, "J", -1, false));
        this.graph = b.build();
        for (Graph.Node n : graph.nodes()) {
            if (parts.get(n.index()).role() != Role.INNER) {
                byName.put(n.name(), n.index());
            }
        }
    }

    private int add(int node, Part part) {
        parts.add(part);
        return node;
    }

    /**
     * What a layer compiles onto: the graph being built, the layer's names and the passes. Each node it makes is
     * named by the layer's names ({@code W2}, {@code z2_c}).
     */
    public final class Compiler {

        private final Graph.Builder b;
        private final int withoutDerivativeOf;
        private final Map<String, Integer> parameters = new HashMap<>();
        private int layer;

        private Compiler(Graph.Builder b, int withoutDerivativeOf) {
            this.b = b;
            this.withoutDerivativeOf = withoutDerivativeOf;
        }

        /** The passes: 1, or 2 with max-margin's corrupt window; pass p's names end in {@link #suffix}. */
        public int passes() {
            return passes.size();
        }

        public String suffix(int pass) {
            return passes.get(pass);
        }

        public boolean batched() {
            return problem.batched();
        }

        public int examples() {
            return problem.examples();
        }

        public LayerNames names() {
            return names.get(layer);
        }

        /** The node of the layer's parameter {@code base} (made the first time it is asked for). */
        public int parameter(String base) {
            return parameter(layer, base);
        }

        private int parameter(int at, String base) {
            String key = at + ":" + base;
            Integer node = parameters.get(key);
            if (node == null) {
                node = add(b.input(names.get(at).of(base), problem.layers().get(at).parameters().get(base)),
                        new Part(Role.PARAMETER, at, base, -1, false));
                parameters.put(key, node);
            }
            return node;
        }

        private void parametersOf(int at) {
            for (String base : problem.layers().get(at).parameters().keySet()) {
                parameter(at, base);
            }
        }

        /** A value that gets no gradient (a mask), {@code perExample} when it holds a row per example. */
        public int constant(String base, Tensor value, boolean perExample) {
            return add(b.constant(names().of(base), value), new Part(Role.CONSTANT, layer, base, -1, perExample));
        }

        /** The layer's value {@code base} of pass {@code pass}: {@code op} on {@code operands}. */
        public int apply(String base, int pass, Op op, int... operands) {
            return add(b.apply(names().of(base) + suffix(pass), op, list(operands), null), new Part(Role.VALUE, layer, base, pass, true));
        }

        /** A node inside the layer's value {@code base} (it carries that name, and gets no step of its own). */
        public int inner(String base, int pass, Op op, int... operands) {
            return add(b.apply(names().of(base) + suffix(pass), op, list(operands), null), new Part(Role.INNER, layer, base, pass, true));
        }

        /** Call before making the layer's output: the next layer's parameters walked after it are made here. */
        public void beforeOutputs() {
            if (layer + 1 < problem.layers().size() && problem.layers().get(layer + 1).parametersAfterInput()) {
                parametersOf(layer + 1);
            }
        }

        /** {@code f}, or when this layer's derivative is left out (for the grader), f with ∂/∂in taken as I. */
        public Op derivative(Op f) {
            return layer == withoutDerivativeOf ? new WithoutDerivative(f) : f;
        }

        private List<Integer> list(int[] operands) {
            List<Integer> out = new ArrayList<>(operands.length);
            for (int o : operands) {
                out.add(o);
            }
            return out;
        }
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

    /** The names of each pass's per-example values in the contract's order: x (unless words), then each layer's. */
    private List<String> values(String suffix) {
        List<String> out = new ArrayList<>();
        if (problem.differentiableInput()) {
            out.add(problem.layers().get(0).inputName() + suffix);
        }
        for (int i = 0; i < names.size(); i++) {
            for (String base : problem.layers().get(i).outputs()) {
                out.add(names.get(i).of(base) + suffix);
            }
        }
        return out;
    }

    /** The forward values in the contract's order: each pass's x, z, h, …, s, then R and J. */
    Map<String, Tensor> forward() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String suffix : passes) {
            for (String name : values(suffix)) {
                out.put(name, value(name));
            }
        }
        if (problem.regularized()) {
            out.put("R", value("R"));
        }
        out.put("J", graph.node(output).value());
        return out;
    }

    /** ∂J/∂name in the contract's order: J, R, each pass's x, z, h, …, s, then the parameters layer by layer. */
    Map<String, Tensor> gradients(Backprop.Result result) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("J", result.gradient(output));
        if (problem.regularized()) {
            out.put("R", result.gradient(node("R")));
        }
        for (String suffix : passes) {
            for (String name : values(suffix)) {
                out.put(name, result.gradient(node(name)));
            }
        }
        for (int i = 0; i < names.size(); i++) {
            for (String base : problem.layers().get(i).parameters().keySet()) {
                String name = names.get(i).of(base);
                out.put(name, result.gradient(node(name)));
            }
        }
        return out;
    }

    private Tensor value(String name) {
        return graph.node(node(name)).value();
    }

    // ---- the forward formulas ----

    /**
     * How each forward value is computed, by name ({@code z1} → {@code W1x + b1}), each layer's in its own notation,
     * R over the penalised parameters and J the loss reduced over the batch; inputs have none.
     */
    public static Map<String, Formula> formulas(Problem problem) {
        Map<String, Formula> out = new HashMap<>();
        List<LayerNames> names = LayerNames.of(problem.layers());
        String output = null;
        for (String suffix : SUFFIXES.subList(0, problem.loss().passes())) {
            for (int i = 0; i < names.size(); i++) {
                LayerNames n = names.get(i);
                problem.layers().get(i).formulas(n, suffix).forEach((base, f) -> out.put(n.of(base) + suffix, f));
                List<String> outputs = problem.layers().get(i).outputs();
                output = n.of(outputs.get(outputs.size() - 1));
            }
        }
        Formula loss = loss(problem, output);
        if (problem.regularized()) {
            // R = λ Σ ‖θ‖²_F over every penalised parameter
            List<String> text = new ArrayList<>();
            List<String> latex = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                Layer layer = problem.layers().get(i);
                for (String base : layer.parameters().keySet()) {
                    if (layer.penalized().contains(base)) {
                        String w = names.get(i).of(base);
                        text.add("‖" + w + "‖²");
                        latex.add("\\|" + Formula.name(w) + "\\|^{2}");
                    }
                }
            }
            String l2 = plain(problem.l2());
            out.put("R", new Formula.Tex(l2 + "·(" + String.join(" + ", text) + ")",
                    l2 + " \\cdot (" + String.join(" + ", latex) + ")"));
            out.put("J", Formula.infix(loss, "+", new Formula.Sym("R")));
        } else {
            out.put("J", loss);
        }
        return out;
    }

    /** The loss on the network's output {@code out}, reduced over a batch. */
    private static Formula loss(Problem problem, String out) {
        Formula one = problem.loss().formula(out);
        if (!problem.batched()) {
            return one;
        }
        Formula sum = new Formula.Sum(one);
        String mean = "(1/" + problem.examples() + ") ";
        return problem.reduction() == Reduction.MEAN ? new Formula.Tex(mean + sum.text(), mean + sum.latex()) : sum;
    }

    static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    // ---- kinks ----

    /**
     * An entry on a kink: {@code quantity}'s entry {@code flat} (row-major over the whole batch) is at {@code at} of
     * the function {@code label}; {@code inside} is true for a quantity inside an op (a hinge, its entry the example)
     * rather than a node; {@code width} is a node's entries per example in a batch, 0 without one.
     */
    public record Kink(String quantity, int flat, int width, boolean inside, String at, String label) {

        /** {@code z[1] = 0 (relu)}, {@code z[0][2] = 0 (relu)} in a batch, {@code margin − s + s_c[2] = 0 (max-margin hinge)}. */
        public String text() {
            String index = inside ? (width > 0 ? "[" + flat + "]" : "")
                    : width > 0 ? "[" + flat / width + "][" + flat % width + "]" : "[" + flat + "]";
            return quantity + index + " = " + at + " (" + label + ")";
        }
    }

    /**
     * Where the point sits on a kink of an op within {@code tolerance}: each op's own kinks (its inputs exactly at
     * relu's 0, hardtanh's ±1, a hinge at 0), the main pass's before the corrupt one's, the loss's last.
     */
    List<Kink> kinks(double tolerance) {
        List<Graph.Node> ops = new ArrayList<>();
        for (Graph.Node n : graph.nodes()) {
            if (n.kind() == Graph.Kind.OP) {
                ops.add(n);
            }
        }
        ops.sort(Comparator.comparingInt((Graph.Node n) -> parts.get(n.index()).pass() < 0 ? passes.size() : parts.get(n.index()).pass())
                .thenComparingInt(Graph.Node::index));
        List<Kink> out = new ArrayList<>();
        for (Graph.Node n : ops) {
            for (Op.Kink k : n.op().kinks(graph.operands(n), n.value(), tolerance)) {
                if (k.operand() < 0) {
                    out.add(new Kink(k.quantity(), k.entry(), problem.batched() ? 1 : 0, true, k.at(), k.why()));
                } else {
                    Graph.Node operand = graph.node(n.inputs().get(k.operand()));
                    Tensor v = operand.value();
                    int width = problem.batched() && v.rank() > 1 ? v.size() / v.dim(0) : 0;
                    out.add(new Kink(operand.name(), k.entry(), width, false, k.at(), k.why()));
                }
            }
        }
        return out;
    }

    // ---- steps: the walk's edges written as the lecture writes them ----

    /** The backward steps, one per gradient in the order the walk completes them (several edges may make one). */
    List<Step> steps(Backprop.Result result) {
        Steps steps = new Steps(result);
        Map<Integer, List<Backprop.Edge>> into = new LinkedHashMap<>();
        for (Backprop.Edge e : result.edges()) {
            into.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e);
        }
        for (int t = graph.size() - 1; t >= 0; t--) {
            List<Backprop.Edge> edges = into.get(t);
            if (edges != null) {
                // the main pass before the corrupt one, as the lecture lists them
                edges.sort(Comparator.comparingInt((Backprop.Edge e) -> Math.max(0, parts.get(e.via()).pass()))
                        .thenComparingInt(Backprop.Edge::via));
                step(t, edges, steps);
            }
        }
        return steps.list;
    }

    private void step(int target, List<Backprop.Edge> all, Steps steps) {
        Role role = parts.get(target).role();
        if (role == Role.PENALTY || role == Role.INNER) {
            return; // ∂J/∂R = 1: the upstream of each weight's penalty step; an inner node is part of its layer's step
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
        Tensor data = penalty == null ? steps.result.gradient(target) : sum(edges);
        Part via = parts.get(edges.get(0).via());
        if (via.role() == Role.LOSS) {
            steps.seed(target);
        } else {
            problem.layers().get(via.layer()).step(steps, target, edges, data);
        }
        if (penalty != null) {
            steps.penalty(target, data, penalty.contribution());
        }
    }

    private static Tensor sum(List<Backprop.Edge> edges) {
        Tensor total = edges.get(0).contribution();
        for (int i = 1; i < edges.size(); i++) {
            total = Backprop.plus(total, edges.get(i).contribution());
        }
        return total;
    }

    /**
     * Writes the steps, one {@link Step} per gradient: upstream × local = downstream, with the explicit local
     * Jacobian. Per-example terms are 1×n rows, with a leading dimension of one entry per example when the problem
     * is a batch. A parameter shared by several contributions (the examples of a batch, max-margin's two windows)
     * gets one step whose upstream and local list each contribution and whose downstream is their sum. The layers
     * write their own steps with these; the values all come from the walk's edges and the ops.
     */
    public final class Steps {

        private final Backprop.Result result;
        private final List<Step> list = new ArrayList<>();

        private Steps(Backprop.Result result) {
            this.result = result;
        }

        public Graph.Node node(int index) {
            return graph.node(index);
        }

        /** True when node {@code index} is one of the layer's parameters named {@code base}. */
        public boolean isParameter(int index, String base) {
            Part p = parts.get(index);
            return p.role() == Role.PARAMETER && p.base().equals(base);
        }

        /** The base name of node {@code index} ({@code z}, {@code h}, {@code W}). */
        public String base(int index) {
            return parts.get(index).base();
        }

        /** The suffix of node {@code index}'s pass ("" or {@code _c}). */
        public String suffix(int index) {
            return passes.get(Math.max(0, parts.get(index).pass()));
        }

        /** The names of the layer that made node {@code index}. */
        public LayerNames names(int index) {
            return names.get(parts.get(index).layer());
        }

        /** ∂J/∂(node index). */
        public Tensor gradient(int index) {
            return result.gradient(index);
        }

        /**
         * ∂J/∂(the lecture's quantity node {@code index} is, or sits inside): for the product inside z = Wx + b,
         * ∂J/∂z itself (the same numbers, with z's own signed zeros).
         */
        public Tensor quantityGradient(int index) {
            return result.gradient(NetworkGraph.this.node(graph.node(index).name()));
        }

        public boolean batched() {
            return problem.batched();
        }

        /** A per-example tensor as rows (a scalar per example is a row of one). */
        public double[][] rows(Tensor t) {
            return NetworkGraph.rows(t, problem.examples());
        }

        /** The explicit local Jacobian ∂via/∂(operand slot) of example e, read from the op. */
        public Tensor jacobian(int via, int slot, int e) {
            Graph.Node n = graph.node(via);
            Tensor[] in = graph.operands(n);
            Tensor out = n.value();
            if (problem.batched()) {
                for (int j = 0; j < in.length; j++) {
                    if (parts.get(n.inputs().get(j)).perExample()) {
                        in[j] = in[j].slice(e);
                    }
                }
                out = out.slice(e);
            }
            return n.op().jacobian(slot, in, out);
        }

        /** The explicit local Jacobians ∂via/∂(operand slot), one per example. */
        public List<Tensor> jacobians(int via, int slot) {
            List<Tensor> out = new ArrayList<>();
            for (int e = 0; e < problem.examples(); e++) {
                out.add(jacobian(via, slot, e));
            }
            return out;
        }

        public void add(Step step) {
            list.add(step);
        }

        /** ∂J/∂ŷ, where the chain starts. */
        void seed(int target) {
            String out = graph.node(target).name();
            boolean scalar = problem.endsInScore();
            Formula rhs = problem.loss().seed(out, suffix(target));
            // a mean's 1/N scales the whole derivative: (1/N)(σ(h) − y), not (1/N)·σ(h) − y
            String r = rhs.text();
            Formula scaled = scale == 1.0 ? rhs
                    : r.startsWith("(") || !r.contains(" ") ? new Formula.Tex("(1/N)·" + r, "(1/N) \\cdot " + rhs.latex())
                    : new Formula.Tex("(1/N)(" + r + ")", "(1/N)(" + rhs.latex() + ")");
            Tensor value = perExample(rows(result.gradient(target)), scalar);
            add(new Step(out, is(Formula.partial("J", out), scaled), new Step.Term("∂J/∂J", Tensor.scalar(1.0)),
                    new Step.Term("∂J/∂" + out, value), new Step.Term("∂J/∂" + out, value), Step.Kind.SEED));
        }

        /**
         * ∂J/∂W gains the penalty's share: ∂J/∂W = (the network's share, the step before) + ∂J/∂R · ∂R/∂W with
         * ∂J/∂R = 1 and ∂R/∂W = 2λW. A sum, not a product: W feeds both its layer and R.
         */
        void penalty(int target, Tensor data, Tensor share) {
            String w = graph.node(target).name();
            String lambda = plain(problem.l2());
            Formula data2 = new Formula.Tex("∂J/∂" + w + "|data", Formula.partial("J", w).latex() + "|\\mathrm{data}");
            Formula share2 = new Formula.Tex("2λ" + w, "2\\lambda " + Formula.name(w));
            Formula lambdaIs = new Formula.Tex("λ = " + lambda, "\\lambda = " + lambda);
            add(new Step(w, new Formula.Infix(is(Formula.partial("J", w), Formula.infix(data2, "+", share2)), "",
                    new Formula.Tex("(" + lambdaIs.text() + ")", "(" + lambdaIs.latex() + ")")),
                    new Step.Term("∂J/∂" + w + "|data", data),
                    new Step.Term("∂R/∂" + w + " = 2λ" + w, share),
                    new Step.Term("∂J/∂" + w, result.gradient(target)), Step.Kind.SUM));
        }

        /**
         * The engine's own step for {@code target}: ∂J/∂t = ∂J/∂v · ∂v/∂t along each edge, the local Jacobian
         * read from the op example by example; a parameter's contributions (examples, windows) listed and summed.
         */
        void product(int target, List<Backprop.Edge> edges, Tensor data) {
            String t = graph.node(target).name();
            boolean parameter = parts.get(target).role() == Role.PARAMETER;
            if (!parameter) {
                Backprop.Edge e = edges.get(0);
                String v = graph.node(e.via()).name();
                add(new Step(t, is(Formula.partial("J", t), Formula.infix(Formula.partial("J", v), "·", Formula.partial(v, t))),
                        new Step.Term("∂J/∂" + v, perExample(rows(e.upstream()), e.upstream().rank() < (batched() ? 2 : 1))),
                        new Step.Term("∂" + v + "/∂" + t, batchOf(jacobians(e.via(), e.slot()))),
                        new Step.Term("∂J/∂" + t, perExample(rows(result.gradient(target)), false)), Step.Kind.PRODUCT));
                return;
            }
            List<Formula> terms = new ArrayList<>();
            List<Tensor> ups = new ArrayList<>();
            List<Tensor> locals = new ArrayList<>();
            List<String> upNames = new ArrayList<>();
            List<String> localNames = new ArrayList<>();
            for (Backprop.Edge e : edges) {
                String v = graph.node(e.via()).name();
                terms.add(Formula.infix(Formula.partial("J", v), "·", Formula.partial(v, t)));
                double[][] up = rows(e.upstream());
                boolean scalar = e.upstream().rank() < (batched() ? 2 : 1);
                for (int k = 0; k < up.length; k++) {
                    String at = batched() ? "[" + k + "] " : "";
                    ups.add(scalar ? Tensor.scalar(up[k][0]) : Tensor.row(up[k]));
                    locals.add(jacobian(e.via(), e.slot(), k));
                    upNames.add(at + "∂J/∂" + v);
                    localNames.add(at + "∂" + v + "/∂" + t);
                }
            }
            boolean listed = ups.size() > 1 && edges.size() > 1;
            String v0 = graph.node(edges.get(0).via()).name();
            add(new Step(t, is(Formula.partial("J", t), sum(terms)),
                    new Step.Term("∂J/∂" + v0, contributions(ups)), new Step.Term("∂" + v0 + "/∂" + t, contributions(locals)),
                    new Step.Term("∂J/∂" + t, Tensor.row(data.toArray())), Step.Kind.PRODUCT,
                    listed ? upNames : null, listed ? localNames : null));
        }

        /** A weight's contributions summed: the terms' sum, the upstreams listed, the inputs (as rows) listed. */
        public record Outer(Formula sum, Tensor upstream, Tensor local) {
        }

        /**
         * The contributions to a weight along {@code edges} (the examples of a batch, max-margin's windows): per
         * edge {@code term} of its pass's suffix; per edge and example ∂J/∂(the edge's quantity), a number when
         * {@code scalar}, and the layer's input (the edge's first operand) as a row.
         */
        public Outer outer(List<Backprop.Edge> edges, java.util.function.Function<String, Formula> term, boolean scalar) {
            List<Formula> terms = new ArrayList<>();
            List<Tensor> ups = new ArrayList<>();
            List<Tensor> locals = new ArrayList<>();
            for (Backprop.Edge e : edges) {
                terms.add(term.apply(suffix(e.via())));
                double[][] in = rows(graph.node(graph.node(e.via()).inputs().get(0)).value());
                double[][] up = rows(quantityGradient(e.via()));
                for (int k = 0; k < in.length; k++) {
                    ups.add(scalar ? Tensor.scalar(up[k][0]) : Tensor.row(up[k]));
                    locals.add(Tensor.row(in[k]));
                }
            }
            return new Outer(sum(terms), contributions(ups), contributions(locals));
        }

        /**
         * The names of a shared parameter's contributions when max-margin's two windows both feed it, the true
         * window's then the corrupt one's: {@code δ}, {@code δ_c} or {@code xᵀ}, {@code x_cᵀ}; with a batch each
         * example's, {@code [0] δ}, …; null with one window.
         */
        public List<String> windows(String termName) {
            if (passes.size() < 2) {
                return null;
            }
            String base = termName;
            int eq = termName.indexOf(" = ");
            if (eq >= 0) {
                String left = termName.substring(0, eq);
                String right = termName.substring(eq + 3);
                base = !left.contains("∂") ? left : !right.contains("∂") ? right : termName;
            }
            String corrupt = base.endsWith("ᵀ") ? base.substring(0, base.length() - 1) + "_cᵀ" : base + "_c";
            List<String> labels = new ArrayList<>();
            for (String window : List.of(base, corrupt)) {
                for (int k = 0; k < problem.examples(); k++) {
                    labels.add(problem.batched() ? "[" + k + "] " + window : window);
                }
            }
            return labels;
        }

        /** Σ of the terms, and over the examples with a batch. */
        public Formula sum(List<Formula> terms) {
            Formula one = Formula.join(terms, "+");
            return problem.batched() ? new Formula.Sum(one) : one;
        }

        /** left = right. */
        public Formula is(Formula left, Formula right) {
            return Formula.infix(left, "=", right);
        }

        /** One contribution alone as it is; several stacked along a leading dimension. */
        public Tensor contributions(List<Tensor> list) {
            return list.size() == 1 ? list.get(0) : Tensor.stack(list);
        }

        /** A row per example: 1×n alone, B×1×n in a batch; a scalar per example stays a number. */
        public Tensor perExample(double[][] rows, boolean scalar) {
            List<Tensor> list = new ArrayList<>(rows.length);
            for (double[] row : rows) {
                list.add(scalar ? Tensor.scalar(row[0]) : Tensor.row(row));
            }
            return batchOf(list);
        }

        /** One value per example: itself alone, stacked in a batch. */
        public Tensor batchOf(List<Tensor> list) {
            return problem.batched() ? Tensor.stack(list) : list.get(0);
        }
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

    // ---- the network's own ops: the objective, the penalty, a derivative left out ----

    /** f with ∂/∂in taken as I on the way back: the chain a student gets when they leave f'(z) out. */
    private record WithoutDerivative(Op f) implements Op {
        // h = f(z); ∂J/∂z taken as ∂J/∂h
        @Override public String opName() { return f.opName(); }
        @Override public int arity() { return 1; }
        @Override public String shapeError(Tensor[] in, String[] labels) { return null; }
        @Override public Tensor forward(Tensor[] in) { return f.forward(in); }
        @Override public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) { return upstream; }
        @Override public List<Op.Kink> kinks(Tensor[] in, Tensor out, double tolerance) { return f.kinks(in, out, tolerance); }
        @Override public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) { return new Formula.Sym("I"); }
        @Override public Formula apply(List<Formula> in) { return f.apply(in); }
    }

    /**
     * J = Σₖ Jₖ (or (1/N) Σₖ Jₖ with a batch's mean) of the network's output, each example's Jₖ the loss's; with
     * max-margin its operands are s and s_c; with L2, R is added.
     */
    private record Objective(Problem problem, double scale, int corruptSlot, int penaltySlot) implements Op {
        // J = scale · Σₖ loss(ŷₖ) (+ R); ∂J/∂ŷₖ = scale · ∂loss/∂ŷₖ (each loss keeps its own maths);
        // ∂J/∂s_c = −∂J/∂s; ∂J/∂R = 1
        @Override public String opName() { return "loss"; }
        @Override public int arity() { return 1 + (corruptSlot > 0 ? 1 : 0) + (penaltySlot > 0 ? 1 : 0); }
        @Override public String shapeError(Tensor[] in, String[] labels) { return null; }

        private double[] corrupt(Tensor[] in) {
            if (corruptSlot < 0) {
                return null;
            }
            double[][] rows = rows(in[corruptSlot], problem.examples());
            double[] c = new double[rows.length];
            for (int k = 0; k < rows.length; k++) {
                c[k] = rows[k][0];
            }
            return c;
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
            double[] g = new double[o.length * o[0].length];
            for (int e = 0; e < o.length; e++) {
                double[] row = new double[o[e].length];
                problem.loss().gradient(o[e], e, sc == null ? 0 : sc[e], row);
                for (int j = 0; j < row.length; j++) {
                    double v = row[j] * (scale * up);
                    g[e * row.length + j] = k == 1 ? 0.0 - v : v; // 0.0 − g, not −g: no −0.0 where the hinge is flat
                }
            }
            return Tensor.of(in[k].shape(), g);
        }

        @Override
        public List<Op.Kink> kinks(Tensor[] in, Tensor out, double tolerance) {
            double[][] o = rows(in[0], problem.examples());
            double[] sc = corrupt(in);
            List<Op.Kink> found = new ArrayList<>();
            for (int e = 0; e < o.length; e++) {
                found.addAll(problem.loss().kinks(o[e], e, sc == null ? 0 : sc[e], tolerance));
            }
            return found;
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

    /** R = λ Σ ‖θ‖²_F over its operands (every penalised parameter). */
    private record Penalty(double lambda) implements Op {
        // R = λ Σ ‖θ‖²_F; ∂R/∂θ = 2λθ
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
}
