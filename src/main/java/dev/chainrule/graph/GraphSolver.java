package dev.chainrule.graph;

import dev.chainrule.engine.Backprop;
import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.Graph;
import dev.chainrule.engine.NonFiniteException;
import dev.chainrule.engine.Tensor;
import dev.chainrule.errors.LimitExceededException;
import dev.chainrule.config.Limits;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Computes a read graph request: builds the graph (forward values), walks it backward once, and names the first
 * node whose value or gradient is not finite. Plain Java; one instance serves every thread.
 */
public final class GraphSolver {

    private final Limits limits;

    public GraphSolver(Limits limits) {
        this.limits = limits;
    }

    /** A computed graph: its nodes with their values, the output, and the backward walk. */
    public record Solution(Graph graph, int output, Backprop.Result backward) {

        public Graph.Node outputNode() {
            return graph.node(output);
        }

        /** Every node's value but the constants', in nodes' order. */
        public Map<String, Tensor> forward() {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Graph.Node n : graph.nodes()) {
                if (n.kind() != Graph.Kind.CONST) {
                    out.put(n.name(), n.value());
                }
            }
            return out;
        }

        /** ∂output/∂node for every node in {@link #forward()}, in shape convention. */
        public Map<String, Tensor> gradients() {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Graph.Node n : graph.nodes()) {
                if (n.kind() != Graph.Kind.CONST) {
                    out.put(n.name(), backward.gradient(n.index()));
                }
            }
            return out;
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
        if (request.steps()) {
            long numbers = stepNumbers(compiled.graph(), compiled.output());
            if (numbers > limits.maxResponseNumbers()) {
                throw new LimitExceededException("chainrule.limits.max-response-numbers", limits.maxResponseNumbers(), numbers,
                        "options.steps", "the steps' explicit local Jacobians would hold");
            }
        }
        Backprop.Result backward = Backprop.run(compiled.graph(), compiled.output(), deadline);
        int bad = backward.firstNonFinite();
        if (bad >= 0) {
            String name = compiled.graph().node(bad).name();
            throw new NonFiniteException("gradients." + name, "the gradient ∂" + compiled.outputNode().name()
                    + "/∂" + name + " is infinite or NaN (sqrt(0)'s or log(0)'s slope, say): " + name
                    + " sits where the expression has no finite derivative");
        }
        return new Solution(compiled.graph(), compiled.output(), backward);
    }

    /** Numbers in the steps of a walk: per edge the explicit Jacobian (size(out) × size(in)) and both ends. */
    static long stepNumbers(Graph graph, int output) {
        long numbers = 0;
        for (int i = 0; i <= output; i++) {
            Graph.Node n = graph.node(i);
            for (int in : n.inputs()) {
                long out = n.value().size();
                long size = graph.node(in).value().size();
                numbers += out * size + out + size;
            }
        }
        return numbers;
    }
}
