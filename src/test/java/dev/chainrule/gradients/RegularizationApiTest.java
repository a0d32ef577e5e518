package dev.chainrule.gradients;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.chainrule.ApiTest;
import dev.chainrule.network.Golden;
import io.restassured.http.ContentType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code "regularization": {"l2": λ}} over HTTP: /v1/gradients, /v1/train and /v1/grade, checked against openapi.yaml. */
class RegularizationApiTest extends ApiTest {

    /** The running example with λ = 0.01: R = 0.01 (‖W‖² + ‖u‖²) = 0.01 (1.155 + 5.25) = 0.06405. */
    private static String regularized() {
        return Golden.request("cs224n-score").replaceFirst("\\{", "{\"regularization\": {\"l2\": 0.01}, ");
    }

    @Test
    void forwardShowsRAndJIncludesIt() {
        api().contentType(ContentType.JSON).body(regularized()).when().post("/v1/gradients").then().statusCode(200)
                .body("forward.R", closeTo(0.06405, 1e-12))
                .body("forward.J", closeTo(0.5866085718467474 + 0.06405, 1e-12))
                .body("gradients.W[0][0]", closeTo(0.0036706662757992974 + 2 * 0.01 * 0.1, 1e-12))
                .body("gradients.b[0]", closeTo(0.0036706662757992974, 1e-12))
                .body("steps.formula", hasItem("∂J/∂W = ∂J/∂W|data + 2λW (λ = 0.01)"));
    }

    @Test
    void theTextWritesRAndThePenaltyStep() {
        api().contentType(ContentType.JSON).accept("text/plain").body(regularized()).when().post("/v1/gradients")
                .then().statusCode(200)
                .body(containsString("R = 0.01·(‖W‖² + ‖u‖²) = 0.06405"))
                .body(containsString("J = s + R = 0.650659"))
                .body(containsString("(a sum, not a product: W feeds both its layer and R"));
    }

    @Test
    void aBatchWithJacobianFormKeepsRAsOneNumber() {
        String body = Golden.request("batch-mean-squared-error").replaceFirst("\\{",
                "{\"regularization\": {\"l2\": 0.01}, \"options\": {\"jacobian_form\": true}, ");
        api().contentType(ContentType.JSON).body(body).when().post("/v1/gradients").then().statusCode(200)
                .body("jacobian_form.R", equalTo(1.0)).body("jacobian_form.J", equalTo(1.0));
    }

    @Test
    void maxMarginsPenaltyStepIsNotLabelledByWindow() {
        String body = Golden.request("cs224n-max-margin").replaceFirst("\\{", "{\"regularization\": {\"l2\": 0.01}, ");
        api().contentType(ContentType.JSON).accept("text/plain").body(body).when().post("/v1/gradients")
                .then().statusCode(200)
                .body(containsString("local       ∂R/∂u = 2λu = ["))
                .body(org.hamcrest.Matchers.not(containsString("∂R/∂u = 2λu = [0]")));
    }

    @Test
    void aNegativeLambdaIs400NamingTheField() {
        raw().contentType(ContentType.JSON).body(regularized().replace("0.01", "-0.01")).when().post("/v1/gradients")
                .then().statusCode(400).body("errors[0].path", equalTo("regularization.l2"));
    }

    @Test
    void trainingMinimisesTheRegularizedLoss() {
        String body = Golden.request("cs224n-score").replaceFirst("\\{",
                "{\"regularization\": {\"l2\": 0.5}, \"learning_rate\": 0.1, \"steps\": 50, ");
        api().contentType(ContentType.JSON).body(body).when().post("/v1/train").then().statusCode(200)
                .body("final_loss", org.hamcrest.Matchers.lessThan(0.5866085718467474 + 0.5 * 6.405));
    }

    @Test
    void theGraderKnowsTheMissingPenaltyBranch() {
        // ∂J/∂u without its 2λu: exactly h, the network's share alone
        api().contentType(ContentType.JSON)
                .body("{\"problem\": " + regularized() + ", \"answers\": {\"u\": [0.9963157601005641, 0.401312339887548, 0.7858349830425586]}}")
                .when().post("/v1/grade").then().statusCode(200)
                .body("results.u.diagnosis", equalTo("missing_branch"))
                .body("results.u.feedback", containsString("the branch through R is left out"));
    }

    @Test
    void everyWeightListsItsBranches() {
        api().contentType(ContentType.JSON).body(regularized()).when().post("/v1/gradients").then().statusCode(200)
                .body("steps.gradient", org.hamcrest.Matchers.equalTo(List.of("s", "h", "u", "u", "z", "W", "W", "b", "x")));
    }
}
