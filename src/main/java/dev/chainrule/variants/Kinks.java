package dev.chainrule.variants;

import dev.chainrule.engine.Deadline;
import dev.chainrule.network.Activation;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Layer;
import dev.chainrule.network.LayerNames;
import dev.chainrule.network.Loss;
import dev.chainrule.network.Problem;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a problem sits on a kink, so that its derivative there is a convention rather than the maths: a relu or
 * leaky_relu input at 0, a hardtanh input at ±1, a max-margin hinge margin − s + s_c at 0. "At" means within
 * 1e-9: a variant's numbers are short decimals, and 0.1 + 0.2 − 0.3 must count as the 0 it is by hand. The list
 * says where, for an error message: the first {@value #NAMED} kinks, then one entry counting the rest (a
 * 600×600 batch on a relu kink has 360,000 of them, and their texts are never built).
 */
final class Kinks {

    static final double EPSILON = 1e-9;
    /** Kinks named at most; the rest are counted ("and 359995 more"): a 600-wide batch on a kink has 360,000. */
    static final int NAMED = 5;

    private Kinks() {
    }

    static List<String> of(Problem problem, GradientEngine engine, Deadline deadline) {
        Map<String, Tensor> forward = engine.compute(problem, new GradientEngine.Options(false, false), deadline).forward();
        Found out = new Found();
        List<LayerNames> names = LayerNames.of(problem.layers());
        boolean maxMargin = problem.loss() instanceof Loss.MaxMargin;
        for (String suffix : maxMargin ? List.of("", "_c") : List.of("")) {
            for (int i = 0; i < problem.layers().size(); i++) {
                if (!(problem.layers().get(i) instanceof Layer.Dense dense)) {
                    continue;
                }
                String z = names.get(i).z() + suffix;
                Tensor values = forward.get(z);
                for (int k = 0; k < values.size(); k++) {
                    String at = at(dense, values.get(k));
                    if (at != null) {
                        int index = k;
                        out.add(() -> z + "[" + index + "] = " + at + " (" + dense.activation().wireName() + ")");
                    }
                }
            }
        }
        if (problem.loss() instanceof Loss.MaxMargin mm) {
            Tensor s = forward.get("s");
            Tensor sc = forward.get("s_c");
            for (int k = 0; k < s.size(); k++) {
                if (Math.abs(mm.margin() - s.get(k) + sc.get(k)) <= EPSILON) {
                    out.add(() -> "margin − s + s_c = 0 (max-margin hinge)");
                }
            }
        }
        return out.list();
    }

    /**
     * Where a computational graph sits on a kink: an input of relu or abs at 0, the two operands of max or min
     * equal (the gradient splits by convention).
     */
    static List<String> of(dev.chainrule.graph.GraphSolver.Solution solution) {
        dev.chainrule.engine.Graph g = solution.graph();
        Found out = new Found();
        for (dev.chainrule.engine.Graph.Node n : g.nodes()) {
            String op = n.opName();
            Tensor[] in = n.kind() == dev.chainrule.engine.Graph.Kind.OP ? g.operands(n) : new Tensor[0];
            if (op.equals("relu") || op.equals("abs")) {
                for (int k = 0; k < in[0].size(); k++) {
                    if (Math.abs(in[0].get(k)) <= EPSILON) {
                        out.add(() -> n.name() + " = " + n.expression() + " at 0 (" + op + ")");
                    }
                }
            } else if (op.equals("max") || op.equals("min")) {
                for (int k = 0; k < n.value().size(); k++) {
                    double a = in[0].get(in[0].size() == 1 ? 0 : k);
                    double b = in[1].get(in[1].size() == 1 ? 0 : k);
                    if (Math.abs(a - b) <= EPSILON) {
                        out.add(() -> n.name() + " = " + n.expression() + " on a tie (" + op + ")");
                    }
                }
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

    /** The kink z is on ("0", "1", "-1"), or null. */
    private static String at(Layer.Dense dense, double z) {
        Activation f = dense.activation();
        if ((f == Activation.RELU || (f == Activation.LEAKY_RELU && dense.alpha() != 1)) && Math.abs(z) <= EPSILON) {
            return "0";
        }
        if (f == Activation.HARDTANH && Math.abs(Math.abs(z) - 1) <= EPSILON) {
            return z > 0 ? "1" : "-1";
        }
        return null;
    }
}
