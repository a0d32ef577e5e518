package dev.chainrule.budget;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.Golden;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Gradients;
import dev.chainrule.engine.Tensor;
import dev.chainrule.config.Limits;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The model counts the numbers of an answer as the engine makes them: the work and size it predicts rest on that. */
class CostModelTest {

    static java.util.List<Path> cases() {
        return Golden.cases();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void countsTheAnswersNumbersWithinAFewOfTheEngines(Path file) {
        ProblemReader.Request request = new ProblemReader(Limits.defaults()).read(Golden.read(file).get("request"), "");
        Gradients g = new GradientEngine().compute(request.problem(),
                new GradientEngine.Options(false, false));
        long numbers = count(g.forward()) + count(g.gradients());
        long predicted = CostModel.answerNumbers(request.problem(), false, false);
        // never fewer; more by at most the score layer's s, counted as a z and an h (and J, in both maps, not at all)
        long slack = 2L * request.problem().examples() * request.problem().loss().passes() + 2;
        assertTrue(predicted >= numbers - 2 && predicted <= numbers + slack,
                file.getFileName() + ": the engine's answer has " + numbers + " numbers, the model counts " + predicted);
    }

    private static long count(java.util.Map<String, Tensor> tensors) {
        return tensors.values().stream().mapToLong(t -> t.size()).sum();
    }
}
