package dev.chainrule.gradients;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import dev.chainrule.ApiTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/**
 * Every loss, batches with both reductions, Jacobian form and steps, over HTTP and through the OpenAPI validator.
 * Expected numbers are worked out by hand in the comments.
 */
class EveryLossApiTest extends ApiTest {

    /** A 2-2 identity network (z = Wx + b, W = I, b = 0): the output is the input, so each loss is easy to check. */
    private static String identityNet(String input, String loss) {
        return """
                {"network": {"layers": [{"type": "dense", "W": [[1, 0], [0, 1]], "b": [0, 0]}]},
                 %s, "loss": %s}
                """.formatted(input, loss);
    }

    private ValidatableResponse post(String body) {
        return api().contentType(ContentType.JSON).body(body).when().post("/v1/gradients").then().statusCode(200);
    }

    @Test
    void scoreLoss() {
        post(Examples.RUNNING_EXAMPLE)
                .body("forward.J", closeTo(0.5866085718467474, 1e-15))
                .body("gradients.s", equalTo(1.0));
    }

    @Test
    void squaredError() {
        // ŷ = (1, 2), y = (0, 4): J = ½(1 + 4) = 2.5, ∂J/∂ŷ = (1, −2)
        post(identityNet("\"x\": [1, 2]", "{\"type\": \"squared_error\", \"y\": [0, 4]}"))
                .body("forward.J", closeTo(2.5, 1e-15))
                .body("gradients.h", contains(1.0, -2.0))
                .body("gradients.W", contains(contains(1.0, 2.0), contains(-2.0, -4.0)));
    }

    @Test
    void softmaxCrossEntropyWithAClassIndexAndWithAProbabilityVector() {
        // ŷ = (0, 0): p = (½, ½), J = log 2, ∂J/∂ŷ = p − y
        post(identityNet("\"x\": [0, 0]", "{\"type\": \"softmax_cross_entropy\", \"y\": 1}"))
                .body("forward.J", closeTo(Math.log(2), 1e-15))
                .body("gradients.h", contains(0.5, -0.5));
        post(identityNet("\"x\": [0, 0]", "{\"type\": \"softmax_cross_entropy\", \"y\": [0.25, 0.75]}"))
                .body("forward.J", closeTo(Math.log(2), 1e-15))
                .body("gradients.h", contains(0.25, -0.25));
    }

    @Test
    void binaryCrossEntropy() {
        // ŷ = 0: p = ½, J = log 2, ∂J/∂ŷ = ½ − y
        post("""
                {"network": {"layers": [{"type": "dense", "W": [[1, 1]]}]}, "x": [0.5, -0.5],
                 "loss": {"type": "binary_cross_entropy", "y": 1}}
                """)
                .body("forward.J", closeTo(Math.log(2), 1e-15))
                .body("gradients.h", contains(-0.5))
                .body("gradients", not(hasKey("b")));
    }

    @Test
    void maxMarginNamesTheCorruptPassWithC() {
        post(Examples.RUNNING_EXAMPLE.replace("\"loss\": {\"type\": \"score\"}",
                "\"loss\": {\"type\": \"max_margin\", \"x_c\": [1, 0, -1, 0, 2]}"))
                .body("forward.J", closeTo(0.680489258782893, 1e-15))
                .body("gradients.s", equalTo(-1.0))
                .body("gradients.s_c", equalTo(1.0))
                .body("forward", hasKey("z_c"))
                .body("gradients", hasKey("h_c"));
    }

    @Test
    void batchWithMeanAndWithSum() {
        // examples ŷ = (1, 0) and (0, 1), targets 0: Jₖ = ½, mean J = ½, sum J = 1
        String mean = """
                {"network": {"layers": [{"type": "dense", "W": [[1, 0], [0, 1]]}]},
                 "batch": [[1, 0], [0, 1]], "loss": {"type": "squared_error", "y": [[0, 0], [0, 0]]}}
                """;
        post(mean)
                .body("forward.J", closeTo(0.5, 1e-15))
                .body("forward.h", hasSize(2))
                .body("gradients.h", contains(contains(0.5, 0.0), contains(0.0, 0.5)))
                .body("gradients.W", contains(contains(0.5, 0.0), contains(0.0, 0.5)));
        post(mean.replace("\"loss\"", "\"reduction\": \"sum\", \"loss\""))
                .body("forward.J", closeTo(1.0, 1e-15))
                .body("gradients.h", contains(contains(1.0, 0.0), contains(0.0, 1.0)))
                .body("gradients.W", contains(contains(1.0, 0.0), contains(0.0, 1.0)));
    }

    @Test
    void jacobianFormOnRequest() {
        post(Examples.RUNNING_EXAMPLE.replace("\"loss\"", "\"options\": {\"jacobian_form\": true}, \"loss\""))
                .body("jacobian_form.b", hasSize(1))
                .body("jacobian_form.b[0]", hasSize(3))
                .body("jacobian_form.W[0]", hasSize(15))
                .body("jacobian_form.x[0]", hasSize(5))
                .body("jacobian_form.J", equalTo(1.0));
    }

    @Test
    void stepsByDefaultAndNotWhenTurnedOff() {
        post(Examples.RUNNING_EXAMPLE)
                .body("steps.gradient", contains("s", "h", "u", "z", "W", "b", "x"))
                .body("steps.find { it.gradient == 'z' }.local.value", hasSize(3))
                .body("steps.find { it.gradient == 'x' }.local.name", equalTo("∂z/∂x = W"));
        post(Examples.RUNNING_EXAMPLE.replace("\"loss\"", "\"options\": {\"steps\": false}, \"loss\""))
                .body("$", not(hasKey("steps")));
    }

    @Test
    void theServiceServesItsOpenApiDocument() {
        raw().when().get("/openapi.yaml").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("/v1/gradients"));
    }
}
