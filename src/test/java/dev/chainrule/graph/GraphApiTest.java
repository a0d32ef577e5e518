package dev.chainrule.graph;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import dev.chainrule.ApiTest;
import dev.chainrule.network.Golden;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** POST /v1/graph against the running server, every exchange checked against openapi.yaml. */
class GraphApiTest extends ApiTest {

    static List<Path> cases() {
        return GraphCases.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyGoldenGraphCaseOverHttp(Path file) {
        JsonNode golden = Golden.read(file);
        String body = api().contentType(ContentType.JSON).body(golden.get("request").toString())
                .when().post("/v1/graph")
                .then().statusCode(200).contentType(ContentType.JSON).extract().asString();
        JsonNode actual = GraphCases.JSON.readTree(body);
        GraphCases.assertSubset("forward", golden.get("response").get("forward"), actual.get("forward"));
        GraphCases.assertSubset("gradients", golden.get("response").get("gradients"), actual.get("gradients"));
    }

    @Test
    void networkAsGraphEqualsTheGradientsEndpointsAnswerForTheRunningExample() {
        JsonNode graph = GraphCases.JSON.readTree(api().contentType(ContentType.JSON)
                .body(GraphCases.golden("network-as-graph").get("request").toString())
                .when().post("/v1/graph").then().statusCode(200).extract().asString());
        JsonNode network = GraphCases.JSON.readTree(api().contentType(ContentType.JSON).body(Golden.request("cs224n-score"))
                .when().post("/v1/gradients").then().statusCode(200).extract().asString());
        for (String name : List.of("z", "h", "s")) {
            Golden.assertClose("forward." + name, network.get("forward").get(name), graph.get("forward").get(name));
        }
        for (String name : List.of("W", "b", "u", "x", "z", "h")) {
            Golden.assertClose("gradients." + name, network.get("gradients").get(name), graph.get("gradients").get(name));
        }
        // and both write h = σ(z), though the graph was typed sigmoid(z)
        String graphText = api().contentType(ContentType.JSON).accept("text/plain")
                .body(GraphCases.golden("network-as-graph").get("request").toString())
                .when().post("/v1/graph").then().statusCode(200).extract().asString();
        String networkText = api().contentType(ContentType.JSON).accept("text/plain").body(Golden.request("cs224n-score"))
                .when().post("/v1/gradients").then().statusCode(200).extract().asString();
        for (String text : List.of(graphText, networkText)) {
            assertTrue(text.lines().anyMatch(l -> l.trim().startsWith("h = σ(z) = ")), text);
        }
    }

    @Test
    void theLecturesGraphAnswersNodesBranchesAndSteps() {
        api().contentType(ContentType.JSON).body(LectureGraphTest.LECTURE)
                .when().post("/v1/graph")
                .then().statusCode(200)
                .body("output", equalTo("f"))
                .body("nodes.name", equalTo(List.of("x", "y", "z", "a", "b", "f")))
                .body("nodes[4].op", equalTo("max"))
                .body("nodes[4].inputs", equalTo(List.of("y", "z")))
                .body("nodes[4].expression", equalTo("max(y, z)"))
                .body("forward.f", equalTo(6.0))
                .body("gradients.y", equalTo(5.0))
                .body("branches", hasSize(1))
                .body("branches[0].contributions.via", equalTo(List.of("a", "b")))
                .body("steps.formula", hasItem("∂f/∂y += ∂f/∂b · ∂b/∂y"))
                .body("steps.find { it.gradient == 'y' && it.via == 'b' }.downstream.name", equalTo("∂f/∂y (via b)"))
                .body("$", not(hasKey("latex")));
    }

    @Test
    void textWritesTheBranchSum() {
        api().contentType(ContentType.JSON).accept("text/plain").body(LectureGraphTest.LECTURE)
                .when().post("/v1/graph")
                .then().statusCode(200).contentType(containsString("text/plain"))
                .body(containsString("∂f/∂y = ∂f/∂a · ∂a/∂y + ∂f/∂b · ∂b/∂y = 2 + 3 = 5"));
    }

    @Test
    void latexAndDigits() {
        api().contentType(ContentType.JSON)
                .body("{\"expression\": \"f = sum(W @ x)\", \"values\": {\"W\": [[0.123456, 2], [3, 4]], \"x\": [1, 1]}, \"options\": {\"latex\": true}}")
                .when().post("/v1/graph?digits=2")
                .then().statusCode(200)
                .body("forward.W[0][0]", equalTo(0.12))
                .body("latex.forward.t1", containsString("\\begin{bmatrix}"))
                .body("latex.gradients.W", containsString("\\frac{\\partial f}{\\partial W}"));
    }

    @Test
    void aShapeErrorNamesTheStatementTheOperatorAndBothShapes() {
        api().contentType(ContentType.JSON)
                .body("{\"expression\": \"b = W @ x\\nf = sum(b)\", \"values\": {\"W\": [[1,2,3,4,5],[1,2,3,4,5],[1,2,3,4,5]], \"x\": [1,2,3,4]}}")
                .when().post("/v1/graph")
                .then().statusCode(400)
                .body("errors[0].path", equalTo("expression"))
                .body("errors[0].message", containsString("b = W @ x: W is 3×5 but x has 4 entries"))
                .body("errors[0].message", containsString("operator @"));
    }

    @Test
    void aNonScalarOutputIsRefused() {
        api().contentType(ContentType.JSON).body("{\"expression\": \"f = 2 * v\", \"values\": {\"v\": [1, 2, 3]}}")
                .when().post("/v1/graph")
                .then().statusCode(400)
                .body("errors[0].message", equalTo("f is a 3-vector; only a scalar output has a gradient: wrap it in sum(...)"));
    }

    @Test
    void logOfZeroIs422NamingTheNode() {
        api().contentType(ContentType.JSON).body("{\"expression\": \"a = x - x\\nf = log(a)\", \"values\": {\"x\": 1}}")
                .when().post("/v1/graph")
                .then().statusCode(422)
                .body("type", equalTo("/problems/non-finite"))
                .body("errors[0].path", equalTo("forward.f"));
    }

    @Test
    void sqrtOfZerosGradientIs422NamingTheNode() {
        api().contentType(ContentType.JSON).body("{\"expression\": \"f = sqrt(x)\", \"values\": {\"x\": 0}}")
                .when().post("/v1/graph")
                .then().statusCode(422)
                .body("errors[0].path", equalTo("gradients.x"));
    }

    @Test
    void tenThousandDeepParenthesesAre400WithoutAStackOverflow() {
        String deep = "(".repeat(10_000) + "x" + ")".repeat(10_000);
        api().contentType(ContentType.JSON).body("{\"expression\": \"f = " + deep + "\", \"values\": {\"x\": 1}}")
                .when().post("/v1/graph")
                .then().statusCode(400).body("errors[0].path", equalTo("expression"))
                .body("errors[0].message", containsString("nested more than 100 deep"));
    }

    @Test
    void aTwoHundredThousandTermSumIsRefusedWithoutAStackOverflow() {
        String sum = "x" + " + x".repeat(199_999);
        int status = api().contentType(ContentType.JSON).body("{\"expression\": \"f = " + sum + "\", \"values\": {\"x\": 1}}")
                .when().post("/v1/graph")
                .then().extract().statusCode();
        org.assertj.core.api.Assertions.assertThat(status).isIn(400, 413);
    }
}
