package dev.chainrule.graph;

import dev.chainrule.budget.Cost;
import dev.chainrule.budget.CostModel;
import dev.chainrule.config.Limits;
import dev.chainrule.engine.Backprop;
import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.Graph;
import dev.chainrule.engine.NonFiniteException;
import dev.chainrule.engine.Op;
import dev.chainrule.engine.Tensor;
import dev.chainrule.errors.LimitExceededException;
import dev.chainrule.network.GradientCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes a read graph request: builds the graph (forward values), walks it backward once, names the first node
 * whose value or gradient is not finite, and on request checks every gradient against central differences. Plain
 * Java; one instance serves every thread.
 */
public final class GraphSolver {

    /** Entries of a step's local Jacobian up to which it is written out; a larger one is given by its rule and shape. */
    public static final int FULL_JACOBIAN_ENTRIES = 400;

    private final Limits limits;

    public GraphSolver(Limits limits) {
        this.limits = limits;
    }

    /**
     * A computed graph: its nodes with their values, the output, the backward walk, and the gradient check when asked.
     *
     * @param fullJacobians every step's local Jacobian written out, however large
     */
    public record Solution(Graph graph, int output, Backprop.Result backward, boolean fullJacobians, GradientCheck.Report check) {

        public Graph.Node outputNode() {
            return graph.node(output);
        }

        /** Every node's value but the numbers', in nodes' order (index inputs and comparisons included). */
        public Map<String, Tensor> forward() {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Graph.Node n : graph.nodes()) {
                if (n.kind() != Graph.Kind.CONST) {
                    out.put(n.name(), n.value());
                }
            }
            return out;
        }

        /** ∂output/∂node for every node with a gradient, in shape convention: constants and index inputs left out. */
        public Map<String, Tensor> gradients() {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Graph.Node n : graph.nodes()) {
                if (hasGradient(n.index())) {
                    out.put(n.name(), backward.gradient(n.index()));
                }
            }
            return out;
        }

        /** True for every node but the constants (numbers, index inputs, comparisons' results); the output always. */
        public boolean hasGradient(int node) {
            return graph.node(node).kind() != Graph.Kind.CONST && (node == output || !graph.constant(node));
        }

        /** True when the local Jacobian of this edge is written out rather than given by its rule. */
        public boolean explicit(Graph.Node via, int slot) {
            return fullJacobians || (long) via.value().size() * graph.node(via.inputs().get(slot)).value().size() <= FULL_JACOBIAN_ENTRIES;
        }
    }

    public Solution solve(GraphReader.Request request) {
        return solve(request, Deadline.NONE);
    }

    /** The same, stopping between nodes (forward and backward) once {@code deadline} says so. */
    public Solution solve(GraphReader.Request request, Deadline deadline) {
        GraphCompiler.Compiled compiled;
        try {
            compiled = GraphCompiler.compile(request.statements(), request.values(), limits.maxWork(), deadline);
        } catch (Graph.NonFiniteValue e) {
            throw new NonFiniteException("forward." + e.node().name(), "the value of " + e.node().name() + " = "
                    + e.node().expression() + " is infinite or NaN (log(0), a division by 0, an overflow…); nodes computed"
                    + " after it are not");
        }
        Graph graph = compiled.graph();
        Graph.Node out = compiled.outputNode();
        if (out.value().firstNonFinite() >= 0) { // an ∞ given as a constant that reached the output
            throw new NonFiniteException("forward." + out.name(), "the value of " + out.name() + " = " + out.expression()
                    + " is infinite: an inf in the expression reaches the output (a row masked with -inf everywhere?)");
        }
        if (request.steps()) {
            long numbers = stepNumbers(graph, compiled.output(), request.fullJacobians());
            if (numbers > limits.maxResponseNumbers()) {
                throw new LimitExceededException("chainrule.limits.max-response-numbers", limits.maxResponseNumbers(), numbers,
                        request.fullJacobians() ? "options.full_jacobians" : "options.steps", "the steps' explicit local Jacobians would hold");
            }
        }
        if (request.gradientCheck()) {
            long work = Cost.units(CostModel.graphCheck(checkedEntries(graph), graph.size(), forwardWork(graph)));
            if (work > limits.maxWork()) {
                throw new LimitExceededException("chainrule.limits.max-work", limits.maxWork(), work, "options.gradient_check",
                        "checking every gradient against central differences would take work units");
            }
        }
        Backprop.Result backward = Backprop.run(graph, compiled.output(), deadline);
        int bad = backward.firstNonFinite();
        if (bad >= 0) {
            String name = graph.node(bad).name();
            throw new NonFiniteException("gradients." + name, "the gradient ∂" + compiled.outputNode().name()
                    + "/∂" + name + " is infinite or NaN (sqrt(0)'s or log(0)'s slope, say): " + name
                    + " sits where the expression has no finite derivative");
        }
        GradientCheck.Report check = request.gradientCheck() ? check(graph, compiled.output(), backward, deadline) : null;
        return new Solution(graph, compiled.output(), backward, request.fullJacobians(), check);
    }

    /** Numbers in the steps of a walk: per edge its local Jacobian (written out, or by its rule) and both ends. */
    static long stepNumbers(Graph graph, int output, boolean full) {
        long numbers = 0;
        for (int i = 0; i <= output; i++) {
            Graph.Node n = graph.node(i);
            for (int in : n.inputs()) {
                long out = n.value().size();
                long size = graph.node(in).value().size();
                long jacobian = out * size;
                numbers += (full || jacobian <= FULL_JACOBIAN_ENTRIES ? jacobian : 2) + out + size;
            }
        }
        return numbers;
    }

    /** Entries of the inputs a gradient check nudges: every input but the index inputs. */
    private static long checkedEntries(Graph graph) {
        long entries = 0;
        for (Graph.Node n : graph.nodes()) {
            if (n.kind() == Graph.Kind.INPUT && !graph.constant(n.index())) {
                entries += n.value().size();
            }
        }
        return entries;
    }

    /** Multiply-adds of one forward pass, as the ops price themselves. */
    private static double forwardWork(Graph graph) {
        double work = 0;
        for (Graph.Node n : graph.nodes()) {
            if (n.kind() == Graph.Kind.OP) {
                work += n.op().work(graph.operands(n));
            }
        }
        return work;
    }

    /**
     * Every non-index input's gradient against the fourth-order central difference of the output (as
     * {@code /v1/gradients} checks a network), with the kinks the point sits on.
     */
    private static GradientCheck.Report check(Graph graph, int output, Backprop.Result backward, Deadline deadline) {
        double value = graph.node(output).value().item();
        Map<String, GradientCheck.Result> results = new LinkedHashMap<>();
        for (Graph.Node n : graph.nodes()) {
            if (n.kind() != Graph.Kind.INPUT || graph.constant(n.index())) {
                continue;
            }
            double[] data = n.value().toArray();
            int[] shape = n.value().shape();
            GradientCheck.Result r = GradientCheck.compare(backward.gradient(n.index()), value, (k, d) -> {
                deadline.check();
                double original = data[k];
                data[k] = original + d;
                double j = graph.recompute(output, Map.of(n.index(), Tensor.of(shape, data.clone()))).item();
                data[k] = original;
                return j;
            });
            if (!Double.isFinite(r.maxRelativeError())) {
                throw new NonFiniteException("gradient_check." + n.name(), "a nudge of " + n.name()
                        + " by the check's step makes the output infinite or NaN, so its gradient cannot be checked");
            }
            results.put(n.name(), r);
        }
        return new GradientCheck.Report(GradientCheck.EPSILON, results, GradientCheck.worst(results.values()), kinks(graph, output));
    }

    /** Where the point sits on a kink of an op it passes through: {@code t2[1] = 0 (relu)}. */
    static List<String> kinks(Graph graph, int output) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i <= output; i++) {
            Graph.Node n = graph.node(i);
            if (n.kind() != Graph.Kind.OP || graph.constant(i)) {
                continue;
            }
            Tensor[] in = graph.operands(n);
            for (Op.Kink k : n.op().kinks(in, n.value())) {
                Graph.Node operand = graph.node(n.inputs().get(k.operand()));
                Tensor v = operand.value();
                out.add(operand.name() + v.index(k.entry()) + " = " + GradientCheck.shortNumber(v.get(k.entry())) + " (" + k.why() + ")");
            }
        }
        return new ArrayList<>(out);
    }
}
