package dev.chainrule.grading;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.fge.jsonschema.main.JsonSchema;
import dev.chainrule.ApiTest;
import dev.chainrule.network.Gradients;
import dev.chainrule.engine.Tensor;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * ?format=gradescope and ?format=prairielearn: every answer checked against the platform's JSON Schema (from its
 * documentation) and, through the validator filter, against openapi.yaml; and no expected value without reveal.
 */
class PlatformFormatsApiTest extends ApiTest {

    static final String CAROL = QuestionsApiTest.aliceCarolDave("[{\"name\": \"u\", \"points\": 2}, \"W\", \"b\"]");

    static JsonSchema schema(String format) {
        return format.equals("gradescope") ? PlatformSchemas.GRADESCOPE : PlatformSchemas.PRAIRIELEARN;
    }

    static void assertValid(String format, JsonNode results) {
        String v = PlatformSchemas.violations(schema(format), results.toString());
        assertNull(v, format + ": " + v + "\n" + results);
    }

    @Test
    void gradescopeResultsOfOneSubmission() {
        String body = """
                {"problem": %s, "questions": [{"name": "u", "points": 2}, "W", "b"],
                 "answers": {"u": %s, "b": [1, 2, 3], "z": [1.0, -2.0, 0.5]}}""".formatted(GradeApiTest.RUNNING,
                GradeApiTest.json(QuestionsApiTest.RIGHT.get("u")));
        String text = api().contentType(ContentType.JSON).queryParam("format", "gradescope").body(body).when().post("/v1/grade")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("score", equalTo(2.0))
                .body("output", equalTo("2 of 4 points; 1 of 3 correct."))
                .body("tests.name", contains("u", "W", "b", "z"))
                .body("tests.score", contains(2.0, 0.0, 0.0, 0.0))
                .body("tests.max_score", contains(2.0, 1.0, 1.0, 0.0))
                .body("tests.status", contains("passed", "failed", "failed", "failed"))
                .body("tests[0].output", equalTo("correct"))
                .body("tests[1].output", equalTo("missing: Not answered: this question asks for ∂J/∂W."))
                .body("tests[3].output", equalTo("Not asked, not scored. missing_activation_derivative: Your answer is what the chain gives"
                        + " with the factor f'(z) left out: on the way down, ∂J/∂h must be multiplied entry by entry by f'(z) to give δ = ∂J/∂z."))
                .extract().asString();
        assertValid("gradescope", Problems.json(text));
    }

    @Test
    void prairieLearnResultsOfOneSubmission() {
        String body = """
                {"problem": %s, "questions": [{"name": "u", "points": 2}, "W", "b"], "answers": {"u": %s, "b": [1, 2, 3]}}"""
                .formatted(GradeApiTest.RUNNING, GradeApiTest.json(QuestionsApiTest.RIGHT.get("u")));
        String text = api().contentType(ContentType.JSON).queryParam("format", "prairielearn").body(body).when().post("/v1/grade")
                .then().statusCode(200)
                .body("gradable", equalTo(true))
                .body("score", equalTo(0.5))
                .body("message", equalTo("2 of 4 points; 1 of 3 correct."))
                .body("tests.name", contains("u", "W", "b"))
                .body("tests.points", contains(2.0, 0.0, 0.0))
                .body("tests.max_points", contains(2.0, 1.0, 1.0))
                .extract().asString();
        assertValid("prairielearn", Problems.json(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gradescope", "prairielearn"})
    void aBatchAnswersOneResultsObjectPerSubmission(String format) {
        String text = api().contentType(ContentType.JSON).queryParam("format", format).body(CAROL).when().post("/v1/grade/batch")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("submissions.id", contains("alice", "carol", "dave"))
                .extract().asString();
        JsonNode subs = Problems.json(text).get("submissions");
        double[] expectedScore = format.equals("gradescope") ? new double[] {2, 3, 0} : new double[] {0.5, 0.75, 0};
        for (int i = 0; i < 3; i++) {
            JsonNode results = subs.get(i).get("results");
            assertValid(format, results);
            assertEquals(expectedScore[i], results.get("score").doubleValue(), 1e-15, subs.get(i).get("id").asString());
        }
        // a platform's format is JSON: asked for above JSON, CSV is not acceptable; ranked below it, JSON is the answer
        api().contentType(ContentType.JSON).accept("text/csv, application/json;q=0.5").queryParam("format", format).body(CAROL)
                .when().post("/v1/grade/batch").then().statusCode(406).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("/problems/not-acceptable"));
        api().contentType(ContentType.JSON).accept("text/csv;q=0.5, application/json").queryParam("format", format).body(CAROL)
                .when().post("/v1/grade/batch").then().statusCode(200).contentType(ContentType.JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gradescope", "prairielearn"})
    void withoutQuestionsEachAnswerIsATestWorthOne(String format) {
        String text = api().contentType(ContentType.JSON).queryParam("format", format)
                .body(GradeApiTest.request(GradeApiTest.RUNNING, Map.of("b", "[1, 2, 3]"), "")).when().post("/v1/grade")
                .then().statusCode(200).extract().asString();
        JsonNode results = Problems.json(text);
        assertValid(format, results);
        assertEquals(1.0, results.get("tests").get(0).get(format.equals("gradescope") ? "max_score" : "max_points").doubleValue());
    }

    @Test
    void theSchemasRefuseWhatThePlatformsWouldNot() {
        // the schema tests can fail: each of these breaks the platform's documented format
        assertNotNull(PlatformSchemas.violations(PlatformSchemas.GRADESCOPE, "{\"tests\": [{\"name\": \"W\", \"status\": \"partial\", \"score\": 1}]}"));
        assertNotNull(PlatformSchemas.violations(PlatformSchemas.GRADESCOPE, "{\"tests\": [{\"name\": \"W\"}]}"), "no score anywhere");
        assertNotNull(PlatformSchemas.violations(PlatformSchemas.GRADESCOPE, "{\"score\": 1, \"max_points\": 2}"));
        assertNotNull(PlatformSchemas.violations(PlatformSchemas.PRAIRIELEARN, "{\"gradable\": true, \"score\": 1.5}"));
        assertNotNull(PlatformSchemas.violations(PlatformSchemas.PRAIRIELEARN, "{\"gradable\": true}"), "a gradable result needs a score");
        assertNotNull(PlatformSchemas.violations(PlatformSchemas.PRAIRIELEARN, "{\"score\": 1, \"tests\": [{\"name\": \"W\", \"max_score\": 1}]}"));
        assertNull(PlatformSchemas.violations(PlatformSchemas.PRAIRIELEARN, "{\"gradable\": false, \"format_errors\": [\"bad\"]}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gradescope", "prairielearn"})
    void anUnknownFormatIs400(String format) {
        raw().contentType(ContentType.JSON).queryParam("format", format + "x")
                .body(GradeApiTest.request(GradeApiTest.RUNNING, Map.of(), "")).when().post("/v1/grade")
                .then().statusCode(400).body("errors[0].path", equalTo("format"));
    }

    // ---- nothing to read an expected value from ----

    /** Every crafted answer (each diagnosis) of the running example and the softmax network, as one batch. */
    static String craftedBatch(boolean running, boolean reveal) {
        List<String> subs = new ArrayList<>();
        GradeApiTest.crafted().map(Arguments::get).filter(args -> args[0].equals(running ? "running" : "softmax")).forEach(args -> subs.add(
                "{\"id\": \"c" + subs.size() + "\", \"answers\": " + GradeApiTest.answers(Map.of((String) args[1], (String) args[2])) + "}"));
        subs.add("{\"id\": \"none\", \"answers\": {}}");
        Gradients g = running ? GradeApiTest.RUNNING_EXPECTED : GradeApiTest.SOFTMAX_EXPECTED;
        // every gradient and forward value asked, so every one is missing somewhere
        List<String> questions = new ArrayList<>();
        g.gradients().keySet().forEach(n -> questions.add("{\"name\": \"" + n + "\", \"partial\": \"per_entry\"}"));
        g.forward().keySet().forEach(n -> questions.add("\"forward." + n + "\""));
        return "{\"problem\": " + (running ? GradeApiTest.RUNNING : GradeApiTest.SOFTMAX) + ", \"reveal\": " + reveal
                + ", \"carry_forward\": true, \"questions\": [" + String.join(", ", questions) + "], \"submissions\": ["
                + String.join(", ", subs) + "]}";
    }

    static Set<String> leaks(String text, Gradients g) {
        Set<String> leaks = new LinkedHashSet<>();
        for (Map<String, Tensor> section : List.of(g.gradients(), g.forward())) {
            for (Tensor t : section.values()) {
                for (double v : t.toArray()) {
                    GradeApiTest.renderings(v).stream().filter(text::contains).forEach(leaks::add);
                }
            }
        }
        return leaks;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gradescope", "prairielearn"})
    void withoutRevealNoExpectedNumberIsInEitherFormat(String format) {
        for (boolean running : List.of(true, false)) {
            Gradients g = running ? GradeApiTest.RUNNING_EXPECTED : GradeApiTest.SOFTMAX_EXPECTED;
            String text = api().contentType(ContentType.JSON).queryParam("format", format).body(craftedBatch(running, false))
                    .when().post("/v1/grade/batch").then().statusCode(200).extract().asString();
            for (String code : List.of("correct", "transposed", "sign", "scaled", "missing_activation_derivative", "partial",
                    "unknown_name", "wrong_shape", "invalid", "wrong", "missing")) {
                assertTrue(text.contains(code + ":") || text.contains("\"" + code + "\""), format + " covers " + code);
            }
            assertFalse(text.contains("Expected"), "no expected value without reveal");
            Set<String> found = leaks(text, g);
            assertTrue(found.isEmpty(), format + ": the results show expected values " + found + ": " + text);
            for (JsonNode s : Problems.json(text).get("submissions")) {
                assertValid(format, s.get("results"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gradescope", "prairielearn"})
    void theLeakScanSeesARevealedValue(String format) {
        String text = api().contentType(ContentType.JSON).queryParam("format", format).body(craftedBatch(true, true))
                .when().post("/v1/grade/batch").then().statusCode(200).extract().asString();
        assertTrue(text.contains("Expected: "));
        assertFalse(leaks(text, GradeApiTest.RUNNING_EXPECTED).isEmpty(), text);
        for (JsonNode s : Problems.json(text).get("submissions")) {
            assertValid(format, s.get("results"));
        }
    }
}
