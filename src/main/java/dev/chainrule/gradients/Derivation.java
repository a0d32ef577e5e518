package dev.chainrule.gradients;

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
 * ({@code z = Wx + b}, {@code h = σ(z)}, {@code s = uᵀh}, {@code J = …}), in Unicode. Shared by the text and
 * LaTeX renderings.
 */
final class Derivation {

    private Derivation() {
    }

    /** name → right-hand side, e.g. {@code z1} → {@code W1x + b1}; inputs have none. */
    static Map<String, String> forwardFormulas(Problem problem) {
        Map<String, String> out = new HashMap<>();
        List<Notation.Names> names = Notation.of(problem.layers());
        List<String> suffixes = problem.loss() instanceof Loss.MaxMargin ? List.of("", "_c") : List.of("");
        String output = null;
        for (String suffix : suffixes) {
            for (int i = 0; i < problem.layers().size(); i++) {
                Layer layer = problem.layers().get(i);
                Notation.Names n = names.get(i);
                String in = n.input() + suffix;
                if (layer instanceof Layer.Dense dense) {
                    out.put(n.z() + suffix, n.w() + in + (dense.bias() != null ? " + " + n.b() : ""));
                    out.put(n.h() + suffix, dense.activation().formula(n.z() + suffix));
                    output = n.h();
                } else {
                    out.put("s" + suffix, "uᵀ" + in);
                    output = "s";
                }
            }
        }
        if (problem.regularized()) {
            // R = λ Σ ‖W‖²_F over every weight matrix and u
            List<String> norms = new java.util.ArrayList<>();
            for (Notation.Names n : names) {
                norms.add("‖" + (n.score() ? "u" : n.w()) + "‖²");
            }
            out.put("R", plain(problem.l2()) + "·(" + String.join(" + ", norms) + ")");
            out.put("J", loss(problem, output) + " + R");
        } else {
            out.put("J", loss(problem, output));
        }
        return out;
    }

    /** The loss on the network's output {@code out}, reduced over a batch. */
    static String loss(Problem problem, String out) {
        Loss loss = problem.loss();
        String one;
        if (loss instanceof Loss.SquaredError) {
            one = "½‖" + out + " − y‖²";
        } else if (loss instanceof Loss.SoftmaxCrossEntropy) {
            one = "−Σᵢ yᵢ log softmax(" + out + ")ᵢ";
        } else if (loss instanceof Loss.BinaryCrossEntropy) {
            one = "−[y log σ(" + out + ") + (1 − y) log(1 − σ(" + out + "))]";
        } else if (loss instanceof Loss.MaxMargin mm) {
            one = "max(0, " + plain(mm.margin()) + " − s + s_c)";
        } else {
            one = out;
        }
        if (!problem.batched()) {
            return one;
        }
        String sum = "Σₖ (" + one + ")ₖ";
        return problem.reduction() == Reduction.MEAN ? "(1/" + problem.examples() + ") " + sum : sum;
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** The lecture's δ for a z name: {@code z} → δ, {@code z2} → δ2, {@code z_c} → δ_c. */
    static String delta(String zName) {
        return "δ" + zName.substring(1);
    }

    /** True for a weight step ∂J/∂W = δᵀxᵀ: an outer product, whose local is the layer's input as a row. */
    static boolean isWeights(dev.chainrule.network.Step step) {
        return step.gradient().matches("W\\d*") && step.local().name().endsWith("ᵀ") && !step.local().name().startsWith("∂");
    }

    /** True for the step that adds an L2 penalty's 2λW to a weight's gradient: a sum, not a product. */
    static boolean isPenalty(dev.chainrule.network.Step step) {
        return step.local().name().startsWith("∂R/∂");
    }

    static boolean isZ(String name) {
        return name.matches("z\\d*(_c)?");
    }
}
