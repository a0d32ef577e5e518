package dev.chainrule.examples;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.ApiTest;
import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Golden;
import dev.chainrule.network.Problem;
import dev.chainrule.system.Limits;
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
                .body("examples.id", equalTo(List.of("cs224n-lecture3", "cs224n-max-margin", "softmax-classifier", "xor", "deep-relu")))
                .body("examples.href", hasItems("/v1/examples/xor"))
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
