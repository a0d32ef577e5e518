package dev.chainrule.graph;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.chainrule.ApiTest;
import dev.chainrule.network.Golden;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The tensor language over HTTP, every exchange checked against openapi.yaml: the golden-ops cases, readable
 * answers for large ops (rule and shape, or every value with {@code full_jacobians}), the gradient check, a mask's
 * infinities in {@code forward}, and the 400s and 422s of bad tensor programs.
 */
class TensorGraphApiTest extends ApiTest {

    static List<Path> cases() {
        return GoldenOpsTest.cases().stream()
                .filter(p -> !GoldenOpsTest.PENDING.contains(p.getFileName().toString().replace(".json", ""))).toList();
    }

    private static String body(String expression, String values, String options) {
        return "{\"expression\": \"" + expression.replace("\n", "\\n") + "\", \"values\": " + values
                + (options == null ? "" : ", \"options\": " + options) + "}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyGoldenOpsCaseOverHttpWithLatexAndText(Path file) {
        JsonNode golden = Golden.read(file);
        String request = golden.get("request").toString();
        JsonNode actual = GraphCases.JSON.readTree(api().contentType(ContentType.JSON).body(request)
                .when().post("/v1/graph").then().statusCode(200).extract().asString());
        GraphCases.assertSubset("gradients", golden.get("response").get("gradients"), actual.get("gradients"));
        String withLatex = request.substring(0, request.length() - 1) + ", \"options\": {\"latex\": true}}";
        api().contentType(ContentType.JSON).body(withLatex).when().post("/v1/graph?digits=3").then().statusCode(200);
        api().contentType(ContentType.JSON).accept("text/plain").body(request).when().post("/v1/graph").then().statusCode(200);
    }

    /** A softmax over the rows of a 4×30 gather: every local Jacobian but the first is over 400 entries. */
    private static final String LARGE;

    static {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            StringBuilder row = new StringBuilder();
            for (int j = 0; j < 30; j++) {
                row.append(j == 0 ? "" : ", ").append((i * 7 + j * 3) % 11 / 10.0 - 0.5);
            }
            rows.append(i == 0 ? "" : ", ").append('[').append(row).append(']');
        }
        LARGE = "{\"L\": [" + rows + "], \"w\": [2, 5, 2, 7]}";
    }

    @Test
    void aLocalJacobianOverFourHundredEntriesIsGivenByItsRuleAndShape() {
        api().contentType(ContentType.JSON).body(body("E = L[w]\nP = softmax(E, axis=1)\nf = sum(P * P)", LARGE, null))
                .when().post("/v1/graph")
                .then().statusCode(200)
                .body("steps.find { it.via == 'P' }.local.rule", equalTo("diag(p) − p pᵀ (for each of the 4 rows, p = P)"))
                .body("steps.find { it.via == 'P' }.local.shape", equalTo("120×120"))
                .body("steps.find { it.via == 'P' }.local", not(hasKey("value")))
                .body("steps.find { it.via == 'E' }.local.rule", equalTo("scatter-add into rows 2, 5, 2, 7 of L"))
                .body("steps.find { it.via == 'E' }.local.shape", equalTo("120×240"))
                .body("steps.find { it.via == 'f' }.local.value", notNullValue())
                .body("gradients", not(hasKey("w")))
                .body("forward.w", equalTo(List.of(2.0, 5.0, 2.0, 7.0)));
        api().contentType(ContentType.JSON).body(body("E = L[w]\nP = softmax(E, axis=1)\nf = sum(P * P)", LARGE, "{\"full_jacobians\": true}"))
                .when().post("/v1/graph")
                .then().statusCode(200)
                .body("steps.local.rule", everyItem(nullValue()))
                .body("steps.find { it.via == 'E' }.local.value.size()", equalTo(120));
        api().contentType(ContentType.JSON).accept("text/plain").body(body("E = L[w]\nP = softmax(E, axis=1)\nf = sum(P * P)", LARGE, null))
                .when().post("/v1/graph")
                .then().statusCode(200)
                .body(containsString("local ∂E/∂L = scatter-add into rows 2, 5, 2, 7 of L  (120×240, written out with options.full_jacobians)"));
        api().contentType(ContentType.JSON).body(body("E = L[w]\nP = softmax(E, axis=1)\nf = sum(P * P)", LARGE, "{\"latex\": true}"))
                .when().post("/v1/graph")
                .then().statusCode(200)
                .body("latex.steps", hasItem(containsString("\\text{scatter-add into rows 2, 5, 2, 7 of L}\\right)_{120 \\times 240}")));
    }

    @Test
    void theGradientCheckWorksOnGraphsAsOnNetworks() {
        api().contentType(ContentType.JSON)
                .body(body("S = X @ W + b\nP = softmax(S, axis=1)\nf = -mean(log(pick(P, y)))",
                        "{\"X\": [[1, 2], [0, -1], [3, 1]], \"W\": [[0.5, -0.2, 0.1], [0.3, 0.8, -0.5]], \"b\": [0.1, 0, -0.1],"
                                + " \"y\": [0, 2, 1]}", "{\"gradient_check\": true, \"steps\": false}"))
                .when().post("/v1/graph")
                .then().statusCode(200)
                .body("gradient_check.verdict", equalTo("good"))
                .body("gradient_check.results", hasKey("W"))
                .body("gradient_check.results", hasKey("b"))
                .body("gradient_check.results", not(hasKey("y")))
                .body("gradient_check.on_kink", equalTo(false));
        api().contentType(ContentType.JSON).body(body("f = sum(relu(x) * w)", "{\"x\": [1, 0, -1], \"w\": [1, 2, 3]}", "{\"gradient_check\": true}"))
                .when().post("/v1/graph")
                .then().statusCode(200)
                .body("gradient_check.on_kink", equalTo(true))
                .body("gradient_check.kinks", equalTo(List.of("x[1] = 0 (relu)")));
        api().contentType(ContentType.JSON).accept("text/plain")
                .body(body("f = max(M)", "{\"M\": [[1, 3, 3], [2, 2, 0]]}", "{\"gradient_check\": true}"))
                .when().post("/v1/graph")
                .then().statusCode(200)
                .body(containsString("Gradient check (central differences, ε = 0.001"))
                .body(containsString("on a kink: M[0][1] = 3 (max: a tie)"));
    }

    @Test
    void aMasksInfinityIsWrittenAsAString() {
        api().contentType(ContentType.JSON)
                .body(body("P = softmax(where(M, S, -inf), axis=1)\nf = sum(P * S)", "{\"M\": [[1, 0], [1, 1]], \"S\": [[1, 2], [3, 4]]}",
                        "{\"latex\": true}"))
                .when().post("/v1/graph?digits=3")
                .then().statusCode(200)
                .body("forward.t1", equalTo(List.of(List.of(1.0, "-inf"), List.of(3.0, 4.0))))
                .body("nodes.find { it.name == '-inf' }.op", equalTo("const"))
                .body("latex.forward.t1", containsString("\\operatorname{where}\\left(M, S, -\\infty\\right)"))
                .body("gradients", not(hasKey("-inf")));
    }

    @Test
    void badTensorProgramsAre400sNamingStatementFunctionColumnAndShapes() {
        String x = "{\"X\": [[1, 2, 3], [4, 5, 6]], \"b\": [1, 2]}";
        api().contentType(ContentType.JSON).body(body("s = sum(X, axis=2)\nf = sum(s)", x.replace(", \"b\": [1, 2]", ""), null))
                .when().post("/v1/graph").then().statusCode(400)
                .body("errors[0].message", equalTo("s = sum(X, axis=2): axis 2 is out of range for X, which is 2×3 (axes 0 to 1,"
                        + " or −2 to −1) (statement 1, function sum, column 5)"));
        api().contentType(ContentType.JSON).body(body("f = sum(X + b)", x, null))
                .when().post("/v1/graph").then().statusCode(400)
                .body("errors[0].message", containsString("X is 2×3 but b is 2: + needs shapes that broadcast"))
                .body("errors[0].message", containsString("(statement 1, operator +, column 11)"));
        api().contentType(ContentType.JSON).body(body("f = sum(X.softmax(dim=1)) + sum(b)", x, null))
                .when().post("/v1/graph").then().statusCode(400)
                .body("errors[0].message", equalTo("statement 1 (f = sum(X.softmax(dim=1)) + sum(b)), column 19: softmax: dim is not a"
                        + " keyword of softmax; it takes axis"));
        api().contentType(ContentType.JSON).body(body("f = sum(X[i]) * i", "{\"X\": [[1, 2, 3], [4, 5, 6]], \"i\": 1}", null))
                .when().post("/v1/graph").then().statusCode(400)
                .body("errors[0].message", containsString("i is an index input (statement 1 reads it inside [...]) and cannot also be used in arithmetic"));
        api().contentType(ContentType.JSON).body(body("f = sum(X[i])", "{\"X\": [[1, 2, 3], [4, 5, 6]], \"i\": [0, 2]}", null))
                .when().post("/v1/graph").then().statusCode(400)
                .body("errors[0].message", containsString("i[1] = 2 is out of range for X's 2 rows (-2 to 1) (statement 1, subscript […], column 9)"));
    }

    @Test
    void anInfinityThatReachesTheOutputIs422NamingIt() {
        api().contentType(ContentType.JSON).body(body("Y = where(M, S, -inf)\nf = sum(Y)", "{\"M\": [1, 0], \"S\": [1, 2]}", null))
                .when().post("/v1/graph").then().statusCode(422)
                .body("type", equalTo("/problems/non-finite"))
                .body("errors[0].path", equalTo("forward.f"));
    }
}
