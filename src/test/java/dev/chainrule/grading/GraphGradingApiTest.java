package dev.chainrule.grading;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.chainrule.ApiTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Grading a computational graph's problem: answers keyed by node names, missing_branch, carried forward. */
class GraphGradingApiTest extends ApiTest {

    private static final String LECTURE = "{\"expression\": \"a = x + y\\nb = max(y, z)\\nf = a * b\", \"values\": {\"x\": 1, \"y\": 2, \"z\": 0}}";

    private io.restassured.response.ValidatableResponse grade(String answers, String settings) {
        return api().contentType(ContentType.JSON)
                .body("{\"problem\": " + LECTURE + ", \"answers\": " + answers + settings + "}")
                .when().post("/v1/grade").then().statusCode(200);
    }

    @Test
    void answersAreKeyedByNodeNames() {
        grade("{\"y\": 5, \"x\": 2, \"z\": 0, \"forward.a\": 3, \"b\": 3}", "")
                .body("results.y.diagnosis", equalTo("correct"))
                .body("results.x.diagnosis", equalTo("correct"))
                .body("results.z.diagnosis", equalTo("correct"))
                .body("results['forward.a'].diagnosis", equalTo("correct"))
                .body("results.b.diagnosis", equalTo("correct"))
                .body("score", equalTo(1.0));
    }

    @Test
    void forgettingOneOfYsTwoBranchesIsMissingBranchNamingIt() {
        grade("{\"y\": 2}", "")
                .body("results.y.diagnosis", equalTo("missing_branch"))
                .body("results.y.feedback", containsString("the branch through b is left out"));
        grade("{\"y\": 3}", "")
                .body("results.y.diagnosis", equalTo("missing_branch"))
                .body("results.y.feedback", containsString("the branch through a is left out"));
    }

    @Test
    void aWrongUpstreamCarriesForward() {
        // ∂f/∂a is b = 2; a student who says 4 then gets ∂f/∂x = 4 · 1 right from their own upstream
        grade("{\"a\": 4, \"x\": 4}", ", \"carry_forward\": true")
                .body("results.x.diagnosis", equalTo("carried_forward"))
                .body("results.x.feedback", containsString("∂f/∂a"));
    }

    @Test
    void aGradientWrittenOutIsGradedAsTheNodeUnderTheStudentsKey() {
        grade("{\"∂f/∂y\": 5, \"df/dx\": 2, \"d f / d z\": 0, \"gradients.b\": 3, \"∂J/∂a\": 2}", "")
                .body("results['∂f/∂y'].diagnosis", equalTo("correct"))
                .body("results['∂f/∂y'].name", equalTo("y"))
                .body("results['df/dx'].name", equalTo("x"))
                .body("results['d f / d z'].diagnosis", equalTo("correct"))
                .body("results['gradients.b'].diagnosis", equalTo("correct"))
                .body("results['∂J/∂a'].diagnosis", equalTo("unknown_name"))
                .body("results['∂J/∂a'].feedback", containsString("(did you mean \"a\"?)"))
                .body("score", equalTo(0.8));
        // a class that writes y both ways is summed under y, once per submission
        api().contentType(ContentType.JSON).body("{\"problem\": " + LECTURE + ", \"submissions\": ["
                        + "{\"id\": \"a\", \"answers\": {\"y\": 5}}, {\"id\": \"b\", \"answers\": {\"df/dy\": 2}},"
                        + " {\"id\": \"c\", \"answers\": {\"∂f/∂y\": 5, \"y\": 5}}]}")
                .when().post("/v1/grade/batch").then().statusCode(200)
                .body("summary.keySet()", equalTo(java.util.Set.of("y")))
                .body("summary.y.counts.correct", equalTo(2))
                .body("summary.y.counts.missing_branch", equalTo(1))
                .body("submissions[1].results['df/dy'].name", equalTo("y"));
    }

    @Test
    void anUnknownNameListsTheGraphsNames() {
        grade("{\"w\": 1}", "")
                .body("results.w.diagnosis", equalTo("unknown_name"))
                .body("results.w.feedback", containsString("∂f/∂name"));
    }

    @Test
    void aGraphExamplesVariantIsGradedBySeed() {
        // cs224n-graph's variant 17 is x = 3, y = 2, z = 0: ∂f/∂y = b + a = 2 + 5
        api().contentType(ContentType.JSON)
                .body("{\"problem\": {\"example\": \"cs224n-graph\", \"seed\": 17}, \"answers\": {\"y\": 7, \"x\": 2}}")
                .when().post("/v1/grade").then().statusCode(200)
                .body("results.y.diagnosis", equalTo("correct"))
                .body("results.x.diagnosis", equalTo("correct"));
    }

    @Test
    void aBadGraphProblemIs400UnderProblem() {
        api().contentType(ContentType.JSON)
                .body("{\"problem\": {\"expression\": \"f = x +\", \"values\": {\"x\": 1}}, \"answers\": {\"x\": 1}}")
                .when().post("/v1/grade").then().statusCode(400)
                .body("errors[0].path", equalTo("problem.expression"));
    }
}
