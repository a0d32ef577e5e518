package dev.chainrule.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.config.Limits;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The central-difference check against the engine, on the golden cases. */
class GradientCheckTest {

    private static final GradientEngine ENGINE = new GradientEngine();
    private static final GradientCheck CHECK = new GradientCheck(ENGINE);
    private static final ProblemReader READER = new ProblemReader(Limits.defaults());
    private static final Set<Activation> KINKED = Set.of(Activation.RELU, Activation.LEAKY_RELU, Activation.HARDTANH);

    static Problem problem(Path file) {
        var json = Golden.read(file);
        return READER.read(json.has("request") ? json.get("request") : json, "").problem();
    }

    /**
     * The smooth, well-scaled golden cases: the lecture's (whose ReLUs are far from 0) and every random case with
     * no kinked activation, a max-margin hinge away from 0, and no nonzero gradient entry below 1e-5·max(1, |J|)
     * (below that a relative error measures the rounding of J, not the gradient).
     */
    static List<Path> smooth() {
        Set<String> lecture = Set.of("cs224n-score.json", "cs224n-max-margin.json", "batch-mean-squared-error.json",
                "notes-softmax-classifier.json");
        return Golden.cases().stream().filter(f -> lecture.contains(f.getFileName().toString()) || smoothAndScaled(f)).toList();
    }

    private static boolean smoothAndScaled(Path file) {
        Problem p = problem(file);
        for (Layer layer : p.layers()) {
            if (layer instanceof Dense d && KINKED.contains(d.activation())) {
                return false;
            }
        }
        Gradients g = ENGINE.compute(p);
        if (p.loss() instanceof MaxMargin mm) {
            for (int k = 0; k < p.examples(); k++) {
                if (Math.abs(mm.margin() - g.forward().get("s").get(k) + g.forward().get("s_c").get(k)) < 0.1) {
                    return false;
                }
            }
        }
        double small = 1e-5 * Math.max(1, Math.abs(g.loss()));
        for (var e : g.gradients().entrySet()) {
            for (int k = 0; k < e.getValue().size(); k++) {
                double v = Math.abs(e.getValue().get(k));
                if (v != 0 && v < small) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void enoughSmoothCasesAreChecked() {
        assertTrue(smooth().size() >= 15, "only " + smooth().size() + " smooth cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smooth")
    void smoothCasesAreGood(Path file) {
        Problem p = problem(file);
        GradientCheck.Report r = CHECK.check(p, ENGINE.compute(p));
        assertFalse(r.onKink(), r.kinks().toString());
        r.results().forEach((name, result) -> assertTrue(result.maxRelativeError() <= 1e-7,
                name + ": " + result.maxRelativeError()));
        assertEquals("good", r.verdict());
        List<String> names = List.copyOf(r.results().keySet());
        assertTrue(names.contains("x"), "the input is checked");
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"cs224n-lecture3", "cs224n-max-margin", "softmax-classifier", "xor", "deep-relu"})
    void theExamplesAreOffKinksAndCheckGood(String id) {
        Problem p = problem(Path.of("src/main/resources/examples/" + id + ".json"));
        GradientCheck.Report r = CHECK.check(p, ENGINE.compute(p));
        assertFalse(r.onKink(), r.kinks().toString());
        assertEquals("good", r.verdict(), r.results().toString());
    }

    @Test
    void theReluKinkIsFlagged() {
        Problem p = problem(Path.of("src/test/resources/golden/cs224n-relu-kink.json"));
        GradientCheck.Report r = CHECK.check(p, ENGINE.compute(p));
        assertTrue(r.onKink());
        assertEquals(List.of("z[0] = 0 (relu)", "z[1] = 0 (relu)", "z[2] = 0 (relu)"), r.kinks());
        // relu'(0) = 0 analytically, ½ numerically: the estimate straddles the kink
        assertEquals("suspicious", r.results().get("W").verdict());
        assertEquals(0.0, r.results().get("u").maxRelativeError());
    }

    @Test
    void theHingeExactlyAtZeroIsAKink() {
        // x = x_c: s = s_c, so margin − s + s_c = margin; margin 0 puts the hinge exactly at 0
        Problem p = READER.read(Golden.json().readTree("""
                {"network": {"layers": [{"type": "dense", "W": [[1, 2], [0.5, -1]], "activation": "tanh"},
                  {"type": "score", "u": [1, -1]}]},
                 "x": [0.3, 0.2], "loss": {"type": "max_margin", "x_c": [0.3, 0.2], "margin": 0}}
                """), "").problem();
        GradientCheck.Report r = CHECK.check(p, ENGINE.compute(p));
        assertEquals(List.of("margin − s + s_c = 0 (max-margin hinge)"), r.kinks());
    }
}
