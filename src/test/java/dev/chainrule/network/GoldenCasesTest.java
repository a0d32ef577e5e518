package dev.chainrule.network;

import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.config.Limits;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every golden case through the reader and the engine alone: forward and gradients as PyTorch computed them. */
class GoldenCasesTest {

    private final ProblemReader reader = new ProblemReader(Limits.defaults());
    private final GradientEngine engine = new GradientEngine();

    static List<Path> cases() {
        return Golden.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(Path file) {
        matches(file, reader, engine);
    }

    /** The case's request read and computed: forward and gradients as PyTorch computed them. */
    static void matches(Path file, ProblemReader reader, GradientEngine engine) {
        JsonNode golden = Golden.read(file);
        ProblemReader.Request request = reader.read(golden.get("request"), "");
        Gradients result = engine.compute(request.problem(), GradientEngine.Options.DEFAULT);
        JsonNode actual = Golden.json().valueToTree(TensorJson.toPlain(result));
        Golden.assertSection("forward", golden.get("response").get("forward"), actual.get("forward"));
        Golden.assertSection("gradients", golden.get("response").get("gradients"), actual.get("gradients"));
    }
}
