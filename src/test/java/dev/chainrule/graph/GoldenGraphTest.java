package dev.chainrule.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.network.Golden;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every case of {@code golden-graph/} (PyTorch autograd, float64): forward values and gradients. */
class GoldenGraphTest {

    static List<Path> cases() {
        return GraphCases.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardAndGradientsAgreeWithPyTorch(Path file) {
        JsonNode golden = Golden.read(file);
        GraphSolver.Solution s = GraphCases.solve(golden.get("request"));
        JsonNode expected = golden.get("response");
        assertEquals(expected.get("output").asString(), s.outputNode().name());
        GraphCases.assertSubset("forward", expected.get("forward"), GraphCases.JSON.valueToTree(s.forward()));
        GraphCases.assertSubset("gradients", expected.get("gradients"), GraphCases.JSON.valueToTree(s.gradients()));
    }
}
