package dev.chainrule.variants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.KinkTemplates;
import dev.chainrule.engine.Deadline;
import dev.chainrule.examples.Examples;
import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.errors.InvalidRequestException;
import dev.chainrule.config.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Per-student variants on their own: the generator, the pinned variants of every example, kinks, templates. */
class VariantsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Examples EXAMPLES = new Examples();
    static final ProblemReader READER = new ProblemReader(Limits.defaults());
    static final Variants VARIANTS = new Variants(EXAMPLES, List.of(new NetworkVariantCheck(READER, new GradientEngine()),
            new GraphVariantCheck(new dev.chainrule.graph.GraphReader(dev.chainrule.graph.GraphProperties.defaults()),
                    new dev.chainrule.graph.GraphSolver(Limits.defaults()))), Limits.defaults());
    /** Three seeds pinned for every example: small, typical, the largest allowed. */
    static final long[] PINNED_SEEDS = {1, 17, Variants.MAX_SEED};

    static String variantText(String id, long seed) {
        return JSON.writeValueAsString(example(id, seed));
    }

    /** An example's variant, drawn with every draw a variant may take. */
    static JsonNode example(String id, long seed) {
        return draw(VARIANTS.exampleTemplate(id), seed, false, "");
    }

    /** A template's variant, drawn with every draw a variant may take, with no deadline. */
    static JsonNode draw(Template t, long seed, boolean allowKinks, String prefix) {
        Draws draws = Draws.plan(VARIANTS.shape(t, prefix), 1, 0, Long.MAX_VALUE);
        return VARIANTS.draw(t, seed, allowKinks, prefix, draws, Deadline.NONE);
    }

    static String pinnedName(String id, long seed) {
        return "variants/" + id + "-seed-" + seed + ".json";
    }

    static String pinned(String id, long seed) {
        try (InputStream in = VariantsTest.class.getClassLoader().getResourceAsStream(pinnedName(id, seed))) {
            if (in == null) {
                return null;
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> pinnedVariants() {
        List<Arguments> out = new ArrayList<>();
        for (Examples.Example e : EXAMPLES.all()) {
            for (long seed : PINNED_SEEDS) {
                out.add(Arguments.of(e.id(), seed));
            }
        }
        return out.stream();
    }

    /**
     * The variant is byte for byte the one pinned in src/test/resources/variants. A new example needs its three
     * files: run this test with -Dvariants.pin=true once to write the missing ones, and read them before committing.
     */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("pinnedVariants")
    void aSeedGivesThePinnedVariantForever(String id, long seed) throws IOException {
        String text = variantText(id, seed);
        String pinned = pinned(id, seed);
        if (pinned == null && Boolean.getBoolean("variants.pin")) {
            Path file = Path.of("src/test/resources", pinnedName(id, seed));
            Files.writeString(file, text + "\n");
            pinned = text;
        }
        assertEquals(pinned, text, id + " seed " + seed + " (pin missing variants with -Dvariants.pin=true)");
        assertEquals(text, variantText(id, seed), "the same seed twice");
    }

    @Test
    void differentSeedsGiveDifferentVariants() {
        for (Examples.Example e : EXAMPLES.all()) {
            Set<String> seen = new HashSet<>();
            for (long seed = 0; seed < 20; seed++) {
                seen.add(variantText(e.id(), seed));
            }
            assertEquals(20, seen.size(), e.id() + ": 20 seeds, 20 different variants");
            assertFalse(seen.contains(JSON.writeValueAsString(e.body())), e.id() + ": no variant is the example itself");
        }
    }

    @Test
    void aVariantKeepsTheExamplesStructureAndTargets() {
        JsonNode lecture = example("cs224n-lecture3", 17L);
        assertEquals("sigmoid", lecture.at("/network/layers/0/activation").asString());
        assertEquals(3, lecture.at("/network/layers/0/W").size());
        assertEquals(5, lecture.at("/network/layers/0/W/0").size());
        assertEquals("score", lecture.at("/loss/type").asString());
        JsonNode xor = example("xor", 17L);
        assertEquals(EXAMPLES.get("xor").body().get("batch"), xor.get("batch"), "xor keeps its four points (fixed)");
        assertEquals(EXAMPLES.get("xor").body().get("loss"), xor.get("loss"), "targets are kept");
        assertEquals(EXAMPLES.get("softmax-classifier").body().get("loss"), example("softmax-classifier", 5L).get("loss"));
        // small integers where the example has integers, one-decimal values elsewhere
        for (JsonNode v : lecture.get("x")) {
            assertTrue(v.isIntegralNumber() && Math.abs(v.intValue()) <= 5, lecture.toString());
        }
        for (JsonNode row : lecture.at("/network/layers/0/W")) {
            for (JsonNode v : row) {
                assertTrue(v.isFloatingPointNumber() && Math.abs(v.doubleValue()) <= 0.5, lecture.toString());
                assertEquals(Math.round(v.doubleValue() * 10) / 10.0, v.doubleValue(), 0.0, "one decimal: " + v);
            }
        }
    }

    @Test
    void noVariantPutsAReluInputOnItsKink() {
        // deep-relu and softmax-classifier have ReLU layers; over many seeds, no z of a ReLU layer is 0
        GradientEngine engine = new GradientEngine();
        for (String id : List.of("deep-relu", "softmax-classifier")) {
            for (long seed = 0; seed < 300; seed++) {
                JsonNode v = example(id, seed);
                assertEquals(List.of(), Kinks.of(READER.read(v, "").problem(), engine, Deadline.NONE), id + " seed " + seed);
            }
        }
        // the check is not vacuous: a template that can only put z on 0 is refused, and allowed when asked
        String onKink = """
                {"network": {"layers": [{"type": "dense", "W": [[{"vary": {"min": 0, "max": 0}}, 1]], "activation": "relu"},
                                        {"type": "score", "u": [1]}]},
                 "x": [{"vary": {"min": -2, "max": 2}}, 0]}""";
        Template t = VARIANTS.template(JSON.readTree(onKink), "template.");
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> draw(t, 3, false, "template."));
        assertEquals("template", e.errors().get(0).path());
        assertTrue(e.errors().get(0).message().contains("z[0] = 0 (relu)"), e.errors().get(0).message());
        assertEquals(0, draw(t, 3, true, "template.").at("/network/layers/0/W/0/0").intValue());
    }

    @Test
    void aKinkOnlySomeDrawsHitIsDrawnAgain() {
        // z = w·1 + 0 with w in {-1, 0, 1}: a third of first draws land on 0; every variant must avoid it
        String template = """
                {"network": {"layers": [{"type": "dense", "W": [[{"vary": {"min": -1, "max": 1}}]], "activation": "relu"},
                                        {"type": "score", "u": [2]}]},
                 "x": [1]}""";
        Template t = VARIANTS.template(JSON.readTree(template), "template.");
        int zeroFirstDraws = 0;
        for (long seed = 0; seed < 60; seed++) {
            long first = new SplitMix64(seed).below(3) - 1;
            zeroFirstDraws += first == 0 ? 1 : 0;
            assertNotEquals(0, draw(t, seed, false, "template.").at("/network/layers/0/W/0/0").intValue(), "seed " + seed);
        }
        assertTrue(zeroFirstDraws > 0, "some first draws were on the kink");
    }

    @Test
    void hardtanhAndTheMaxMarginHingeAreKinksToo() {
        GradientEngine engine = new GradientEngine();
        ProblemReader reader = new ProblemReader(Limits.defaults());
        String hardtanh = """
                {"network": {"layers": [{"type": "dense", "W": [[0.5, 0.25]], "activation": "hardtanh"}, {"type": "score", "u": [1]}]},
                 "x": [1, 2]}""";
        assertEquals(List.of("z[0] = 1 (hardtanh)"), Kinks.of(reader.read(JSON.readTree(hardtanh), "").problem(), engine, Deadline.NONE));
        String hinge = """
                {"network": {"layers": [{"type": "dense", "W": [[1.0, 0.0]]}, {"type": "score", "u": [1]}]},
                 "x": [1.2, 0], "loss": {"type": "max_margin", "x_c": [0.2, 0], "margin": 1}}""";
        assertEquals(List.of("margin − s + s_c = 0 (max-margin hinge)"), Kinks.of(reader.read(JSON.readTree(hinge), "").problem(), engine, Deadline.NONE));
        String leaky = """
                {"network": {"layers": [{"type": "dense", "W": [[0.1, 0.2, -0.3]], "activation": "leaky_relu"}, {"type": "score", "u": [1]}]},
                 "x": [1, 1, 1]}""";
        assertEquals(List.of("z[0] = 0 (leaky_relu)"), Kinks.of(reader.read(JSON.readTree(leaky), "").problem(), engine, Deadline.NONE),
                "0.1 + 0.2 − 0.3 is 0 by hand, whatever the doubles say");
    }

    @Test
    void aProblemOnManyKinksNamesTheFirstFiveAndCountsTheRest() {
        Template t = VARIANTS.template(JSON.readTree(KinkTemplates.allKinks(30)), "template.");
        List<String> kinks = Kinks.of(READER.read(t.shape(), "").problem(), new GradientEngine(), Deadline.NONE);
        assertEquals(List.of("z[0] = 0 (relu)", "z[1] = 0 (relu)", "z[2] = 0 (relu)", "z[3] = 0 (relu)", "z[4] = 0 (relu)",
                "and 895 more"), kinks, "30 examples × 30 units, every z on 0");
    }

    @Test
    void splitMix64IsTheReferenceGenerator() {
        // the first outputs of SplitMix64 seeded with 1234567, as in the reference implementation (Vigna's splitmix64.c)
        SplitMix64 rng = new SplitMix64(1234567);
        assertEquals(6457827717110365317L, rng.next());
        assertEquals(3203168211198807973L, rng.next());
        assertEquals(Long.parseUnsignedLong("9817491932198370423"), rng.next());
        assertEquals(4593380528125082431L, rng.next());
        assertEquals(Long.parseUnsignedLong("16408922859458223821"), rng.next());
    }

    @Test
    void aTemplateDrawsInItsRangesAndShapes() {
        String template = """
                {"network": {"layers": [{"type": "dense", "W": {"vary": {"min": -1, "max": 1, "step": 0.1, "shape": [3, 5]}},
                                         "b": {"vary": {"min": -2, "max": 2, "shape": [3], "nonzero": true}}, "activation": "tanh"},
                                        {"type": "score", "u": {"vary": {"min": 0.5, "max": 0.7, "step": 0.1, "shape": [3]}}}]},
                 "x": {"vary": {"min": 1, "max": 4, "shape": [5]}}, "loss": {"type": "score"}}""";
        Template t = VARIANTS.template(JSON.readTree(template), "template.");
        for (long seed = 0; seed < 50; seed++) {
            JsonNode v = draw(t, seed, false, "template.");
            for (JsonNode row : v.at("/network/layers/0/W")) {
                for (JsonNode w : row) {
                    assertTrue(w.doubleValue() >= -1 && w.doubleValue() <= 1 && Math.rint(w.doubleValue() * 10) == w.doubleValue() * 10, v.toString());
                }
            }
            for (JsonNode b : v.at("/network/layers/0/b")) {
                assertTrue(b.isIntegralNumber() && b.intValue() != 0 && Math.abs(b.intValue()) <= 2, v.toString());
            }
            for (JsonNode u : v.at("/network/layers/1/u")) {
                assertTrue(Set.of(0.5, 0.6, 0.7).contains(u.doubleValue()), "decimal steps give 0.6, not 0.6000000000000001: " + u);
            }
            assertEquals(5, v.get("x").size());
        }
    }

    @Test
    void badTemplatesNameTheField() {
        String template = """
                {"network": {"layers": [{"type": "dense", "W": {"vary": {"min": 1, "max": 0, "shape": [3, 0]}},
                                         "b": {"vary": {"max": 1, "step": -1, "spread": 2}}},
                                        {"type": "score", "u": {"vary": {"min": 0, "max": 0, "nonzero": true}}}]},
                 "x": [1, 2]}""";
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> VARIANTS.template(JSON.readTree(template), "template."));
        List<String> paths = e.errors().stream().map(f -> f.path()).toList();
        assertEquals(List.of("template.network.layers[0].W.vary.max", "template.network.layers[0].W.vary.shape[1]",
                "template.network.layers[0].b.vary.spread", "template.network.layers[0].b.vary.min", "template.network.layers[0].b.vary.step",
                "template.network.layers[1].u.vary.nonzero"), paths);
    }

    @Test
    void aGraphExamplesIndexInputsAreKeptAndItsTensorsVaryInTheirShapes() {
        // the index inputs are read from the text: inside [...], and a loss's class labels
        String body = """
                {"expression": "E = L[w]\\nS = flatten(E) @ W\\nJ = cross_entropy(S, y) + sum(T * T)",
                 "values": {"L": [[0.5, -1], [1, 2], [0, 0.5]], "w": [2, 0, 2], "W": [[1, 0], [0, 1], [1, 1], [0, 2], [2, 0], [1, -1]],
                            "y": 1, "T": [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]}}""";
        JsonNode example = JSON.readTree(body);
        GraphVariantCheck check = new GraphVariantCheck(new dev.chainrule.graph.GraphReader(dev.chainrule.graph.GraphProperties.defaults()),
                new dev.chainrule.graph.GraphSolver(Limits.defaults()));
        Set<String> kept = check.kept(example);
        assertEquals(Set.of("values.w", "values.y"), kept);
        Template t = Template.ofExample(example, kept);
        for (long seed = 0; seed < 20; seed++) {
            JsonNode v = draw(t, seed, false, "");
            assertEquals(example.at("/values/w"), v.at("/values/w"));
            assertEquals(example.at("/values/y"), v.at("/values/y"));
            assertEquals(2, v.at("/values/T/1/1").size(), "T keeps its 2×2×2 shape: " + v);
            assertTrue(v.at("/values/T/1/1/0").isIntegralNumber(), "a whole-number tensor varies over whole numbers: " + v);
        }
        assertNotEquals(draw(t, 1, false, "").at("/values/T"), draw(t, 2, false, "").at("/values/T"));
    }
}
