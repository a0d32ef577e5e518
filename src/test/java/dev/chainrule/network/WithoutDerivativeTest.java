package dev.chainrule.network;

import dev.chainrule.engine.Tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's option to leave one dense layer's f'(z) out of the chain (what the grader diagnoses). */
class WithoutDerivativeTest {

    private static final GradientEngine ENGINE = new GradientEngine();

    private static Problem twoLayers() {
        Dense first = new Dense(new double[][] {{0.5, -1}, {2, 0.25}}, new double[] {0.1, -0.2},
                Activation.TANH, Activation.DEFAULT_ALPHA);
        Dense second = new Dense(new double[][] {{1, -2}}, null, Activation.SIGMOID,
                Activation.DEFAULT_ALPHA);
        return new Problem(List.of(first, second), new double[][] {{1, 2}}, false, new SquaredError(new double[][] {{0.3}}), null);
    }

    @Test
    void theLeftOutLayerPassesItsUpstreamGradientThrough() {
        Problem p = twoLayers();
        Gradients right = ENGINE.compute(p, new GradientEngine.Options(false, false));
        Gradients without = ENGINE.compute(p, GradientEngine.Options.withoutDerivativeOf(0));
        // δ1 = ∂J/∂h1 (no ⊙ tanh'(z1)); everything above layer 1 is untouched
        assertEquals(without.gradients().get("h1"), without.gradients().get("z1"));
        assertEquals(right.gradients().get("h1"), without.gradients().get("h1"));
        assertEquals(right.gradients().get("W2"), without.gradients().get("W2"));
        assertEquals(right.forward(), without.forward());
        assertNotEquals(right.gradients().get("W1"), without.gradients().get("W1"));
        // ∂J/∂W1 = δ1ᵀxᵀ with that δ1
        Tensor d = without.gradients().get("z1");
        Tensor w1 = without.gradients().get("W1");
        assertEquals(d.get(1) * 2, w1.get(3), 1e-15);
    }

    @Test
    void onlyWithStepsOff() {
        assertThrows(IllegalArgumentException.class, () -> new GradientEngine.Options(true, false, 0));
        assertEquals(-1, GradientEngine.Options.DEFAULT.withoutDerivativeOf());
    }
}
