package dev.chainrule.gradients;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.chainrule.ApiTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * No 200 holds a non-finite number, whatever the options; a value that is finite only until an option rounds it or
 * steps past it is a 422 naming it (a regression test of issue 16).
 */
class NonFiniteAnswersApiTest extends ApiTest {

    /** z = h = s = J = the largest double: finite all the way. */
    private static final String LARGEST = """
            {"network": {"layers": [{"type": "dense", "W": [[1.7976931348623157e308]], "b": [0]},
                                    {"type": "score", "u": [1]}]},
             "x": [1], "loss": {"type": "score"}, "options": {"steps": false}}""";

    @Test
    void roundingTheLargestDoubleToOneDigitIsA422NamingIt() {
        api().contentType(ContentType.JSON).body(LARGEST)
                .when().post("/v1/gradients?digits=1")
                .then().log().ifValidationFails().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("/problems/non-finite"))
                .body("errors[0].path", equalTo("forward.z"));
    }

    @Test
    void theSameWithoutRoundingIsAnswered() {
        api().contentType(ContentType.JSON).body(LARGEST)
                .when().post("/v1/gradients")
                .then().log().ifValidationFails().statusCode(200)
                .body("forward.z[0]", equalTo(1.7976931348623157e308));
    }

    @Test
    void anSgdStepThatOverflowsIsA422NamingTheParameter() {
        String body = """
                {"network": {"layers": [{"type": "dense", "W": [[2.0]], "b": [0]}]},
                 "x": [1], "loss": {"type": "squared_error", "y": [0]},
                 "options": {"steps": false, "sgd": {"learning_rate": 1e308}}}""";
        api().contentType(ContentType.JSON).body(body)
                .when().post("/v1/gradients")
                .then().log().ifValidationFails().statusCode(422)
                .body("type", equalTo("/problems/non-finite"))
                .body("errors[0].path", equalTo("updated.W"));
    }

    @Test
    void anSgdStepThatOverflowsIsA422AsTextToo() {
        String body = """
                {"network": {"layers": [{"type": "dense", "W": [[2.0]], "b": [0]}]},
                 "x": [1], "loss": {"type": "squared_error", "y": [0]},
                 "options": {"sgd": {"learning_rate": 1e308}, "latex": true}}""";
        raw().contentType(ContentType.JSON).accept("text/plain").body(body)
                .when().post("/v1/gradients")
                .then().log().ifValidationFails().statusCode(422)
                .body(containsString("updated.W"));
    }
}
