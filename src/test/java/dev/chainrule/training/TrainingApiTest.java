package dev.chainrule.training;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.ApiTest;
import dev.chainrule.network.Golden;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** POST /v1/train. */
class TrainingApiTest extends ApiTest {

    private String xor(String extra) {
        ObjectNode body = (ObjectNode) Golden.json().readTree(api().when().get("/v1/examples/xor").then().statusCode(200)
                .extract().asString());
        ObjectNode more = (ObjectNode) Golden.json().readTree(extra);
        body.setAll(more);
        return body.toString();
    }

    private JsonNode train(String body) {
        return Golden.json().readTree(api().contentType(ContentType.JSON).body(body).when().post("/v1/train")
                .then().statusCode(200).extract().asString());
    }

    @Test
    void xorLearnsFromTheExamplesStartingWeights() {
        // the settings the examples list suggests for xor
        JsonNode suggested = Golden.json().readTree(api().when().get("/v1/examples").then().extract().asString())
                .get("examples").get(3).get("train");
        JsonNode r = train(xor(suggested.toString()));
        JsonNode curve = r.get("loss_curve");
        assertEquals(1001, curve.size());
        assertTrue(curve.get(0).doubleValue() > 0.5, "starts unlearnt: " + curve.get(0));
        assertTrue(r.get("final_loss").doubleValue() < 0.01, "final loss " + r.get("final_loss"));
        assertEquals(curve.get(1000).doubleValue(), r.get("final_loss").doubleValue());
        // the trained network classifies the four points: logits negative, positive, positive, negative
        JsonNode out = r.get("forward").get("h2");
        assertTrue(out.get(0).get(0).doubleValue() < 0 && out.get(1).get(0).doubleValue() > 0
                && out.get(2).get(0).doubleValue() > 0 && out.get(3).get(0).doubleValue() < 0, out.toString());
        assertEquals(2, r.get("parameters").get("W1").size());
        // the trained network posts back to /v1/gradients and gives the final loss
        ObjectNode again = (ObjectNode) Golden.json().readTree(xor("{}"));
        again.set("network", r.get("network"));
        double j = Golden.json().readTree(api().contentType(ContentType.JSON).body(again.toString())
                .when().post("/v1/gradients").then().statusCode(200).extract().asString()).get("forward").get("J").doubleValue();
        assertEquals(r.get("final_loss").doubleValue(), j, 0.0);
    }

    @Test
    void trainingIsDeterministic() {
        String full = xor("{\"learning_rate\": 0.5, \"steps\": 50}");
        assertEquals(train(full), train(full));
        String mini = xor("{\"learning_rate\": 0.5, \"steps\": 50, \"batch_size\": 2, \"seed\": 42}");
        JsonNode a = train(mini);
        assertEquals(a, train(mini));
        assertEquals(2, a.get("batch_size").intValue());
        JsonNode other = train(xor("{\"learning_rate\": 0.5, \"steps\": 50, \"batch_size\": 2, \"seed\": 7}"));
        assertNotEquals(a.get("loss_curve"), other.get("loss_curve"));
    }

    @Test
    void digitsRoundsTheTraining() {
        JsonNode r = Golden.json().readTree(api().contentType(ContentType.JSON).queryParam("digits", 3)
                .body(xor("{\"learning_rate\": 1, \"steps\": 5}")).when().post("/v1/train")
                .then().statusCode(200).extract().asString());
        double v = r.get("parameters").get("W1").get(0).get(0).doubleValue();
        assertEquals(Double.parseDouble(String.format("%.3g", v)), v);
    }

    @Test
    void stepsAreBounded() {
        api().contentType(ContentType.JSON).body(xor("{\"learning_rate\": 1, \"steps\": 10000000}"))
                .when().post("/v1/train").then().statusCode(422).body("limit", equalTo("chainrule.training.max-steps"));
    }

    @Test
    void missingTrainingFieldsAre400WithTheirPaths() {
        raw().contentType(ContentType.JSON).body(xor("{\"steps\": 0}"))
                .when().post("/v1/train").then().statusCode(400)
                .body("errors.path", equalTo(java.util.List.of("learning_rate", "steps")));
    }
}
