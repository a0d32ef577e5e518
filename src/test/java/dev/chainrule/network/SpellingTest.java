package dev.chainrule.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Op;
import dev.chainrule.engine.Ops;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One spelling per function in both endpoints' answers: a graph's {@code sigmoid(z)}, typed so, is written as a
 * network's sigmoid layer writes h = f(z) (σ(z), ReLU(z), …), in text and in LaTeX.
 */
class SpellingTest {

    /** The function's LaTeX up to its argument: {@code \sigma} of {@code \sigma (z)} and of {@code \sigma\left(z\right)}. */
    private static String head(String latex) {
        return latex.replaceFirst("\\s*(\\\\left)?\\(.*", "");
    }

    @Test
    void aGraphWritesEachActivationAsANetworkLayerDoes() {
        List<String> shared = new ArrayList<>();
        for (Activation a : Activation.values()) {
            if (!Ops.FUNCTIONS.containsKey(a.wireName())) {
                continue;
            }
            Op op = Ops.build(a.wireName(), 1);
            shared.add(a.wireName());
            Formula network = a.apply("z");
            Formula graph = op.apply(List.of(new Formula.Sym("z")));
            assertEquals(network.text(), graph.text(), a.wireName());
            assertEquals(head(network.latex()), head(graph.latex()), a.wireName());
        }
        assertEquals(List.of("relu", "sigmoid", "tanh", "softplus", "softmax"), shared);
        assertEquals("σ(z)", Ops.build("sigmoid", 1).apply(List.of(new Formula.Sym("z"))).text());
        assertEquals("\\operatorname{ReLU}", head(Ops.build("relu", 1).apply(List.of(new Formula.Sym("z"))).latex()));
    }
}
