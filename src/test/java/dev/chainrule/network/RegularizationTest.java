package dev.chainrule.network;

import dev.chainrule.engine.Step;
import dev.chainrule.engine.Tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.InvalidRequestException;
import dev.chainrule.config.Limits;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * L2 regularization, {@code "regularization": {"l2": λ}}: J = loss + R with R = λ Σ ‖W‖²_F over every weight
 * matrix and u (biases not penalised), as PyTorch's {@code loss + λ Σ ‖W‖²}. The expected values are computed
 * independently from every golden case (PyTorch's float64 answers without the penalty): J + λ ΣW², ∂J/∂W + 2λW,
 * and the rest unchanged.
 */
class RegularizationTest {

    private static final double LAMBDA = 0.0123;
    private static final ProblemReader READER = new ProblemReader(Limits.defaults());

    static List<Path> cases() {
        return Golden.cases();
    }

    private static ObjectNode regularized(JsonNode request, double lambda) {
        ObjectNode r = (ObjectNode) request.deepCopy();
        r.set("regularization", Golden.json().readTree("{\"l2\": " + lambda + "}"));
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorchsLossPlusLambdaSumOfSquaredWeights(Path file) {
        JsonNode golden = Golden.read(file);
        JsonNode request = golden.get("request");
        Problem p = READER.read(regularized(request, LAMBDA), "").problem();
        Gradients g = new GradientEngine().compute(p, new GradientEngine.Options(false, false));
        JsonNode actual = Golden.json().valueToTree(TensorJsonAccess.plain(g));
        JsonNode expectedForward = golden.get("response").get("forward");
        JsonNode expectedGradients = golden.get("response").get("gradients");

        // the weights as posted, with their names: W or W1, W2, …, and u
        JsonNode layers = request.get("network").get("layers");
        long dense = 0;
        for (JsonNode l : layers) {
            dense += l.get("type").asString().equals("dense") ? 1 : 0;
        }
        double squares = 0;
        int k = 0;
        for (JsonNode l : layers) {
            boolean score = l.get("type").asString().equals("score");
            String name = score ? "u" : dense == 1 ? "W" : "W" + (++k);
            JsonNode w = score ? l.get("u") : l.get("W");
            JsonNode expected = expectedGradients.get(name);
            for (int i = 0; i < w.size(); i++) {
                if (w.get(i).isArray()) {
                    for (int j = 0; j < w.get(i).size(); j++) {
                        double v = w.get(i).get(j).doubleValue();
                        squares += v * v;
                        double e = expected.get(i).get(j).doubleValue() + 2 * LAMBDA * v;
                        Golden.assertClose("gradients." + name + "[" + i + "][" + j + "]", Golden.json().getNodeFactory().numberNode(e),
                                actual.get("gradients").get(name).get(i).get(j));
                    }
                } else {
                    double v = w.get(i).doubleValue();
                    squares += v * v;
                    double e = expected.get(i).doubleValue() + 2 * LAMBDA * v;
                    Golden.assertClose("gradients." + name + "[" + i + "]", Golden.json().getNodeFactory().numberNode(e),
                            actual.get("gradients").get(name).get(i));
                }
            }
        }
        double r = LAMBDA * squares;
        Golden.assertClose("forward.R", Golden.json().getNodeFactory().numberNode(r), actual.get("forward").get("R"));
        Golden.assertClose("forward.J", Golden.json().getNodeFactory().numberNode(expectedForward.get("J").doubleValue() + r),
                actual.get("forward").get("J"));
        // biases, inputs and per-example quantities are not penalised
        for (String name : expectedGradients.propertyNames()) {
            if (!name.matches("W\\d*|u")) {
                Golden.assertClose("gradients." + name, expectedGradients.get(name), actual.get("gradients").get(name));
            }
        }
    }

    @Test
    void eachWeightsPenaltyIsAStepOfItsOwnAfterItsLayersShare() {
        Problem p = READER.read(regularized(Golden.json().readTree(Golden.request("cs224n-max-margin")), 0.5), "").problem();
        Gradients g = new GradientEngine().compute(p);
        List<String> formulas = g.steps().stream().map(Step::formula).toList();
        int w = formulas.indexOf("∂J/∂W = δᵀ xᵀ + δ_cᵀ x_cᵀ (δ = ∂J/∂z)");
        assertThat(formulas.get(w + 1)).isEqualTo("∂J/∂W = ∂J/∂W|data + 2λW (λ = 0.5)");
        Step penalty = g.steps().get(w + 1);
        Tensor share = penalty.local().value();
        assertThat(share.get(0)).isEqualTo(2 * 0.5 * 0.1); // W[0][0] = 0.1
        Tensor total = g.gradients().get("W");
        for (int i = 0; i < total.size(); i++) {
            assertThat(total.get(i)).isCloseTo(penalty.upstream().value().get(i) + share.get(i), org.assertj.core.api.Assertions.within(1e-12));
        }
        assertThat(formulas).contains("∂J/∂u = ∂J/∂u|data + 2λu (λ = 0.5)");
        assertThat(g.forward().keySet()).endsWith("R", "J");
        assertThat(g.gradients().get("R").item()).isEqualTo(1.0);
        assertThat(g.gradients()).doesNotContainKey("b_penalty");
    }

    @Test
    void aNegativeLambdaIs400NamingTheField() {
        JsonNode request = regularized(Golden.json().readTree(Golden.request("cs224n-score")), -0.1);
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> READER.read(request, ""));
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("regularization.l2");
        assertThat(e.errors().get(0).message()).contains("λ ≥ 0");
    }

    @Test
    void zeroLambdaIsNoPenaltyAtAll() {
        Problem p = READER.read(regularized(Golden.json().readTree(Golden.request("cs224n-score")), 0), "").problem();
        Map<String, Tensor> forward = new GradientEngine().compute(p).forward();
        assertThat(forward).doesNotContainKey("R");
    }
}
