package dev.chainrule.variants;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.chainrule.ApiTest;
import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Gradients;
import dev.chainrule.engine.Tensor;
import dev.chainrule.config.Limits;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Variants over HTTP: pinned bytes, templates, and grading a variant by its seed. */
class VariantsApiTest extends ApiTest {

    static final GradientEngine ENGINE = new GradientEngine();

    static Gradients solve(String body) {
        return ENGINE.compute(new ProblemReader(Limits.defaults()).read(VariantsTest.JSON.readTree(body), "").problem(),
                new GradientEngine.Options(false, false));
    }

    static String json(Tensor t) {
        return VariantsTest.JSON.writeValueAsString(t.rank() == 0 ? (Object) t.item() : nested(t));
    }

    private static Object nested(Tensor t) {
        if (t.rank() == 1) {
            return t.toArray();
        }
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < t.dim(0); i++) {
            rows.add(nested(t.slice(i)));
        }
        return rows;
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> pinnedVariants() {
        return VariantsTest.pinnedVariants();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("pinnedVariants")
    void theServerAnswersThePinnedBytes(String id, long seed) {
        byte[] body = api().queryParam("seed", seed).when().get("/v1/examples/" + id)
                .then().statusCode(200).contentType(ContentType.JSON).extract().asByteArray();
        assertEquals(VariantsTest.pinned(id, seed), new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cs224n-lecture3", "cs224n-max-margin", "softmax-classifier", "xor", "deep-relu"})
    void aVariantPostsBackToGradients(String id) {
        String a = api().queryParam("seed", 5).when().get("/v1/examples/" + id).then().statusCode(200).extract().asString();
        String b = api().queryParam("seed", 6).when().get("/v1/examples/" + id).then().statusCode(200).extract().asString();
        assertNotEquals(a, b);
        api().contentType(ContentType.JSON).body(a).when().post("/v1/gradients").then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "9007199254740992", "1.5", "seventeen", "99999999999999999999"})
    void aSeedOutOfRangeIs400(String seed) {
        raw().queryParam("seed", seed).when().get("/v1/examples/cs224n-lecture3")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].path", equalTo("seed"));
    }

    @Test
    void anUnknownExampleWithASeedIs404() {
        api().queryParam("seed", 3).when().get("/v1/examples/nope").then().statusCode(404).body("type", equalTo("/problems/not-found"));
    }

    static final String TEMPLATE = """
            {"network": {"layers": [
               {"type": "dense", "W": {"vary": {"min": -1, "max": 1, "step": 0.1, "shape": [3, 5]}},
                "b": {"vary": {"min": -1, "max": 1, "step": 0.5, "shape": [3]}}, "activation": "relu"},
               {"type": "score", "u": {"vary": {"min": -2, "max": 2, "shape": [3], "nonzero": true}}}]},
             "x": {"vary": {"min": -3, "max": 3, "shape": [5]}}, "loss": {"type": "score"}}""";

    @Test
    void aTemplatesVariantIsTheSameForTheSameSeed() {
        String request = "{\"template\": " + TEMPLATE + ", \"seed\": 17}";
        String a = api().contentType(ContentType.JSON).body(request).when().post("/v1/variants").then().statusCode(200).extract().asString();
        String b = api().contentType(ContentType.JSON).body(request).when().post("/v1/variants").then().statusCode(200).extract().asString();
        assertEquals(a, b);
        assertEquals("{\"network\":{\"layers\":[{\"type\":\"dense\",\"W\":[[-0.4,0.9,0.7,0.2,0.6],[-0.7,0.7,0.4,-1.0,-0.2],"
                + "[0.2,-0.8,0.7,0.5,-0.7]],\"b\":[1.0,-0.5,0.5],\"activation\":\"relu\"},{\"type\":\"score\",\"u\":[1,-1,2]}]},"
                + "\"x\":[-2,1,3,-1,-1],\"loss\":{\"type\":\"score\"}}", a, "the variant openapi.yaml and the README show");
        String c = api().contentType(ContentType.JSON).body("{\"template\": " + TEMPLATE + ", \"seed\": 18}").when().post("/v1/variants")
                .then().statusCode(200).extract().asString();
        assertNotEquals(a, c);
        JsonNode v = VariantsTest.JSON.readTree(a);
        assertEquals(3, v.at("/network/layers/0/W").size());
        api().contentType(ContentType.JSON).body(a).when().post("/v1/gradients").then().statusCode(200);
    }

    @Test
    void badVariantRequestsNameTheField() {
        raw().contentType(ContentType.JSON).body("{\"template\": {\"network\": {\"layers\": [{\"type\": \"dense\", \"W\": {\"vary\": {\"max\": 1}}}]},"
                        + " \"x\": [1]}, \"seed\": -2, \"kinks\": true}")
                .when().post("/v1/variants")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.path", hasItem("template.network.layers[0].W.vary.min"))
                .body("errors.path", hasItem("seed"))
                .body("errors.path", hasItem("kinks"));
        // a draw whose shapes do not fit is reported like /v1/gradients would, under template.
        raw().contentType(ContentType.JSON).body("{\"template\": {\"network\": {\"layers\": [{\"type\": \"dense\", \"W\": {\"vary\": {\"min\": 0, \"max\": 1, \"shape\": [2, 3]}}}]},"
                        + " \"x\": [1, 2], \"loss\": {\"type\": \"squared_error\", \"y\": [0, 0]}}, \"seed\": 1}")
                .when().post("/v1/variants")
                .then().statusCode(400)
                .body("errors.path", hasItem("template.network.layers[0].W"));
    }

    // ---- grading by seed ----

    /** Answers to a variant: W and b right, u with its sign flipped, h forward right. */
    static Map<String, String> answersTo(String variant) {
        Gradients g = solve(variant);
        return Map.of("W", json(g.gradients().get("W")), "b", json(g.gradients().get("b")),
                "u", json(g.gradients().get("u").map(v -> -v)), "forward.h", json(g.forward().get("h")));
    }

    static String answers(Map<String, String> a) {
        StringBuilder out = new StringBuilder("{");
        a.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.append(out.length() == 1 ? "" : ", ").append('"').append(e.getKey()).append("\": ").append(e.getValue()));
        return out.append('}').toString();
    }

    @Test
    void gradingBySeedIsGradingTheExpandedProblem() {
        String variant = api().queryParam("seed", 17).when().get("/v1/examples/cs224n-lecture3").then().extract().asString();
        String a = answers(answersTo(variant));
        String bySeed = api().contentType(ContentType.JSON)
                .body("{\"problem\": {\"example\": \"cs224n-lecture3\", \"seed\": 17}, \"reveal\": true, \"answers\": " + a + "}")
                .when().post("/v1/grade").then().statusCode(200)
                .body("results.W.diagnosis", equalTo("correct"))
                .body("results.u.diagnosis", equalTo("sign"))
                .extract().asString();
        String expanded = api().contentType(ContentType.JSON)
                .body("{\"problem\": " + variant + ", \"reveal\": true, \"answers\": " + a + "}")
                .when().post("/v1/grade").then().statusCode(200).extract().asString();
        assertEquals(expanded, bySeed);
        // the same answers against the example itself (no seed) are not right
        api().contentType(ContentType.JSON).body("{\"problem\": {\"example\": \"cs224n-lecture3\"}, \"answers\": " + a + "}")
                .when().post("/v1/grade").then().statusCode(200).body("results.W.diagnosis", org.hamcrest.Matchers.not(equalTo("correct")));
    }

    @Test
    void gradingATemplatesVariantBySeed() {
        String variant = api().contentType(ContentType.JSON).body("{\"template\": " + TEMPLATE + ", \"seed\": 4}").when().post("/v1/variants")
                .then().extract().asString();
        String a = answers(Map.of("W", json(solve(variant).gradients().get("W"))));
        String bySeed = api().contentType(ContentType.JSON)
                .body("{\"problem\": {\"template\": " + TEMPLATE + ", \"seed\": 4}, \"answers\": " + a + "}")
                .when().post("/v1/grade").then().statusCode(200).body("results.W.diagnosis", equalTo("correct")).extract().asString();
        String expanded = api().contentType(ContentType.JSON).body("{\"problem\": " + variant + ", \"answers\": " + a + "}")
                .when().post("/v1/grade").then().statusCode(200).extract().asString();
        assertEquals(expanded, bySeed);
    }

    @Test
    void aClassOfVariantsGradedInOneCall() {
        // each student works their own variant; dave hands in alice's numbers
        List<String> subs = new ArrayList<>();
        String aliceAnswers = null;
        for (String[] student : new String[][] {{"alice", "11"}, {"bob", "12"}, {"carol", "13"}}) {
            String variant = api().queryParam("seed", student[1]).when().get("/v1/examples/cs224n-lecture3").then().extract().asString();
            String a = answers(answersTo(variant));
            aliceAnswers = aliceAnswers == null ? a : aliceAnswers;
            subs.add("{\"id\": \"" + student[0] + "\", \"seed\": " + student[1] + ", \"answers\": " + a + "}");
        }
        subs.add("{\"id\": \"dave\", \"seed\": 14, \"answers\": " + aliceAnswers + "}");
        String body = "{\"problem\": {\"example\": \"cs224n-lecture3\"}, \"questions\": [\"W\", \"b\", \"u\", \"forward.h\"],"
                + " \"submissions\": [" + String.join(", ", subs) + "]}";
        api().contentType(ContentType.JSON).body(body).when().post("/v1/grade/batch")
                .then().statusCode(200)
                .body("submissions.seed", org.hamcrest.Matchers.contains(11, 12, 13, 14))
                .body("submissions[0].points", equalTo(3.0))
                .body("submissions[1].points", equalTo(3.0))
                .body("submissions[2].points", equalTo(3.0))
                .body("submissions[3].results.W.correct", equalTo(false))
                .body("submissions[3].results['forward.h'].correct", equalTo(false));
        api().contentType(ContentType.JSON).queryParam("format", "prairielearn").body(body).when().post("/v1/grade/batch")
                .then().statusCode(200).body("submissions[0].seed", equalTo(11)).body("submissions[0].results.score", equalTo(0.75));
    }

    @Test
    void badSeedsInGradingNameTheField() {
        raw().contentType(ContentType.JSON).body("{\"problem\": {\"example\": \"nope\", \"seed\": 1}, \"answers\": {}}")
                .when().post("/v1/grade").then().statusCode(400).body("errors.path", hasItem("problem.example"));
        raw().contentType(ContentType.JSON).body("{\"problem\": {\"example\": \"xor\", \"seed\": -1, \"sead\": 1}, \"answers\": {}}")
                .when().post("/v1/grade").then().statusCode(400).body("errors.path", hasItem("problem.seed")).body("errors.path", hasItem("problem.sead"));
        raw().contentType(ContentType.JSON).body("{\"problem\": {\"template\": " + TEMPLATE + "}, \"answers\": {}}")
                .when().post("/v1/grade").then().statusCode(400).body("errors.path", hasItem("problem.seed"));
        raw().contentType(ContentType.JSON).body("{\"problem\": {\"template\": " + TEMPLATE + "}, \"submissions\": [{\"id\": \"a\", \"answers\": {}}]}")
                .when().post("/v1/grade/batch").then().statusCode(400).body("errors.path", hasItem("submissions[0].seed"));
        raw().contentType(ContentType.JSON).body("{\"problem\": " + dev.chainrule.gradients.ExamplesAccess.RUNNING_EXAMPLE
                        + ", \"submissions\": [{\"id\": \"a\", \"seed\": 3, \"answers\": {}}]}")
                .when().post("/v1/grade/batch").then().statusCode(400).body("errors.path", hasItem("submissions[0].seed"));
    }
}
