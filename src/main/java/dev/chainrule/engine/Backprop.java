package dev.chainrule.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The backward walk: from the output back in reverse evaluation order (a reverse topological order), each node
 * multiplies its upstream gradient by its local Jacobian for each operand, and the operand adds what it gets;
 * gradients sum where a node feeds several (CS224N lecture 3: "gradients sum at outward branches"). Every edge's
 * contribution is kept, so the steps and the branch sums are read off the walk rather than computed again.
 */
public final class Backprop {

    private Backprop() {
    }

    /**
     * One edge walked: {@code to} (operand {@code slot} of {@code via}) receives {@code contribution} =
     * {@code upstream} (∂output/∂via) × ∂via/∂to, both in shape convention.
     */
    public record Edge(int via, int slot, int to, Tensor upstream, Tensor contribution) {
    }

    /** A node that feeds more than one edge, with each edge's contribution (in evaluation order) and their sum. */
    public record Branch(int node, List<Edge> contributions, Tensor total) {
        public Branch {
            contributions = List.copyOf(contributions);
        }
    }

    /**
     * What the walk found.
     *
     * @param gradients ∂output/∂node for every node in shape convention (zero where the output does not depend on
     *                  it; null for constants)
     * @param edges     the edges in the order walked: from the output back
     */
    public record Result(Graph graph, int output, List<Tensor> gradients, List<Edge> edges, List<Branch> branches) {
        public Result {
            gradients = java.util.Collections.unmodifiableList(new ArrayList<>(gradients));
            edges = List.copyOf(edges);
            branches = List.copyOf(branches);
        }

        public Tensor gradient(int node) {
            return gradients.get(node);
        }

        /** The first node, from the output back, whose gradient is infinite or NaN, or -1 when all are finite. */
        public int firstNonFinite() {
            for (int i = output; i >= 0; i--) {
                Tensor g = gradients.get(i);
                if (g != null && g.firstNonFinite() >= 0) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * Walks back from {@code output}, seeding ∂output/∂output with ones in its shape; {@code deadline} is checked
     * before each node ({@link Deadline.Exceeded} when the computation must stop).
     */
    public static Result run(Graph graph, int output, Deadline deadline) {
        return run(graph, output, deadline, -1);
    }

    /**
     * The same walk with node {@code identity}'s local derivative taken as I: it passes its upstream on to its one
     * operand unchanged (an element-wise f whose f' a student left out; −1 for none). Its operand must have its shape.
     */
    public static Result run(Graph graph, int output, Deadline deadline, int identity) {
        int n = graph.size();
        Tensor[] grads = new Tensor[n];
        Tensor out = graph.node(output).value();
        grads[output] = out.map(v -> 1.0);
        List<Edge> edges = new ArrayList<>();
        for (int i = output; i >= 0; i--) {
            Graph.Node node = graph.node(i);
            if (node.kind() != Graph.Kind.OP || grads[i] == null) {
                continue;
            }
            deadline.check(); // between ops: a long walk stops when its computation's time is up
            Tensor[] in = graph.operands(node);
            for (int k = 0; k < in.length; k++) {
                int to = node.inputs().get(k);
                Graph.Node target = graph.node(to);
                if (target.kind() == Graph.Kind.CONST || graph.constant(to) || !node.op().carriesGradient(k)) {
                    continue; // constants, index inputs and comparisons' operands get no gradient along this edge
                }
                Tensor contribution = i == identity ? grads[i] : node.op().backward(k, in, node.value(), grads[i]);
                edges.add(new Edge(i, k, to, grads[i], contribution));
                grads[to] = grads[to] == null ? contribution : plus(grads[to], contribution);
            }
        }
        List<Tensor> gradients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Graph.Node node = graph.node(i);
            gradients.add(node.kind() == Graph.Kind.CONST ? null
                    : grads[i] != null ? grads[i] : node.value().map(v -> 0.0));
        }
        return new Result(graph, output, gradients, edges, branches(edges, gradients));
    }

    private static List<Branch> branches(List<Edge> edges, List<Tensor> gradients) {
        Map<Integer, List<Edge>> into = new TreeMap<>();
        for (Edge e : edges) {
            into.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e);
        }
        List<Branch> out = new ArrayList<>();
        into.forEach((node, list) -> {
            if (list.size() > 1) {
                List<Edge> ordered = new ArrayList<>(list);
                ordered.sort(Comparator.comparingInt(Edge::via).thenComparingInt(Edge::slot));
                out.add(new Branch(node, ordered, gradients.get(node)));
            }
        });
        return out;
    }

    /** a + b of equal shapes. */
    public static Tensor plus(Tensor a, Tensor b) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i) + b.get(i);
        }
        return Tensor.of(a.shape(), out);
    }
}
