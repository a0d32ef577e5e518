package dev.chainrule.grading;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.ApiTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tensor problem graded and varied over HTTP, through the contract's validator: an embedding lookup with a repeated
 * word, a broadcast bias and a class label; then a template that varies a rank-4 tensor and an index input.
 */
class TensorGradingApiTest extends ApiTest {

    private static final String PROBLEM = "{\"expression\": \"E = L[w]\\nS = E @ W + b\\nJ = cross_entropy(S, y)\","
            + " \"values\": {\"L\": [[0.5, -1], [1, 0.25], [-0.5, 2], [1.5, 1]], \"w\": [2, 0, 2],"
            + " \"W\": [[0.2, -0.4, 1], [0.6, 0.1, -0.3]], \"b\": [0.1, 0, -0.1], \"y\": [0, 2, 1]}}";

    /** The expected gradients, as the grader reveals them. */
    private Map<String, Object> revealed() {
        JsonPath r = api().contentType(ContentType.JSON)
                .body("{\"problem\": " + PROBLEM + ", \"answers\": {\"L\": 0, \"S\": 0, \"W\": 0}, \"reveal\": true}")
                .when().post("/v1/grade").then().statusCode(200).extract().jsonPath();
        return Map.of("L", r.get("results.L.expected"), "S", r.get("results.S.expected"), "W", r.get("results.W.expected"));
    }

    @SuppressWarnings("unchecked")
    @Test
    void aTensorProblemsSlipsAreNamedAndNoValueIsShown() {
        Map<String, Object> right = revealed();
        List<List<Double>> l = (List<List<Double>>) right.get("L");
        // row 2 of L collects positions 0 and 2 of w; a student who assigns the scatter keeps one of them
        List<List<Double>> oneUse = List.of(l.get(0), l.get(1), List.of(0.0, 0.0), l.get(3));
        List<List<Double>> s = (List<List<Double>>) right.get("S");
        String answers = "{\"L\": " + json(oneUse) + ", \"b\": " + json(s) + ", \"W\": " + json(right.get("W"))
                + ", \"y\": [0, 0, 0], \"dJ/dw\": [1, 1, 1]}";
        String body = "{\"problem\": " + PROBLEM + ", \"answers\": " + answers + "}";
        api().contentType(ContentType.JSON).body(body).when().post("/v1/grade").then().statusCode(200)
                .body("results.W.diagnosis", equalTo("correct"))
                .body("results.b.diagnosis", equalTo("wrong_shape"))
                .body("results.b.feedback", containsString("summed over axis 0"))
                .body("results.y.diagnosis", equalTo("no_gradient"))
                .body("results.'dJ/dw'.diagnosis", equalTo("no_gradient"))
                .body("results.'dJ/dw'.feedback", containsString("index input"))
                .body("score", equalTo(0.2));
        // with row 2 holding the first use only, it is a branch left out rather than a wrong row
        List<List<Double>> rows = new java.util.ArrayList<>(l);
        double[] w = {0.2, -0.4, 1, 0.6, 0.1, -0.3};
        // ∂J/∂E = ∂J/∂S · Wᵀ, row 0 is position 0's contribution to row 2 of L
        List<Double> firstUse = List.of(dot(s.get(0), w, 0), dot(s.get(0), w, 3));
        rows.set(2, firstUse);
        api().contentType(ContentType.JSON).body("{\"problem\": " + PROBLEM + ", \"answers\": {\"L\": " + json(rows) + "}}")
                .when().post("/v1/grade").then().statusCode(200)
                .body("results.L.diagnosis", equalTo("missing_branch"))
                .body("results.L.feedback", containsString("Row 2 of L is used at positions 0 and 2 of w"));
        // a class in CSV: one row per answer, the diagnosis codes as they are
        api().contentType(ContentType.JSON).accept("text/csv")
                .body("{\"problem\": " + PROBLEM + ", \"submissions\": [{\"id\": \"ana\", \"answers\": " + answers + "},"
                        + " {\"id\": \"ben\", \"answers\": {\"L\": " + json(rows) + "}}]}")
                .when().post("/v1/grade/batch").then().statusCode(200)
                .body(allOf(containsString("ana,y,false,no_gradient,0,"), containsString("ben,L,false,missing_branch,0,")));
    }

    private static double dot(List<Double> row, double[] w, int from) {
        return row.get(0) * w[from] + row.get(1) * w[from + 1] + row.get(2) * w[from + 2];
    }

    private static String json(Object value) {
        return value.toString();
    }

    private static final String TEMPLATE = "{\"expression\": \"E = L[w]\\nJ = sum(E * V) + 0.5 * sum(T * T)\", \"values\": {"
            + "\"L\": {\"vary\": {\"min\": -1, \"max\": 1, \"step\": 0.5, \"shape\": [4, 2]}},"
            + " \"w\": {\"vary\": {\"min\": 0, \"max\": MAX, \"shape\": [3]}},"
            + " \"V\": {\"vary\": {\"min\": -2, \"max\": 2, \"shape\": [3, 2]}},"
            + " \"T\": {\"vary\": {\"min\": -3, \"max\": 3, \"shape\": [2, 1, 2, 3]}}}}";

    @Test
    void aTemplateVariesARankFourTensorAndAnIndexInputInRange() {
        JsonPath v = api().contentType(ContentType.JSON).body("{\"seed\": 5, \"template\": " + TEMPLATE.replace("MAX", "3") + "}")
                .when().post("/v1/variants").then().statusCode(200)
                .body("values.T", hasSize(2)).body("values.T[0]", hasSize(1)).body("values.T[0][0]", hasSize(2))
                .body("values.T[0][0][0]", hasSize(3)).body("values.w", hasSize(3))
                .extract().jsonPath();
        List<Number> w = v.getList("values.w");
        for (Number i : w) {
            assertTrue(i.doubleValue() == Math.rint(i.doubleValue()) && i.intValue() >= 0 && i.intValue() <= 3, "w = " + w);
        }
        // graded from the seed alone: ∂J/∂T is T itself
        Object t = v.get("values.T");
        api().contentType(ContentType.JSON).body("{\"problem\": {\"template\": " + TEMPLATE.replace("MAX", "3") + ", \"seed\": 5},"
                        + " \"answers\": {\"T\": " + t + ", \"w\": " + w + "}}")
                .when().post("/v1/grade").then().statusCode(200)
                .body("results.T.diagnosis", equalTo("correct"))
                .body("results.w.diagnosis", equalTo("no_gradient"));
    }

    @Test
    void anIndexRangeBeyondItsAxisIsRefusedWhateverTheSeed() {
        // L has 4 rows: a w drawn up to 4 would be out of range for some seeds, so it is refused for every seed
        for (int seed : new int[] {0, 1, 2}) {
            String message = api().contentType(ContentType.JSON).body("{\"seed\": " + seed + ", \"template\": " + TEMPLATE.replace("MAX", "4") + "}")
                    .when().post("/v1/variants").then().statusCode(400).extract().jsonPath().getString("errors[0].message");
            assertTrue(message.contains("with every vary at the largest value of its range") && message.contains("out of range"), message);
        }
        String fractional = TEMPLATE.replace("\"max\": MAX,", "\"max\": 3, \"step\": 0.5,");
        String message = api().contentType(ContentType.JSON).body("{\"seed\": 1, \"template\": " + fractional + "}")
                .when().post("/v1/variants").then().statusCode(400).extract().jsonPath().getString("errors[0].message");
        assertTrue(message.contains("not an integer"), message);
        assertEquals(400, api().contentType(ContentType.JSON).body("{\"seed\": 1, \"template\": "
                + TEMPLATE.replace("[2, 1, 2, 3]", "[2, 1, 2, 3, 1]").replace("MAX", "3") + "}")
                .when().post("/v1/variants").then().extract().statusCode());
    }
}
