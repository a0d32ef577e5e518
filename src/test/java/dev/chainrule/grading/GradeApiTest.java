package dev.chainrule.grading;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.ApiTest;
import dev.chainrule.network.Gradients;
import dev.chainrule.network.Problem;
import dev.chainrule.engine.Tensor;
import io.restassured.http.ContentType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** POST /v1/grade and /v1/grade/batch against the running server, every exchange checked against openapi.yaml. */
class GradeApiTest extends ApiTest {

    static final String RUNNING = Problems.RUNNING_EXAMPLE;
    static final Problem RUNNING_PROBLEM = Problems.problem(RUNNING);
    static final Gradients RUNNING_EXPECTED = Problems.expected(RUNNING_PROBLEM);
    static final String SOFTMAX = Problems.softmax();
    static final Problem SOFTMAX_PROBLEM = Problems.problem(SOFTMAX);
    static final Gradients SOFTMAX_EXPECTED = Problems.expected(SOFTMAX_PROBLEM);

    /** A tensor as JSON: a number or nested arrays. */
    static String json(Tensor t) {
        if (t.rank() == 0) {
            return Double.toString(t.item());
        }
        StringBuilder out = new StringBuilder();
        write(t.toArray(), t.shape(), 0, new int[1], out);
        return out.toString();
    }

    private static void write(double[] data, int[] shape, int axis, int[] at, StringBuilder out) {
        out.append('[');
        for (int i = 0; i < shape[axis]; i++) {
            out.append(i == 0 ? "" : ", ");
            if (axis == shape.length - 1) {
                out.append(data[at[0]++]);
            } else {
                write(data, shape, axis + 1, at, out);
            }
        }
        out.append(']');
    }

    static String answers(Map<String, String> answers) {
        StringBuilder out = new StringBuilder("{");
        answers.forEach((k, v) -> out.append(out.length() == 1 ? "" : ", ").append('"').append(k).append("\": ").append(v));
        return out.append('}').toString();
    }

    static String request(String problem, Map<String, String> answers, String extra) {
        return "{\"problem\": " + problem + ", \"answers\": " + answers(answers) + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    /** One crafted answer per diagnosis on both problems: (problem, name, answer JSON, diagnosis code). */
    static Stream<Arguments> crafted() {
        Map<String, Tensor> r = RUNNING_EXPECTED.gradients();
        Map<String, Tensor> rNoSigmoid = Problems.withoutDerivative(RUNNING_PROBLEM, 0).gradients();
        Map<String, Tensor> s = SOFTMAX_EXPECTED.gradients();
        Map<String, Tensor> sNoRelu = Problems.withoutDerivative(SOFTMAX_PROBLEM, 0).gradients();
        return Stream.of(
                Arguments.of("running", "W", json(r.get("W").map(v -> v * 1.004)), "correct"),
                Arguments.of("running", "forward.h", json(RUNNING_EXPECTED.forward().get("h")), "correct"),
                Arguments.of("running", "W", json(Grader.transpose(r.get("W"))), "transposed"),
                Arguments.of("running", "b", json(r.get("b").reshape(1, 3)), "transposed"),
                Arguments.of("running", "W", json(r.get("W").map(v -> -v)), "sign"),
                Arguments.of("running", "x", json(r.get("x").map(v -> 2 * v)), "scaled"),
                Arguments.of("running", "W", json(rNoSigmoid.get("W")), "missing_activation_derivative"),
                Arguments.of("running", "W", json(Problems.with(r.get("W"), 3, 9)), "partial"),
                Arguments.of("running", "dW", json(r.get("W")), "unknown_name"),
                Arguments.of("running", "W", "[[1, 2], [3, 4]]", "wrong_shape"),
                Arguments.of("running", "W", "[[1, 2, 3, 4, 5], [1, 2]]", "invalid"),
                Arguments.of("running", "u", "[7, 8, 9]", "wrong"),
                Arguments.of("softmax", "W1", json(s.get("W1").map(v -> v * 0.995)), "correct"),
                Arguments.of("softmax", "W1", json(Grader.transpose(s.get("W1"))), "transposed"),
                Arguments.of("softmax", "z2", json(s.get("z2").reshape(1, 2)), "transposed"),
                Arguments.of("softmax", "W2", json(s.get("W2").map(v -> -v)), "sign"),
                Arguments.of("softmax", "W2", json(s.get("W2").map(v -> 2 * v)), "scaled"),
                Arguments.of("softmax", "W1", json(sNoRelu.get("W1")), "missing_activation_derivative"),
                Arguments.of("softmax", "b1", json(sNoRelu.get("b1")), "missing_activation_derivative"),
                Arguments.of("softmax", "x", json(Problems.with(s.get("x"), 0, 1)), "partial"),
                Arguments.of("softmax", "W", json(s.get("W1")), "unknown_name"),
                Arguments.of("softmax", "b2", "[1, 2, 3]", "wrong_shape"),
                Arguments.of("softmax", "b2", "\"0.97, -0.97\"", "invalid"),
                Arguments.of("softmax", "h1", "[5, 5, 5, 5]", "wrong"));
    }

    @ParameterizedTest(name = "{0} {1} → {3}")
    @MethodSource("crafted")
    void eachCraftedAnswerGetsItsDiagnosis(String which, String name, String answer, String diagnosis) {
        String problem = which.equals("running") ? RUNNING : SOFTMAX;
        api().contentType(ContentType.JSON).body(request(problem, Map.of(name, answer), ""))
                .when().post("/v1/grade")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("results." + quoted(name) + ".diagnosis", equalTo(diagnosis))
                .body("results." + quoted(name) + ".correct", equalTo(diagnosis.equals("correct")))
                .body("total", equalTo(1))
                .body("score", equalTo(diagnosis.equals("correct") ? 1.0 : 0.0));
    }

    private static String quoted(String name) {
        return "'" + name + "'";
    }

    @Test
    void theContractsExampleAnswer() {
        api().contentType(ContentType.JSON).body(request(RUNNING, Map.of("u", "[0.9963, 0.4013, 0.7858]",
                        "b", "[[0.00367, -0.4805, 0.08415]]"), "\"tolerance\": {\"rtol\": 0.01, \"atol\": 1e-8}, \"reveal\": false"))
                .when().post("/v1/grade")
                .then().statusCode(200)
                .body("score", equalTo(0.5)).body("correct", equalTo(1)).body("total", equalTo(2))
                .body("results.u.diagnosis", equalTo("correct"))
                .body("results.u", not(hasKey("feedback")))
                .body("results.b.diagnosis", equalTo("transposed"))
                .body("results.b.feedback", startsWith("You gave a 1×3 row (Jacobian form); the shape convention wants b's shape: a column of 3."));
    }

    @Test
    void carryForwardGivesPartialCredit() {
        // the student's δ is wrong; their ∂J/∂W = δᵀxᵀ and ∂J/∂b = δ are built from it correctly
        double[] delta = {0.1, -0.2, 0.3};
        Map<String, String> a = new LinkedHashMap<>();
        a.put("z", json(Tensor.vector(delta)));
        a.put("W", json(Problems.outer(delta, new double[] {1, 2, 3, 4, 5})));
        a.put("b", json(Tensor.vector(delta)));
        api().contentType(ContentType.JSON).body(request(RUNNING, a, "\"carry_forward\": true, \"carry_forward_credit\": 0.4"))
                .when().post("/v1/grade")
                .then().statusCode(200)
                .body("results.z.diagnosis", equalTo("wrong"))
                .body("results.W.diagnosis", equalTo("carried_forward"))
                .body("results.W.score", equalTo(0.4))
                .body("results.b.diagnosis", equalTo("carried_forward"))
                .body("correct", equalTo(0))
                .body("score", equalTo(0.8 / 3));
    }

    @Test
    void revealAddsTheExpectedValue() {
        api().contentType(ContentType.JSON).body(request(RUNNING, Map.of("b", "[1, 2, 3]"), "\"reveal\": true"))
                .when().post("/v1/grade")
                .then().statusCode(200)
                .body("results.b.expected", contains(0.0036706662757992974, -0.4805214914830583, 0.08414918123453012));
    }

    // ---- nothing to read an expected value from ----

    @Test
    void withoutRevealNoExpectedNumberIsInTheResponse() {
        for (String which : List.of("running", "softmax")) {
            boolean running = which.equals("running");
            Gradients g = running ? RUNNING_EXPECTED : SOFTMAX_EXPECTED;
            // one submission per crafted answer (every diagnosis), and one that answers every name wrong in some way
            List<String> subs = new ArrayList<>();
            crafted().map(Arguments::get).filter(args -> args[0].equals(which)).forEach(args -> subs.add(
                    "{\"id\": \"c" + subs.size() + "\", \"answers\": " + answers(Map.of((String) args[1], (String) args[2])) + "}"));
            Map<String, String> all = new LinkedHashMap<>();
            int i = 0;
            for (Map.Entry<String, Tensor> e : g.gradients().entrySet()) {
                Tensor t = e.getValue();
                Tensor answer = switch (i++ % 4) {
                    case 0 -> t.map(v -> -v);
                    case 1 -> t.rank() == 1 ? t.reshape(1, t.size()) : t.map(v -> 3 * v);
                    case 2 -> t.map(v -> v + 0.75);
                    default -> t.map(v -> v * 1.001);
                };
                all.put(e.getKey(), json(answer));
                if (g.forward().containsKey(e.getKey())) {
                    all.put("forward." + e.getKey(), json(answer.map(v -> v + 0.3)));
                }
            }
            subs.add("{\"id\": \"all\", \"answers\": " + answers(all) + "}");
            String batch = "{\"problem\": " + (running ? RUNNING : SOFTMAX) + ", \"carry_forward\": true, \"submissions\": ["
                    + String.join(", ", subs) + "]}";
            String body = api().contentType(ContentType.JSON).body(batch).when().post("/v1/grade/batch")
                    .then().statusCode(200).extract().asString();
            String csv = api().contentType(ContentType.JSON).accept("text/csv").body(batch).when().post("/v1/grade/batch")
                    .then().statusCode(200).extract().asString();
            String single = api().contentType(ContentType.JSON).body(request(running ? RUNNING : SOFTMAX, all, ""))
                    .when().post("/v1/grade").then().statusCode(200).extract().asString();
            for (String code : List.of("correct", "transposed", "sign", "scaled", "missing_activation_derivative", "partial",
                    "unknown_name", "wrong_shape", "invalid", "wrong")) {
                assertTrue(body.contains("\"" + code + "\""), which + " covers " + code);
            }
            for (String text : List.of(body, csv, single)) {
                assertFalse(text.contains("expected"), "no expected member without reveal");
                Set<String> leaks = new LinkedHashSet<>();
                for (Map<String, Tensor> section : List.of(g.gradients(), g.forward())) {
                    for (Tensor t : section.values()) {
                        for (double v : t.toArray()) {
                            renderings(v).stream().filter(text::contains).forEach(leaks::add);
                        }
                    }
                }
                assertTrue(leaks.isEmpty(), which + ": the response shows expected values " + leaks + ": " + text);
            }
        }
    }

    /**
     * How an expected number could be written: as Java and Jackson write doubles, and rounded to 3–6 significant
     * digits (plain and scientific). Numbers with fewer than three significant digits (1.0, -2.0, 0.5, 0) are left
     * out: they cannot be told apart from scores, counts, indices and shapes.
     */
    static Set<String> renderings(double v) {
        Set<String> out = new LinkedHashSet<>();
        double a = Math.abs(v);
        if (a == 0 || new BigDecimal(a).round(new MathContext(2)).compareTo(new BigDecimal(Double.toString(a))) == 0) {
            return out;
        }
        out.add(Double.toString(a));
        for (int digits = 3; digits <= 6; digits++) {
            BigDecimal r = new BigDecimal(a).round(new MathContext(digits));
            BigDecimal stripped = r.stripTrailingZeros();
            if (stripped.precision() < 3) {
                continue;
            }
            out.add(r.toPlainString());
            out.add(stripped.toPlainString());
            out.add(stripped.toString());
            out.add(Double.toString(stripped.doubleValue()));
        }
        return out;
    }

    @Test
    void theLeakScanWouldSeeARevealedValue() {
        String body = api().contentType(ContentType.JSON).body(request(RUNNING, Map.of("b", "[1, 2, 3]"), "\"reveal\": true"))
                .when().post("/v1/grade")
                .then().statusCode(200).extract().asString();
        double v = RUNNING_EXPECTED.gradients().get("b").get(0);
        assertTrue(renderings(v).stream().anyMatch(body::contains), body);
    }

    // ---- the batch ----

    /** 300 submissions with a known mix: W by i % 6, b by i % 5, an unknown name for every tenth. */
    static String batchOf300() {
        Map<String, Tensor> r = RUNNING_EXPECTED.gradients();
        Tensor w = r.get("W");
        Tensor b = r.get("b");
        Tensor wNoSigmoid = Problems.withoutDerivative(RUNNING_PROBLEM, 0).gradients().get("W");
        List<String> subs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Map<String, String> a = new LinkedHashMap<>();
            a.put("W", switch (i % 6) {
                case 0 -> json(w);
                case 1 -> json(Grader.transpose(w));
                case 2 -> json(w.map(v -> -v));
                case 3 -> json(w.map(v -> 2 * v));
                case 4 -> json(wNoSigmoid);
                default -> json(Problems.with(w, i % 15, 100));
            });
            a.put("b", switch (i % 5) {
                case 0 -> json(b.map(v -> v * 1.001));
                case 1 -> json(b.reshape(1, 3));
                case 2 -> "\"no idea\"";
                case 3 -> "[1, 2]";
                default -> "[1, 1, 1]";
            });
            if (i % 10 == 0) {
                a.put("w", json(w));
            }
            subs.add("{\"id\": \"s" + String.format("%03d", i) + "\", \"answers\": " + answers(a) + "}");
        }
        return "{\"problem\": " + RUNNING + ", \"submissions\": [" + String.join(", ", subs) + "]}";
    }

    @Test
    void aBatchOf300HasExactSummaryCounts() {
        String body = api().contentType(ContentType.JSON).body(batchOf300())
                .when().post("/v1/grade/batch")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("submissions.size()", equalTo(300))
                .body("submissions[0].id", equalTo("s000"))
                .body("submissions[0].score", equalTo(2.0 / 3))
                .body("submissions[0].total", equalTo(3))
                .body("submissions[0].correct", equalTo(2))
                .body("submissions[7].results.b.diagnosis", equalTo("invalid"))
                .body("submissions[299].id", equalTo("s299"))
                .extract().asString();
        JsonNode summary = Problems.json(body).get("summary");
        assertEquals(List.of("W", "b", "w"), List.copyOf(summary.propertyNames()));
        assertEquals(Problems.json("""
                {"correct": 50, "transposed": 50, "sign": 50, "scaled": 50, "missing_activation_derivative": 50, "partial": 50}"""),
                summary.get("W").get("counts"));
        assertEquals(50.0 / 300, summary.get("W").get("mean_score").doubleValue(), 1e-12);
        assertEquals(Problems.json("""
                {"correct": 60, "wrong_shape": 60, "transposed": 60, "wrong": 60, "invalid": 60}"""), summary.get("b").get("counts"));
        assertEquals(0.2, summary.get("b").get("mean_score").doubleValue(), 1e-12);
        assertEquals(Problems.json("{\"unknown_name\": 30}"), summary.get("w").get("counts"));
        assertEquals(0.0, summary.get("w").get("mean_score").doubleValue());
    }

    @Test
    void aBatchOf300AsCsv() {
        String csv = api().contentType(ContentType.JSON).accept("text/csv").body(batchOf300())
                .when().post("/v1/grade/batch")
                .then().statusCode(200).contentType(startsWith("text/csv"))
                .extract().asString();
        assertTrue(csv.endsWith("\r\n"));
        String[] rows = csv.split("\r\n", -1);
        assertEquals(1 + 300 * 2 + 30 + 1, rows.length, "header, one row per submission and answer, and the final CRLF");
        assertEquals("id,name,correct,diagnosis,score,feedback,points,max_points", rows[0]);
        assertEquals("s000,W,true,correct,1,,1,1", rows[1]);
        assertEquals("s000,b,true,correct,1,,1,1", rows[2]);
        assertTrue(rows[3].startsWith("s000,w,false,unknown_name,0,\"This problem has no quantity named \"\"w\"\" (did you mean \"\"W\"\"?)"), rows[3]);
        assertEquals("s001,W,false,transposed,0,\"You gave a 5×3 matrix, the transpose of what the shape convention wants:"
                + " W's shape: a 3×5 matrix. Read in that shape, it would be right.\",0,1", rows[4]);
        assertEquals("s002,W,false,sign,0,Every entry has the wrong sign.,0,1", rows[6]);
        assertEquals(300, Stream.of(rows).filter(row -> row.matches("s\\d{3},b,.*")).count());
        assertEquals(csv.split("\n", -1).length, rows.length, "no bare LF inside");
    }

    @Test
    void batchToleranceAndCsvQuoting() {
        String body = """
                {"problem": %s, "tolerance": {"mode": "sigfig", "digits": 3},
                 "submissions": [{"id": "alice", "answers": {"u": [0.996, 0.401, 0.786]}},
                                 {"id": "bob, \\"the\\" student", "answers": {"u": [-0.996, -0.401, -0.786]}}]}
                """.formatted(RUNNING);
        api().contentType(ContentType.JSON).body(body).when().post("/v1/grade/batch")
                .then().statusCode(200)
                .body("submissions[0].results.u.diagnosis", equalTo("correct"))
                .body("submissions[1].results.u.diagnosis", equalTo("sign"))
                .body("summary.u.counts.correct", equalTo(1))
                .body("summary.u.mean_score", equalTo(0.5));
        String csv = api().contentType(ContentType.JSON).accept("text/csv").body(body).when().post("/v1/grade/batch")
                .then().statusCode(200).extract().asString();
        assertEquals("id,name,correct,diagnosis,score,feedback,points,max_points\r\nalice,u,true,correct,1,,1,1\r\n"
                + "\"bob, \"\"the\"\" student\",u,false,sign,0,Every entry has the wrong sign.,0,1\r\n", csv);
    }

    @Test
    void decimalsToleranceOverHttp() {
        api().contentType(ContentType.JSON).body(request(RUNNING, Map.of("b", "[0.004, -0.481, 0.084]", "u", "[0.99, 0.4, 0.79]"),
                        "\"tolerance\": {\"mode\": \"decimals\", \"digits\": 2}"))
                .when().post("/v1/grade")
                .then().statusCode(200)
                .body("results.b.diagnosis", equalTo("correct"))
                .body("results.u.diagnosis", equalTo("partial"))
                .body("results.u.wrong_entries", contains(contains(0)));
    }

    @Test
    void aMalformedAnswerInABatchIsThatStudentsInvalidResult() {
        String body = """
                {"problem": %s, "submissions": [{"id": "a", "answers": {"b": [[1, 2], [3]]}}, {"id": "b", "answers": {"b": null}},
                  {"id": "c", "answers": {}}]}""".formatted(RUNNING);
        api().contentType(ContentType.JSON).body(body).when().post("/v1/grade/batch")
                .then().statusCode(200)
                .body("submissions[0].results.b.diagnosis", equalTo("invalid"))
                .body("submissions[1].results.b.diagnosis", equalTo("invalid"))
                .body("submissions[2].total", equalTo(0))
                .body("submissions[2].score", equalTo(0.0))
                .body("summary.b.counts.invalid", equalTo(2));
    }

    // ---- bad requests ----

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("/v1/grade", "{\"answers\": {}}", "problem"),
                Arguments.of("/v1/grade", "{\"problem\": " + RUNNING + "}", "answers"),
                Arguments.of("/v1/grade", "{\"problem\": " + RUNNING + ", \"answers\": [1]}", "answers"),
                Arguments.of("/v1/grade", "{\"problem\": " + RUNNING + ", \"answers\": {}, \"tolerance\": {\"mode\": \"ulp\"}}", "tolerance.mode"),
                Arguments.of("/v1/grade", "{\"problem\": " + RUNNING + ", \"answers\": {}, \"tolerance\": {\"mode\": \"sigfig\", \"digits\": 0}}", "tolerance.digits"),
                Arguments.of("/v1/grade", "{\"problem\": " + RUNNING + ", \"answers\": {}, \"tolerance\": {\"rtol\": -1}}", "tolerance.rtol"),
                Arguments.of("/v1/grade", "{\"problem\": " + RUNNING + ", \"answers\": {}, \"reveal\": \"yes\"}", "reveal"),
                Arguments.of("/v1/grade", "{\"problem\": " + RUNNING + ", \"answers\": {}, \"carry_forward_credit\": 2}", "carry_forward_credit"),
                Arguments.of("/v1/grade", "{\"problem\": " + RUNNING + ", \"answers\": {}, \"revel\": true}", "revel"),
                Arguments.of("/v1/grade", "{\"problem\": {\"network\": {\"layers\": [{\"type\": \"dense\", \"W\": [[1, 2]]}]}, \"x\": [1, 2, 3], "
                        + "\"loss\": {\"type\": \"score\"}}, \"answers\": {}}", "problem.network.layers[0].W"),
                Arguments.of("/v1/grade/batch", "{\"problem\": " + RUNNING + ", \"submissions\": []}", "submissions"),
                Arguments.of("/v1/grade/batch", "{\"problem\": " + RUNNING + ", \"submissions\": [{\"id\": \"a\", \"answers\": {}}, {\"id\": 7, \"answers\": {}}]}", "submissions[1].id"),
                Arguments.of("/v1/grade/batch", "{\"problem\": " + RUNNING + ", \"submissions\": [{\"id\": \"a\", \"answers\": {}}, {\"id\": \"a\", \"answers\": {}}]}", "submissions[1].id"),
                Arguments.of("/v1/grade/batch", "{\"problem\": " + RUNNING + ", \"submissions\": [{\"id\": \"a\", \"answers\": 3}]}", "submissions[0].answers"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("badRequests")
    void badGradingInputIs400NamingTheField(String path, String body, String field) {
        raw().contentType(ContentType.JSON).body(body).when().post(path)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-request"))
                .body("errors.path", hasItem(field));
    }

    @Test
    void moreSubmissionsThanTheLimitIs422() {
        StringBuilder subs = new StringBuilder();
        for (int i = 0; i <= 2000; i++) {
            subs.append(i == 0 ? "" : ",").append("{\"id\": \"").append(i).append("\", \"answers\": {}}");
        }
        api().contentType(ContentType.JSON).body("{\"problem\": " + RUNNING + ", \"submissions\": [" + subs + "]}")
                .when().post("/v1/grade/batch")
                .then().statusCode(422)
                .body("type", equalTo("/problems/limit-exceeded"))
                .body("limit", equalTo("chainrule.grading.max-submissions"))
                .body("max", equalTo(2000));
    }

    @Test
    void csvIsOnlyForTheBatch() {
        raw().contentType(ContentType.JSON).accept("text/csv").body(request(RUNNING, Map.of(), ""))
                .when().post("/v1/grade")
                .then().statusCode(406);
    }
}
