package dev.chainrule.variants;

import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.Graph;
import dev.chainrule.engine.Op;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.NetworkGraph;
import dev.chainrule.network.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where a problem sits on a kink, so that its derivative there is a convention rather than the maths: each op says
 * where its own are ({@link Op#kinks}: a relu or leaky_relu input at 0, a hardtanh input at ±1, a hinge at 0, abs
 * at 0, max and min on a tie). "At" means within 1e-9: a variant's numbers are short decimals, and 0.1 + 0.2 − 0.3
 * must count as the 0 it is by hand. The list says where, for an error message: the first {@value #NAMED} kinks,
 * then one entry counting the rest (a 600×600 batch on a relu kink has 360,000 of them, and their texts are never
 * built).
 */
final class Kinks {

    static final double EPSILON = 1e-9;
    /** Kinks named at most; the rest are counted ("and 359995 more"): a 600-wide batch on a kink has 360,000. */
    static final int NAMED = 5;

    private Kinks() {
    }

    /** A network's: {@code z[1] = 0 (relu)}, {@code margin − s + s_c = 0 (max-margin hinge)}. */
    static List<String> of(Problem problem, GradientEngine engine, Deadline deadline) {
        Found out = new Found();
        for (NetworkGraph.Kink k : engine.kinks(problem, EPSILON, deadline)) {
            out.add(() -> k.inside() ? k.quantity() + " = " + k.at() + " (" + k.label() + ")"
                    : k.quantity() + "[" + k.flat() + "] = " + k.at() + " (" + k.label() + ")");
        }
        return out.list();
    }

    /**
     * Where a computational graph sits on a kink: an input of relu or abs at 0, the two operands of max or min
     * equal (the gradient splits by convention).
     */
    static List<String> of(dev.chainrule.graph.GraphSolver.Solution solution) {
        Graph g = solution.graph();
        Found out = new Found();
        for (Graph.Node n : g.nodes()) {
            if (n.kind() != Graph.Kind.OP) {
                continue;
            }
            for (Op.Kink k : n.op().kinks(g.operands(n), n.value(), EPSILON)) {
                out.add(() -> n.name() + " = " + n.expression() + ("tie".equals(k.at()) ? " on a tie" : " at " + k.at())
                        + " (" + n.opName() + ")");
            }
        }
        return out.list();
    }

    /** The kinks found: the first {@value #NAMED} named, the rest counted. */
    private static final class Found {
        private final List<String> named = new ArrayList<>();
        private long more;

        void add(Supplier<String> name) {
            if (named.size() < NAMED) {
                named.add(name.get());
            } else {
                more++;
            }
        }

        List<String> list() {
            if (more > 0) {
                named.add("and " + more + " more");
            }
            return named;
        }
    }
}
