package dev.chainrule.gradients;

import dev.chainrule.engine.Formula;
import dev.chainrule.network.Layer;
import dev.chainrule.network.Loss;
import dev.chainrule.network.Notation;
import dev.chainrule.network.Problem;
import dev.chainrule.network.Reduction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The forward pass in the lecture's notation: for every quantity of {@code forward}, how it is computed
 * ({@code z = Wx + b}, {@code h = σ(z)}, {@code s = uᵀh}, {@code J = …}), as {@link Formula}s that render
 * themselves as Unicode for the text derivation and as LaTeX for {@code options.latex}.
 */
final class Derivation {

    private Derivation() {
    }

    /**
     * name → right-hand side, e.g. {@code z1} → {@code W1x + b1}; inputs have none. Each is a formula that renders
     * itself as Unicode text and as LaTeX.
     */
    static Map<String, Formula> forwardFormulas(Problem problem) {
        Map<String, Formula> out = new HashMap<>();
        List<Notation.Names> names = Notation.of(problem.layers());
        List<String> suffixes = problem.loss() instanceof Loss.MaxMargin ? List.of("", "_c") : List.of("");
        String output = null;
        for (String suffix : suffixes) {
            for (int i = 0; i < problem.layers().size(); i++) {
                Layer layer = problem.layers().get(i);
                Notation.Names n = names.get(i);
                String in = n.input() + suffix;
                if (layer instanceof Layer.Dense dense) {
                    Formula wx = new Formula.Tex(n.w() + in, Formula.adjacent(n.w(), in));
                    out.put(n.z() + suffix, dense.bias() != null ? Formula.infix(wx, "+", Formula.sym(n.b())) : wx);
                    out.put(n.h() + suffix, dense.activation().apply(n.z() + suffix));
                    output = n.h();
                } else {
                    out.put("s" + suffix, new Formula.Tex("uᵀ" + in, "u^{\\top}" + Formula.name(in)));
                    output = "s";
                }
            }
        }
        Formula loss = loss(problem, output);
        if (problem.regularized()) {
            // R = λ Σ ‖W‖²_F over every weight matrix and u
            List<String> text = new java.util.ArrayList<>();
            List<String> latex = new java.util.ArrayList<>();
            for (Notation.Names n : names) {
                String w = n.score() ? "u" : n.w();
                text.add("‖" + w + "‖²");
                latex.add("\\|" + Formula.name(w) + "\\|^{2}");
            }
            String l2 = plain(problem.l2());
            out.put("R", new Formula.Tex(l2 + "·(" + String.join(" + ", text) + ")",
                    l2 + " \\cdot (" + String.join(" + ", latex) + ")"));
            out.put("J", Formula.infix(loss, "+", Formula.sym("R")));
        } else {
            out.put("J", loss);
        }
        return out;
    }

    /** The loss on the network's output {@code out}, reduced over a batch. */
    static Formula loss(Problem problem, String out) {
        Formula one = problem.loss().formula(out);
        if (!problem.batched()) {
            return one;
        }
        Formula sum = new Formula.Sum(one);
        String mean = "(1/" + problem.examples() + ") ";
        return problem.reduction() == Reduction.MEAN ? new Formula.Tex(mean + sum.text(), mean + sum.latex()) : sum;
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** The lecture's δ for a z name: {@code z} → δ, {@code z2} → δ2, {@code z_c} → δ_c. */
    static String delta(String zName) {
        return "δ" + zName.substring(1);
    }

    /** True for a weight step ∂J/∂W = δᵀxᵀ: an outer product, whose local is the layer's input as a row. */
    static boolean isWeights(dev.chainrule.engine.Step step) {
        return step.gradient().matches("W\\d*") && step.local().name().endsWith("ᵀ") && !step.local().name().startsWith("∂");
    }

    /** True for the step that adds an L2 penalty's 2λW to a weight's gradient: a sum, not a product. */
    static boolean isPenalty(dev.chainrule.engine.Step step) {
        return step.local().name().startsWith("∂R/∂");
    }

    static boolean isZ(String name) {
        return name.matches("z\\d*(_c)?");
    }
}
