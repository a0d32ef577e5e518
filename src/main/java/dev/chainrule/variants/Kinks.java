package dev.chainrule.variants;

import dev.chainrule.engine.Graph;
import dev.chainrule.engine.Op;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.NetworkGraph;
import dev.chainrule.network.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a problem sits on a kink, so that its derivative there is a convention rather than the maths: each op says
 * where its own are ({@link Op#kinks}: a relu or leaky_relu input at 0, a hardtanh input at ±1, a hinge at 0, abs
 * at 0, max and min on a tie). "At" means within 1e-9: a variant's numbers are short decimals, and 0.1 + 0.2 − 0.3
 * must count as the 0 it is by hand.
 */
final class Kinks {

    static final double EPSILON = 1e-9;

    private Kinks() {
    }

    /** A network's: {@code z[1] = 0 (relu)}, {@code margin − s + s_c = 0 (max-margin hinge)}. */
    static List<String> of(Problem problem, GradientEngine engine) {
        List<String> out = new ArrayList<>();
        for (NetworkGraph.Kink k : engine.kinks(problem, EPSILON)) {
            out.add(k.inside() ? k.quantity() + " = " + k.at() + " (" + k.label() + ")"
                    : k.quantity() + "[" + k.flat() + "] = " + k.at() + " (" + k.label() + ")");
        }
        return out;
    }

    /**
     * Where a computational graph sits on a kink: an input of relu or abs at 0, the two operands of max or min
     * equal (the gradient splits by convention).
     */
    static List<String> of(dev.chainrule.graph.GraphSolver.Solution solution) {
        Graph g = solution.graph();
        List<String> out = new ArrayList<>();
        for (Graph.Node n : g.nodes()) {
            if (n.kind() != Graph.Kind.OP) {
                continue;
            }
            for (Op.Kink k : n.op().kinks(g.operands(n), n.value(), EPSILON)) {
                out.add(n.name() + " = " + n.expression() + (k.at().equals("tie") ? " on a tie" : " at " + k.at()) + " (" + k.label() + ")");
            }
        }
        return out;
    }
}
