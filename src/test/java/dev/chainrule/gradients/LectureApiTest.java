package dev.chainrule.gradients;

import dev.chainrule.render.Latex;
import dev.chainrule.render.Numbers;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.ApiTest;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Golden;
import dev.chainrule.network.Gradients;
import dev.chainrule.network.Problem;
import dev.chainrule.engine.Tensor;
import dev.chainrule.config.Limits;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The lecture-hall features of /v1/gradients: text, digits, LaTeX, gradient check, SGD; and CORS. */
class LectureApiTest extends ApiTest {

    private static final GradientEngine ENGINE = new GradientEngine();

    private static String withOptions(String body, String options) {
        ObjectNode node = (ObjectNode) Golden.json().readTree(body);
        node.set("options", Golden.json().readTree(options));
        return node.toString();
    }

    private static Problem problem(String body) {
        return new ProblemReader(Limits.defaults()).read(Golden.json().readTree(body), "").problem();
    }

    // ---- text ----

    @Test
    void theTextDerivationShowsTheForwardPassAndTheDeltaLine() {
        String text = api().contentType(ContentType.JSON).accept("text/plain").body(Examples.RUNNING_EXAMPLE)
                .when().post("/v1/gradients")
                .then().statusCode(200).contentType(containsString("text/plain")).extract().asString();
        assertTrue(text.contains("x = [1  2  3  4  5]ᵀ"), text);
        assertTrue(text.contains("z = Wx + b = [5.6  -0.4  1.3]ᵀ"), text);
        assertTrue(text.contains("h = σ(z) = [0.996316  0.401312  0.785835]ᵀ"), text);
        assertTrue(text.contains("s = uᵀh = 0.586609"), text);
        assertTrue(text.contains("J = s = 0.586609"), text);
        assertTrue(text.contains("δ = ∂J/∂z = [0.00367067  -0.480521  0.0841492]"), text);
        assertTrue(text.contains("∂J/∂z = ∂J/∂h · diag(f'(z))"), text);
        assertTrue(text.contains("local       ∂h/∂z = diag(h ⊙ (1 − h)) ="), text);
        // the local Jacobian as aligned rows
        assertTrue(text.contains("⎡ 0.00367067         0         0 ⎤"), text);
        assertTrue(text.contains("⎣          0         0  0.168298 ⎦"), text);
    }

    @Test
    void digitsRoundsTheText() {
        String text = api().contentType(ContentType.JSON).accept("text/plain").queryParam("digits", 3)
                .body(Examples.RUNNING_EXAMPLE).when().post("/v1/gradients").then().statusCode(200).extract().asString();
        assertTrue(text.contains("h = σ(z) = [0.996  0.401  0.786]ᵀ"), text);
        assertTrue(text.contains("δ = ∂J/∂z = [0.00367  -0.481  0.0841]"), text);
    }

    @Test
    void digitsRoundsEveryNumberOfTheJson() {
        String body = withOptions(Examples.RUNNING_EXAMPLE, "{\"jacobian_form\": true, \"sgd\": {\"learning_rate\": 0.1}}");
        JsonNode answer = Golden.json().readTree(api().contentType(ContentType.JSON).queryParam("digits", 4).body(body)
                .when().post("/v1/gradients").then().statusCode(200).extract().asString());
        assertEquals(0.5866, answer.get("forward").get("s").doubleValue());
        assertEquals(-0.4805, answer.get("gradients").get("z").get(1).doubleValue());
        assertEquals(0.003671, answer.get("jacobian_form").get("z").get(0).get(0).doubleValue());
        JsonNode zStep = null;
        for (JsonNode step : answer.get("steps")) {
            zStep = step.get("gradient").asString().equals("z") ? step : zStep;
        }
        assertEquals(0.2403, zStep.get("local").get("value").get(1).get(1).doubleValue());
        // every number has at most 4 significant digits
        List<Double> all = numbers(answer);
        assertTrue(all.size() > 100);
        for (double v : all) {
            assertEquals(Numbers.round(v, 4), v, "" + v);
        }
    }

    @Test
    void digitsOutOfRangeIs400() {
        raw().contentType(ContentType.JSON).queryParam("digits", 0).body(Examples.RUNNING_EXAMPLE)
                .when().post("/v1/gradients").then().statusCode(400).body("errors[0].path", equalTo("digits"));
    }

    // ---- LaTeX ----

    @Test
    void latexStringsAreBalancedAndCarryTheNumbers() {
        JsonNode latex = Golden.json().readTree(api().contentType(ContentType.JSON)
                .body(withOptions(Examples.RUNNING_EXAMPLE, "{\"latex\": true}"))
                .when().post("/v1/gradients").then().statusCode(200).extract().asString()).get("latex");
        assertEquals("z = W x + b = \\begin{bmatrix} 5.6 \\\\ -0.4 \\\\ 1.3 \\end{bmatrix}", latex.get("forward").get("z").asString());
        assertEquals("s = u^{\\top}h = 0.586609", latex.get("forward").get("s").asString());
        assertTrue(latex.get("forward").get("h").asString().startsWith("h = \\sigma (z) = \\begin{bmatrix} 0.996316 \\\\ 0.401312"));
        assertEquals("\\frac{\\partial J}{\\partial b} = \\begin{bmatrix} 0.00367067 \\\\ -0.480521 \\\\ 0.0841492 \\end{bmatrix}",
                latex.get("gradients").get("b").asString());
        String zStep = allStrings(latex.get("steps")).stream().map(JsonNode::asString)
                .filter(t -> t.startsWith("\\frac{\\partial J}{\\partial z}")).findFirst().orElseThrow();
        assertTrue(zStep.startsWith("\\frac{\\partial J}{\\partial z} = \\frac{\\partial J}{\\partial h} \\cdot \\operatorname{diag} (f'(z))"
                + " = \\begin{bmatrix} 1 & -2 & 0.5 \\end{bmatrix} \\begin{bmatrix} 0.00367067 & 0 & 0 \\\\"), zStep);
        assertTrue(zStep.endsWith("= \\begin{bmatrix} 0.00367067 & -0.480521 & 0.0841492 \\end{bmatrix}"), zStep);
        for (JsonNode s : allStrings(latex)) {
            assertBalanced(s.asString());
        }
    }

    @Test
    void latexOfEveryGoldenCaseIsBalanced() throws Exception {
        Path dir = Path.of("src/test/resources/golden");
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                Problem p = problem(Golden.read(f).get("request").toString());
                Gradients g = ENGINE.compute(p);
                Latex.Rendering r = DerivationLatex.render(p, g, Numbers.FULL);
                r.forward().values().forEach(LectureApiTest::assertBalanced);
                r.gradients().values().forEach(LectureApiTest::assertBalanced);
                r.steps().forEach(LectureApiTest::assertBalanced);
                assertEquals(g.steps().size(), r.steps().size());
            }
        }
    }

    /** Braces balance, every \begin{X} meets its \end{X}, every \left its \right, no double subscript. */
    static void assertBalanced(String latex) {
        Deque<String> open = new ArrayDeque<>();
        for (int i = 0; i < latex.length(); i++) {
            char c = latex.charAt(i);
            if (c == '\\' && i + 1 < latex.length() && (latex.charAt(i + 1) == '{' || latex.charAt(i + 1) == '}'
                    || latex.charAt(i + 1) == '\\')) {
                i++; // an escaped brace or a row break
            } else if (c == '{') {
                open.push("{");
            } else if (c == '}') {
                assertFalse(open.isEmpty() || !open.peek().equals("{"), "unbalanced } at " + i + " in " + latex);
                open.pop();
            }
        }
        assertTrue(open.isEmpty(), "unclosed { in " + latex);
        Matcher m = Pattern.compile("\\\\(begin|end)\\{(\\w+)\\}|\\\\(left|right)\\b").matcher(latex);
        Deque<String> envs = new ArrayDeque<>();
        while (m.find()) {
            if ("begin".equals(m.group(1))) {
                envs.push(m.group(2));
            } else if ("end".equals(m.group(1))) {
                assertEquals(envs.isEmpty() ? null : envs.pop(), m.group(2), "\\end{" + m.group(2) + "} unmatched in " + latex);
            } else if ("left".equals(m.group(3))) {
                envs.push("\\left");
            } else {
                assertEquals(envs.isEmpty() ? null : envs.pop(), "\\left", "\\right unmatched in " + latex);
            }
        }
        assertTrue(envs.isEmpty(), "unclosed " + envs + " in " + latex);
        assertFalse(latex.matches(".*_\\{[^}]*\\}_.*"), "double subscript in " + latex);
        assertFalse(latex.matches(".*[∂δσᵀ⊙−·Σ].*"), "Unicode left in " + latex);
    }

    // ---- gradient check ----

    @Test
    void theGradientCheckIsGoodOnTheRunningExample() {
        api().contentType(ContentType.JSON).body(withOptions(Examples.RUNNING_EXAMPLE, "{\"gradient_check\": true}"))
                .when().post("/v1/gradients").then().statusCode(200)
                .body("gradient_check.verdict", equalTo("good"))
                .body("gradient_check.on_kink", equalTo(false))
                .body("gradient_check.results.keySet()", equalTo(java.util.Set.of("W", "b", "u", "x")));
    }

    @Test
    void theGradientCheckFlagsTheReluKink() {
        String request = Golden.read(Path.of("src/test/resources/golden/cs224n-relu-kink.json")).get("request").toString();
        api().contentType(ContentType.JSON).body(withOptions(request, "{\"gradient_check\": true}"))
                .when().post("/v1/gradients").then().statusCode(200)
                .body("gradient_check.on_kink", equalTo(true))
                .body("gradient_check.kinks[0]", equalTo("z[0] = 0 (relu)"))
                .body("gradient_check.results.W.verdict", equalTo("suspicious"));
    }

    // ---- SGD ----

    @Test
    void oneSgdStepIsThetaMinusAlphaTimesTheGradientExactly() {
        double alpha = 0.37;
        String body = withOptions(Examples.RUNNING_EXAMPLE, "{\"sgd\": {\"learning_rate\": " + alpha + "}}");
        JsonNode answer = Golden.json().readTree(api().contentType(ContentType.JSON).body(body)
                .when().post("/v1/gradients").then().statusCode(200).extract().asString());
        Problem p = problem(Examples.RUNNING_EXAMPLE);
        Map<String, Tensor> g = ENGINE.compute(p).gradients();
        Map<String, Tensor> theta = dev.chainrule.network.Sgd.parameters(p.layers());
        assertEquals(List.of("W", "b", "u"), List.copyOf(answer.get("updated").propertyNames()));
        for (String name : theta.keySet()) {
            List<Double> got = numbers(answer.get("updated").get(name));
            assertEquals(theta.get(name).size(), got.size());
            for (int i = 0; i < got.size(); i++) {
                assertEquals(theta.get(name).get(i) - alpha * g.get(name).get(i), got.get(i), 0.0, name + "[" + i + "]");
            }
        }
        assertEquals(3, answer.get("updated").get("W").size());
        assertEquals(5, answer.get("updated").get("W").get(0).size());
    }

    @Test
    void aBadLearningRateIs400() {
        raw().contentType(ContentType.JSON).body(withOptions(Examples.RUNNING_EXAMPLE, "{\"sgd\": {\"learning_rate\": -1}}"))
                .when().post("/v1/gradients").then().statusCode(400)
                .body("errors[0].path", equalTo("options.sgd.learning_rate"));
    }

    // ---- CORS ----

    @Test
    void aPreflightFromAnotherOriginIsAllowed() {
        raw().header("Origin", "https://course.example.edu")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .when().options("/v1/gradients")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo("*"))
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("content-type"));
        api().header("Origin", "https://course.example.edu").contentType(ContentType.JSON).body(Examples.RUNNING_EXAMPLE)
                .when().post("/v1/gradients").then().statusCode(200).header("Access-Control-Allow-Origin", equalTo("*"))
                .header("Access-Control-Expose-Headers", containsString("X-Request-Id"));
        api().header("Origin", "https://course.example.edu").when().get("/v1/examples")
                .then().statusCode(200).header("Access-Control-Allow-Origin", equalTo("*"));
    }

    // ---- helpers ----

    private static List<Double> numbers(JsonNode node) {
        List<Double> out = new java.util.ArrayList<>();
        collect(node, out);
        return out;
    }

    private static void collect(JsonNode node, List<Double> out) {
        if (node.isNumber()) {
            out.add(node.doubleValue());
        } else if (node.isArray() || node.isObject()) {
            for (JsonNode child : node.values()) {
                collect(child, out);
            }
        }
    }

    private static List<JsonNode> allStrings(JsonNode node) {
        List<JsonNode> out = new java.util.ArrayList<>();
        if (node.isString()) {
            out.add(node);
        } else {
            for (JsonNode child : node.values()) {
                out.addAll(allStrings(child));
            }
        }
        return out;
    }
}
