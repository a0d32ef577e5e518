package dev.chainrule.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.gradients.KatexStructure;
import dev.chainrule.network.Golden;
import dev.chainrule.render.Numbers;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every case of {@code golden-ops/} (the tensor language's rows, PyTorch autograd in float64) through the reader, the
 * compiler and the engine: the forward values and gradients given, and no gradient for an index input. The cases of
 * functions not built yet are {@link #PENDING}, and held to it: a pending case that starts passing fails too, so the
 * list is emptied as they land.
 */
class GoldenOpsTest {

    /** Cases whose functions are not built yet: none. */
    static final Set<String> PENDING = Set.of();

    static List<Path> cases() {
        return GraphCases.cases("golden-ops");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardAndGradientsAgreeWithPyTorch(Path file) {
        String name = file.getFileName().toString().replace(".json", "");
        JsonNode golden = Golden.read(file);
        if (!PENDING.contains(name)) {
            check(golden);
            return;
        }
        Throwable failure = null;
        try {
            check(golden);
        } catch (Throwable t) {
            failure = t;
        }
        assertThat(failure).as("%s is listed as pending but passes: take it off GoldenOpsTest.PENDING", name).isNotNull();
    }

    /** The golden answer's forward values and gradients, sound LaTeX and text, and no gradient for an index input. */
    static void check(JsonNode golden) {
        GraphSolver.Solution s = GraphCases.solve(golden.get("request"));
        JsonNode expected = golden.get("response");
        assertEquals(expected.get("output").asString(), s.outputNode().name());
        for (String key : expected.get("forward").propertyNames()) {
            assertTrue(s.forward().containsKey(key), "forward." + key + " is missing from " + s.forward().keySet());
            Golden.assertClose("forward." + key, expected.get("forward").get(key), GraphCases.JSON.valueToTree(s.forward().get(key)));
        }
        GraphCases.assertSubset("gradients", expected.get("gradients"), GraphCases.JSON.valueToTree(s.gradients()));
        // every LaTeX string of the answer renders (KaTeX's structure), text and JSON as well
        var latex = GraphAnswer.json(s, true, true, Numbers.FULL).latex();
        latex.forward().values().forEach(KatexStructure::assertSound);
        latex.gradients().values().forEach(KatexStructure::assertSound);
        latex.steps().forEach(KatexStructure::assertSound);
        assertThat(GraphText.render(s, true, Numbers.FULL)).contains("Backward pass");
        // an input given but left out of the golden gradients is an index input: no gradient of its own
        for (String input : golden.get("request").get("values").propertyNames()) {
            if (!expected.get("gradients").has(input)) {
                assertThat(s.gradients()).as("gradients of an index input").doesNotContainKey(input);
            }
        }
    }
}
