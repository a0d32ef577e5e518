package dev.chainrule.network;

import dev.chainrule.config.Limits;
import dev.chainrule.gradients.ProblemReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The coursework layers' and losses' golden cases ({@code src/test/resources/golden-layers}, PyTorch float64 by
 * {@code scripts/golden_layers.py}) through the reader and the engine alone, held as {@link Golden} holds the
 * lecture's: the same names in the same order, every entry within 1e-9 relative.
 */
class GoldenLayersTest {

    private final ProblemReader reader = new ProblemReader(Limits.defaults());
    private final GradientEngine engine = new GradientEngine();

    static List<Path> cases() {
        return Golden.layerCases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(Path file) {
        GoldenCasesTest.matches(file, reader, engine);
    }
}
