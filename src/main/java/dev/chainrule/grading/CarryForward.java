package dev.chainrule.grading;

import dev.chainrule.engine.Backprop;
import dev.chainrule.engine.Graph;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes an answer from a submission's own upstream answers ("error carried forward"), on the graph the
 * answer key was computed on: a node's gradient is the sum, over the edges the backward walk took into it, of each
 * consumer's backward rule applied to the consumer's gradient — here the student's where the student gave a wrong
 * one. Forward values and parameters are the problem's own; only the upstream gradients are the student's. The
 * rules are the graph's ops' own: no backprop maths is written here.
 */
final class CarryForward {

    private final Backprop.Result walk;
    private final Map<String, Integer> nodes = new HashMap<>();
    private final Map<Integer, List<Backprop.Edge>> into = new HashMap<>();

    CarryForward(Backprop.Result walk) {
        this.walk = walk;
        Graph graph = walk.graph();
        for (Graph.Node n : graph.nodes()) {
            // the last node of a name is the quantity it names: a network's product inside z = Wx + b carries z's
            // name too, and its gradient is z's
            nodes.put(n.name(), n.index());
        }
        for (Backprop.Edge e : walk.edges()) {
            if (e.via() != walk.output()) { // ∂J/∂J is 1 for everyone: no student's upstream there
                into.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e);
            }
        }
    }

    /** The node a name names (the last of that name), or null. */
    Integer node(String name) {
        return nodes.get(name);
    }

    /** What a carried answer for {@code target} would be, with the upstream names the student got wrong. */
    record Carried(Tensor value, List<String> from) {
    }

    /**
     * {@code target} recomputed from the student's own answers for the gradients just upstream of it ({@code
     * student}: name → answer in the expected shape; the expected value stands in for any not given), or null
     * when there is no such link or none of the student's upstream answers used is wrong.
     */
    Carried carried(String target, Map<String, Tensor> student, Tolerance tolerance) {
        Integer t = nodes.get(target);
        List<Backprop.Edge> edges = t == null ? null : into.get(t);
        if (edges == null) {
            return null;
        }
        Graph graph = walk.graph();
        List<String> wrong = new ArrayList<>();
        double[] sum = new double[walk.gradient(t).size()];
        for (Backprop.Edge e : edges) {
            Graph.Node via = graph.node(e.via());
            Tensor mine = student.get(via.name());
            Tensor right = walk.gradient(e.via());
            Tensor upstream = right;
            if (mine != null && mine.sameShape(right) && !Grader.allWithin(mine, right, tolerance)) {
                upstream = mine;
                if (!wrong.contains(via.name())) {
                    wrong.add(via.name());
                }
            }
            Tensor contribution = upstream == right ? e.contribution()
                    : via.op().backward(e.slot(), graph.operands(via), via.value(), upstream);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += contribution.get(i);
            }
        }
        if (wrong.isEmpty()) {
            return null;
        }
        return new Carried(Tensor.of(walk.gradient(t).shape(), sum), wrong);
    }
}
