package dev.chainrule.gradients;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.chainrule.ApiTest;
import dev.chainrule.network.Golden;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** POST /v1/gradients against the running server, every exchange checked against openapi.yaml. */
class GradientsApiTest extends ApiTest {

    static List<Path> cases() {
        return Golden.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyGoldenCaseOverHttp(Path file) {
        JsonNode golden = Golden.read(file);
        String body = api().contentType(ContentType.JSON).body(golden.get("request").toString())
                .when().post("/v1/gradients")
                .then().log().ifValidationFails().statusCode(200).contentType(ContentType.JSON)
                .extract().asString();
        JsonNode actual = Golden.json().readTree(body);
        Golden.assertSection("forward", golden.get("response").get("forward"), actual.get("forward"));
        Golden.assertSection("gradients", golden.get("response").get("gradients"), actual.get("gradients"));
    }

    @Test
    void theRunningExampleAnswersForwardGradientsAndSteps() {
        api().contentType(ContentType.JSON).body(Examples.RUNNING_EXAMPLE)
                .when().post("/v1/gradients")
                .then().statusCode(200)
                .body("forward.s", closeTo(0.5866085718467474, 1e-12))
                .body("gradients.z[1]", closeTo(-0.4805214914830583, 1e-12))
                .body("steps[0].gradient", equalTo("s"))
                .body("steps.find { it.gradient == 'z' }.formula", equalTo("∂J/∂z = ∂J/∂h · diag(f'(z))"))
                .body("$", not(hasKey("jacobian_form")));
    }
}
