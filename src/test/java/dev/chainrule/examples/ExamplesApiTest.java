package dev.chainrule.examples;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.ApiTest;
import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Golden;
import dev.chainrule.network.Problem;
import dev.chainrule.config.Limits;
import io.restassured.http.ContentType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** GET /v1/examples and every example posted back to /v1/gradients as it is. */
class ExamplesApiTest extends ApiTest {

    @Test
    void listsTheExamples() {
        api().when().get("/v1/examples").then().statusCode(200)
                .body("examples.id", equalTo(List.of("cs224n-lecture3", "cs224n-max-margin", "softmax-classifier", "xor", "deep-relu",
                        "cs224n-graph", "cs231n-sigmoid-circuit", "attention-head", "cs224n-window-classifier", "cs231n-svm-vectorized",
                        "batch-norm-by-hand", "conv-relu-maxpool")))
                .body("examples.href", hasItems("/v1/examples/xor"))
                .body("examples.find { it.id == 'xor' }.endpoint", equalTo("/v1/gradients"))
                .body("examples.find { it.id == 'cs224n-graph' }.endpoint", equalTo("/v1/graph"))
                .body("examples.find { it.id == 'xor' }.train.steps", equalTo(1000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cs224n-lecture3", "cs224n-max-margin", "softmax-classifier", "xor", "deep-relu"})
    void everyExamplePostsBackAndAnswersWhatTheEngineComputes(String id) {
        String body = api().when().get("/v1/examples/" + id).then().statusCode(200).contentType(ContentType.JSON)
                .extract().asString();
        String answer = api().contentType(ContentType.JSON).body(body).when().post("/v1/gradients")
                .then().statusCode(200).extract().asString();
        Problem problem = new ProblemReader(Limits.defaults()).read(Golden.json().readTree(body), "").problem();
        JsonNode expected = Golden.json().valueToTree(dev.chainrule.network.TensorJsonAccess.plain(new GradientEngine().compute(problem)));
        JsonNode actual = Golden.json().readTree(answer);
        Golden.assertSection("forward", expected.get("forward"), actual.get("forward"));
        Golden.assertSection("gradients", expected.get("gradients"), actual.get("gradients"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cs224n-graph", "cs231n-sigmoid-circuit", "attention-head", "cs224n-window-classifier",
        "cs231n-svm-vectorized", "batch-norm-by-hand", "conv-relu-maxpool"})
    void everyGraphExamplePostsBackToTheGraphEndpoint(String id) {
        String body = api().when().get("/v1/examples/" + id).then().statusCode(200).extract().asString();
        api().contentType(ContentType.JSON).body(body).when().post("/v1/graph").then().statusCode(200)
                .body("steps.size()", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void theGraphExamplesAnswerTheLecturesNumbers() {
        String lecture = api().when().get("/v1/examples/cs224n-graph").then().extract().asString();
        api().contentType(ContentType.JSON).body(lecture).when().post("/v1/graph").then().statusCode(200)
                .body("forward.f", equalTo(6.0)).body("gradients.y", equalTo(5.0));
        String circuit = api().when().get("/v1/examples/cs231n-sigmoid-circuit").then().extract().asString();
        api().contentType(ContentType.JSON).body(circuit).when().post("/v1/graph").then().statusCode(200)
                .body("forward.f", org.hamcrest.Matchers.closeTo(0.7311, 1e-4))
                .body("gradients.w0", org.hamcrest.Matchers.closeTo(-0.1966, 1e-4))
                .body("gradients.x1", org.hamcrest.Matchers.closeTo(-0.5898, 1e-4));
        String attention = api().when().get("/v1/examples/attention-head").then().extract().asString();
        api().contentType(ContentType.JSON).body(attention).when().post("/v1/graph").then().statusCode(200)
                .body("branches.name", hasItems("q"));
    }

    @Test
    void theRunningExampleIsTheContracts() {
        String body = api().when().get("/v1/examples/cs224n-lecture3").then().extract().asString();
        assertEquals(Golden.json().readTree(dev.chainrule.gradients.ExamplesAccess.RUNNING_EXAMPLE), Golden.json().readTree(body));
    }

    @Test
    void anUnknownExampleIs404() {
        api().when().get("/v1/examples/nope").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("/problems/not-found"));
    }
}
