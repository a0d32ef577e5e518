package dev.chainrule.network;

import dev.chainrule.engine.Step;
import dev.chainrule.engine.Tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.config.Limits;
import org.junit.jupiter.api.Test;

/**
 * The identities of CS224N lecture 3, each on the running example x ∈ R⁵ → z = Wx + b → h = σ(z) → s = uᵀh,
 * checked against values computed independently here.
 */
class Cs224nIdentitiesTest {

    private static final double[][] W = {{0.1, 0.2, 0.3, 0.4, 0.5}, {-0.5, 0.4, -0.3, 0.2, -0.1}, {0.05, 0.0, -0.05, 0.1, 0.2}};
    private static final double[] B = {0.1, -0.1, 0.0};
    private static final double[] U = {1.0, -2.0, 0.5};
    private static final double[] X = {1, 2, 3, 4, 5};
    private static final String RUNNING = """
            {"network": {"layers": [
              {"type": "dense", "W": [[0.1, 0.2, 0.3, 0.4, 0.5], [-0.5, 0.4, -0.3, 0.2, -0.1], [0.05, 0.0, -0.05, 0.1, 0.2]],
               "b": [0.1, -0.1, 0.0], "activation": "sigmoid"},
              {"type": "score", "u": [1.0, -2.0, 0.5]}]},
             "x": [1, 2, 3, 4, 5], "loss": {"type": "score"}, "options": {"jacobian_form": true}}
            """;

    private final ProblemReader reader = new ProblemReader(Limits.defaults());
    private final GradientEngine engine = new GradientEngine();

    private Gradients run(String json) {
        ProblemReader.Request r = reader.read(Golden.json().readTree(json), "");
        return engine.compute(r.problem(), r.options().engineOptions());
    }

    private static double[] z() {
        double[] z = new double[3];
        for (int i = 0; i < 3; i++) {
            z[i] = B[i];
            for (int j = 0; j < 5; j++) {
                z[i] += W[i][j] * X[j];
            }
        }
        return z;
    }

    private static double[] sigmoidPrime() {
        double[] z = z();
        double[] d = new double[3];
        for (int i = 0; i < 3; i++) {
            double h = 1 / (1 + Math.exp(-z[i]));
            d[i] = h * (1 - h);
        }
        return d;
    }

    private static Step step(Gradients g, String gradient) {
        return g.steps().stream().filter(s -> s.gradient().equals(gradient)).findFirst().orElseThrow();
    }

    @Test
    void dzDxIsW() {
        Step step = step(run(RUNNING), "x");
        assertEquals(Tensor.matrix(W), step.local().value());
        assertEquals("∂J/∂x = ∂J/∂z · W", step.formula());
    }

    @Test
    void dzDbIsIdentity() {
        Step step = step(run(RUNNING), "b");
        assertEquals(Tensor.matrix(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}), step.local().value());
    }

    @Test
    void dhDzIsDiagOfFPrime() {
        double[] d = sigmoidPrime();
        Tensor local = step(run(RUNNING), "z").local().value();
        assertArrayEquals(new int[] {3, 3}, local.shape());
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(i == j ? d[i] : 0.0, local.get(i * 3 + j), 1e-15);
            }
        }
    }

    @Test
    void dsDuIsH() {
        Gradients g = run(RUNNING);
        assertEquals(g.forward().get("h"), g.gradients().get("u"));
    }

    @Test
    void deltaIsUTransposeHadamardFPrime() {
        double[] d = sigmoidPrime();
        Tensor delta = run(RUNNING).gradients().get("z");
        for (int i = 0; i < 3; i++) {
            assertEquals(U[i] * d[i], delta.get(i), 1e-15);
        }
    }

    @Test
    void dsDwIsDeltaTransposeXTranspose() {
        Gradients g = run(RUNNING);
        Tensor delta = g.gradients().get("z");
        Tensor dw = g.gradients().get("W");
        assertArrayEquals(new int[] {3, 5}, dw.shape());
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(delta.get(i) * X[j], dw.get(i * 5 + j), 1e-15);
            }
        }
    }

    @Test
    void dsDbIsDeltaInShapeConventionButARowInJacobianForm() {
        Gradients g = run(RUNNING);
        Tensor delta = g.gradients().get("z");
        assertEquals(delta, g.gradients().get("b"));
        assertArrayEquals(new int[] {3}, g.gradients().get("b").shape());
        assertArrayEquals(new int[] {1, 3}, g.jacobianForm().get("b").shape());
        assertArrayEquals(delta.toArray(), g.jacobianForm().get("b").toArray());
        assertArrayEquals(new int[] {1, 15}, g.jacobianForm().get("W").shape());
    }

    @Test
    void softmaxWithCrossEntropyGivesPredictionMinusTarget() {
        Gradients g = run("""
                {"network": {"layers": [{"type": "dense", "W": [[1, -1], [0.5, 2], [-1, 0.25]], "b": [0.1, 0.2, 0.3]}]},
                 "x": [0.7, -0.3], "loss": {"type": "softmax_cross_entropy", "y": 2}}
                """);
        double[] logits = g.forward().get("h").toArray();
        double max = Math.max(logits[0], Math.max(logits[1], logits[2]));
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        double[] y = {0, 0, 1};
        Tensor dh = g.gradients().get("h");
        for (int i = 0; i < 3; i++) {
            assertEquals(Math.exp(logits[i] - max) / sum - y[i], dh.get(i), 1e-15);
        }
    }

    @Test
    void maxMarginGivesMinusOneAndPlusOneWhenTheMarginIsViolated() {
        // s = 0.587, s_c = 0.267: 1 − s + s_c = 0.68 > 0
        Gradients g = run(maxMargin(1.0));
        assertEquals(-1.0, g.gradients().get("s").item());
        assertEquals(1.0, g.gradients().get("s_c").item());
        assertEquals(0.680489258782893, g.loss(), 1e-15);
    }

    @Test
    void maxMarginGivesZeroWhenTheMarginHolds() {
        // margin 0.1: 0.1 − 0.587 + 0.267 < 0
        Gradients g = run(maxMargin(0.1));
        assertEquals(0.0, g.gradients().get("s").item());
        assertEquals(0.0, g.gradients().get("s_c").item());
        assertEquals(0.0, g.loss());
        assertArrayEquals(new double[15], g.gradients().get("W").toArray());
    }

    private static String maxMargin(double margin) {
        return RUNNING.replace("\"loss\": {\"type\": \"score\"}",
                "\"loss\": {\"type\": \"max_margin\", \"x_c\": [1, 0, -1, 0, 2], \"margin\": " + margin + "}");
    }
}
