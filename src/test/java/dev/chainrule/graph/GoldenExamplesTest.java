package dev.chainrule.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.examples.Examples;
import dev.chainrule.network.Golden;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The coursework examples of {@code GET /v1/examples} — CS224N's word-window classifier, CS231n's vectorized SVM,
 * batch norm by hand, conv → ReLU → max-pool — against PyTorch autograd in float64: {@code golden-examples/ID.json},
 * written by {@code scripts/golden_examples.py} from the example's own body. Each golden request is the example as
 * served, so the two cannot drift apart.
 */
class GoldenExamplesTest {

    private static final Examples EXAMPLES = new Examples();
    /** The yardstick of tensor-contract.md: every gradient within this of PyTorch's. */
    private static final double MAX_ABS_ERROR = 1e-9;

    static List<Path> cases() {
        return GraphCases.cases("golden-examples");
    }

    @Test
    void everyCourseworkExampleHasItsReferenceAnswer() {
        assertThat(cases().stream().map(GoldenExamplesTest::id)).containsExactlyInAnyOrder(
                "cs224n-window-classifier", "cs231n-svm-vectorized", "batch-norm-by-hand", "conv-relu-maxpool");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theExampleAgreesWithPyTorch(Path file) {
        String id = id(file);
        JsonNode golden = Golden.read(file);
        Examples.Example example = EXAMPLES.get(id);
        assertThat(example).as("%s is listed in examples/index.json", id).isNotNull();
        assertEquals("/v1/graph", example.endpoint());
        assertEquals(example.body(), golden.get("request"), id + ": the reference answers another body; run scripts/golden_examples.py");
        GoldenOpsTest.check(golden);
        GraphSolver.Solution s = GraphCases.solve(example.body());
        JsonNode gradients = GraphCases.JSON.valueToTree(s.gradients());
        for (String name : golden.get("response").get("gradients").propertyNames()) {
            assertThat(maxAbsError(golden.get("response").get("gradients").get(name), gradients.get(name)))
                    .as("%s: ∂%s/∂%s", id, s.outputNode().name(), name).isLessThanOrEqualTo(MAX_ABS_ERROR);
        }
    }

    private static double maxAbsError(JsonNode expected, JsonNode actual) {
        if (!expected.isArray()) {
            return Math.abs(expected.doubleValue() - actual.doubleValue());
        }
        double most = 0;
        for (int i = 0; i < expected.size(); i++) {
            most = Math.max(most, maxAbsError(expected.get(i), actual.get(i)));
        }
        return most;
    }

    private static String id(Path file) {
        return file.getFileName().toString().replace(".json", "");
    }
}
