package dev.chainrule.gradients;

import dev.chainrule.network.Activation;
import dev.chainrule.network.Layer;
import dev.chainrule.network.Loss;
import dev.chainrule.network.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * Problems that compute (and train), but almost certainly not what was meant: the two cross-entropies take logits (they apply
 * σ or softmax themselves), so a network that already ends in that squashing applies it twice. Answered 200 with
 * the warning beside the numbers, never refused: a course may want to show exactly this mistake.
 */
public final class Warnings {

    private Warnings() {
    }

    /** The warnings for a problem; empty when there is nothing to warn about. */
    public static List<String> of(Problem problem) {
        List<String> out = new ArrayList<>();
        Layer last = problem.layers().get(problem.layers().size() - 1);
        if (last instanceof Layer.Dense d) {
            if (d.activation() == Activation.SIGMOID && problem.loss() instanceof Loss.BinaryCrossEntropy) {
                out.add(twice("sigmoid", "binary_cross_entropy", "p = σ(ŷ)"));
            }
            if (d.activation() == Activation.SOFTMAX && problem.loss() instanceof Loss.SoftmaxCrossEntropy) {
                out.add(twice("softmax", "softmax_cross_entropy", "p = softmax(ŷ)"));
            }
        }
        return out;
    }

    private static String twice(String activation, String loss, String applies) {
        return "the last layer already applies " + activation + " and " + loss + " applies it again (" + loss
                + " takes logits: " + applies + "): did you mean identity?";
    }
}
