package dev.chainrule.graph;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.chainrule.gradients.GradientCheckResponse;
import dev.chainrule.render.Latex;
import dev.chainrule.render.Numbers;
import dev.chainrule.engine.Backprop;
import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Graph;
import dev.chainrule.engine.Step;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A computed graph as the contract writes it: the nodes, every value and gradient, the branch sums, the steps edge
 * by edge (upstream × local = this edge's contribution, in Jacobian form so the product is literal: a vector's
 * gradient is a 1×n row, a matrix's the 1×(m·n) row of its row-major entries, the local Jacobian the explicit
 * size(out) × size(in) matrix), and on request the same typeset in LaTeX.
 */
final class GraphAnswer {

    private GraphAnswer() {
    }

    /** One node; {@code inputs} and {@code expression} are left out for inputs and constants. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NodeView(String name, String op, List<String> inputs, String expression) {
    }

    record Contribution(String via, Tensor value) {
    }

    record BranchView(String name, Tensor total, List<Contribution> contributions) {
    }

    /**
     * One edge of the backward walk: {@code gradient} receives from {@code via}. {@code rule} is the local
     * derivative in symbols, e.g. {@code ∂b/∂y = 1[y > z] + ½·1[y = z]}.
     */
    record StepView(String gradient, String via, String formula, String rule, Step.Term upstream, Object local,
            Step.Term downstream) {
    }

    /**
     * A step's local Jacobian too large to write out (more than {@value GraphSolver#FULL_JACOBIAN_ENTRIES} entries,
     * without {@code options.full_jacobians}): its structure in words and symbols ({@code rule}) and its
     * {@code shape}, {@code size(out)×size(in)}, where a smaller one is a {@link Step.Term} with its {@code value}.
     */
    record LocalRule(String name, String rule, String shape) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Response(String output, List<NodeView> nodes, Map<String, ?> forward, Map<String, Tensor> gradients,
            List<BranchView> branches, List<StepView> steps, Latex.Rendering latex,
            @JsonProperty("gradient_check") GradientCheckResponse gradientCheck) {
    }

    static Response json(GraphSolver.Solution s, boolean steps, boolean latex, Numbers numbers) {
        Graph g = s.graph();
        List<NodeView> nodes = new ArrayList<>();
        for (Graph.Node n : g.nodes()) {
            boolean op = n.kind() == Graph.Kind.OP;
            nodes.add(new NodeView(n.name(), n.opName(), op ? inputNames(g, n) : null, op ? n.expression() : null));
        }
        List<BranchView> branches = new ArrayList<>();
        for (Backprop.Branch b : s.backward().branches()) {
            List<Contribution> cs = new ArrayList<>();
            for (Backprop.Edge e : b.contributions()) {
                cs.add(new Contribution(g.node(e.via()).name(), numbers.round(e.contribution())));
            }
            branches.add(new BranchView(g.node(b.node()).name(), numbers.round(b.total()), cs));
        }
        List<StepView> stepViews = steps ? steps(s, numbers) : null;
        return new Response(s.outputNode().name(), nodes, written(numbers.round("forward", s.forward())),
                numbers.round("gradients", s.gradients()), branches, stepViews, latex ? latex(s, numbers) : null,
                s.check() == null ? null : GradientCheckResponse.of(s.check(), numbers));
    }

    /**
     * Values as written: a tensor, or, where an entry is infinite (a mask's {@code −∞} on its way to a softmax),
     * nested lists whose infinite entries are the strings {@code "inf"} and {@code "-inf"}: JSON has no infinity.
     */
    private static Map<String, ?> written(Map<String, Tensor> values) {
        if (values.values().stream().allMatch(t -> t.firstNonFinite() < 0)) {
            return values;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((name, t) -> out.put(name, t.firstNonFinite() < 0 ? t : withInfinities(t, 0, 0)));
        return out;
    }

    private static Object withInfinities(Tensor t, int axis, int offset) {
        if (axis == t.rank()) {
            double v = t.get(offset);
            return Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : (Object) v;
        }
        List<Object> list = new ArrayList<>();
        int stride = 1;
        for (int a = axis + 1; a < t.rank(); a++) {
            stride *= t.dim(a);
        }
        for (int i = 0; i < t.dim(axis); i++) {
            list.add(withInfinities(t, axis + 1, offset + i * stride));
        }
        return list;
    }

    static List<String> inputNames(Graph g, Graph.Node n) {
        List<String> names = new ArrayList<>();
        for (int i : n.inputs()) {
            names.add(g.node(i).name());
        }
        return names;
    }

    /**
     * The edge's parts, unrounded: formula, rule, upstream, local Jacobian (null when it is too large to write out:
     * its rule and {@link Edge#shape} stand for it) and contribution (Jacobian form).
     */
    record Edge(Graph.Node via, Graph.Node to, Formula formula, Formula rule, Formula localRule, Tensor upstream,
            Tensor local, Tensor downstream) {

        /** {@code 48×12}: the local Jacobian's size(via) × size(operand). */
        String shape() {
            return via.value().size() + "×" + to.value().size();
        }
    }

    static List<Edge> edges(GraphSolver.Solution s) {
        Graph g = s.graph();
        String out = s.outputNode().name();
        List<Edge> edges = new ArrayList<>();
        for (Backprop.Edge e : s.backward().edges()) {
            Graph.Node via = g.node(e.via());
            Graph.Node to = g.node(e.to());
            Formula formula = Formula.infix(new Formula.Partial(out, to.name()), "+=",
                    Formula.infix(new Formula.Partial(out, via.name()), "·", new Formula.Partial(via.name(), to.name())));
            Formula localRule = local(g, via, e.slot());
            Formula rule = Formula.infix(new Formula.Partial(via.name(), to.name()), "=", localRule);
            edges.add(new Edge(via, to, formula, rule, localRule, jacobianForm(e.upstream()),
                    s.explicit(via, e.slot()) ? jacobian(g, via, e.slot()) : null, jacobianForm(e.contribution())));
        }
        return edges;
    }

    /** The explicit local Jacobian ∂via/∂(operand slot): size(via) × size(operand), a number between scalars. */
    static Tensor jacobian(Graph g, Graph.Node via, int slot) {
        Tensor jacobian = via.op().jacobian(slot, g.operands(via), via.value());
        boolean scalars = via.value().rank() == 0 && g.node(via.inputs().get(slot)).value().rank() == 0;
        return scalars ? Tensor.scalar(jacobian.item()) : jacobian;
    }

    /** ∂via/∂(operand slot) in symbols, with the operands' and the node's names. */
    static Formula local(Graph g, Graph.Node via, int slot) {
        return via.op().local(slot, operands(g, via), new Formula.Sym(via.name()), g.operands(via));
    }

    private static List<StepView> steps(GraphSolver.Solution s, Numbers numbers) {
        String out = s.outputNode().name();
        List<StepView> views = new ArrayList<>();
        for (Edge e : edges(s)) {
            String via = e.via().name();
            String to = e.to().name();
            String local = "∂" + via + "/∂" + to;
            views.add(new StepView(to, via, e.formula().text(), e.rule().text(),
                    new Step.Term("∂" + out + "/∂" + via, numbers.round(e.upstream())),
                    e.local() != null ? new Step.Term(local, numbers.round(e.local())) : new LocalRule(local, e.localRule().text(), e.shape()),
                    new Step.Term("∂" + out + "/∂" + to + " (via " + via + ")", numbers.round(e.downstream()))));
        }
        return views;
    }

    /** A gradient in Jacobian form: a number stays, a vector is a 1×n row, a matrix the 1×(m·n) row of its entries. */
    static Tensor jacobianForm(Tensor t) {
        return t.rank() == 0 ? t : t.reshape(1, t.size());
    }

    // ---- LaTeX ----

    private static Latex.Rendering latex(GraphSolver.Solution s, Numbers numbers) {
        Graph g = s.graph();
        Map<String, String> forward = new LinkedHashMap<>();
        for (Graph.Node n : g.nodes()) {
            if (n.kind() == Graph.Kind.CONST) {
                continue;
            }
            String formula = n.kind() == Graph.Kind.OP ? " = " + n.op().apply(operands(g, n)).latex() : "";
            forward.put(n.name(), new Formula.Sym(n.name()).latex() + formula + " = " + Latex.value(n.value(), numbers));
        }
        Map<String, String> gradients = new LinkedHashMap<>();
        for (Gradient gr : gradients(s)) {
            gradients.put(gr.node().name(), gr.latex(numbers));
        }
        List<String> steps = new ArrayList<>();
        for (Edge e : edges(s)) {
            if (e.local() == null) { // too large to write out: its rule stands for it
                steps.add(e.formula().latex() + " = " + Latex.value(e.upstream(), numbers) + " \\cdot \\left(" + e.localRule().latex()
                        + "\\right)_{" + e.shape().replace("×", " \\times ") + "} = " + Latex.value(e.downstream(), numbers));
                continue;
            }
            String times = e.upstream().rank() == 0 || e.local().rank() == 0 ? " \\cdot " : " ";
            steps.add(e.formula().latex() + " = " + Latex.value(e.upstream(), numbers) + times + Latex.value(e.local(), numbers)
                    + " = " + Latex.value(e.downstream(), numbers));
        }
        return new Latex.Rendering(forward, gradients, steps);
    }

    /** The operands of a node as symbols: their names, or a constant's number. */
    static List<Formula> operands(Graph g, Graph.Node n) {
        List<Formula> in = new ArrayList<>();
        for (int i : n.inputs()) {
            Graph.Node operand = g.node(i);
            in.add(operand.kind() == Graph.Kind.CONST ? Formula.num(operand.value().item()) : new Formula.Sym(operand.name()));
        }
        return in;
    }

    /**
     * A node's gradient written as the lecture writes it: the sum over its outward branches of upstream × local,
     * each branch's contribution, and the total ({@code ∂f/∂y = ∂f/∂a·∂a/∂y + ∂f/∂b·∂b/∂y = 2 + 3 = 5}).
     */
    record Gradient(Graph.Node node, String output, List<Backprop.Edge> edges, Graph graph, Tensor total) {

        /** ∂f/∂a·∂a/∂y + ∂f/∂b·∂b/∂y; for an edge from the output itself only its local ∂f/∂a. */
        Formula chain() {
            List<Formula> terms = new ArrayList<>();
            for (Backprop.Edge e : edges) {
                Graph.Node via = graph.node(e.via());
                Formula local = new Formula.Partial(via.name(), node.name());
                // from the output itself the upstream is 1: the local derivative is the whole term
                terms.add(via.name().equals(output) ? GraphAnswer.local(graph, via, e.slot())
                        : Formula.infix(new Formula.Partial(output, via.name()), "·", local));
            }
            return Formula.join(terms, "+");
        }

        String latex(Numbers numbers) {
            Formula lhs = new Formula.Partial(output, node.name());
            if (node.name().equals(output)) {
                return lhs.latex() + " = 1";
            }
            if (edges.isEmpty()) {
                return lhs.latex() + " = " + Latex.value(total, numbers);
            }
            StringBuilder out = new StringBuilder(lhs.latex()).append(" = ").append(chain().latex());
            if (edges.size() > 1) {
                List<String> parts = new ArrayList<>();
                for (Backprop.Edge e : edges) {
                    parts.add(Latex.value(e.contribution(), numbers));
                }
                out.append(" = ").append(String.join(" + ", parts));
            }
            return out.append(" = ").append(Latex.value(total, numbers)).toString();
        }
    }

    /** Every node's gradient with the edges it came along, from the output back (constants and index inputs left out). */
    static List<Gradient> gradients(GraphSolver.Solution s) {
        Graph g = s.graph();
        Map<Integer, List<Backprop.Edge>> into = new LinkedHashMap<>();
        for (Backprop.Edge e : s.backward().edges()) {
            into.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e);
        }
        List<Gradient> out = new ArrayList<>();
        for (int i = g.size() - 1; i >= 0; i--) {
            Graph.Node n = g.node(i);
            if (!s.hasGradient(i)) {
                continue;
            }
            List<Backprop.Edge> edges = new ArrayList<>(into.getOrDefault(i, List.of()));
            edges.sort(java.util.Comparator.comparingInt(Backprop.Edge::via).thenComparingInt(Backprop.Edge::slot));
            out.add(new Gradient(n, s.outputNode().name(), edges, g, s.backward().gradient(i)));
        }
        return out;
    }
}
