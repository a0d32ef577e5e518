package dev.chainrule;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a new user hits in the first hour (issue 15), one named test per trap, each through the contract validator:
 * the double squashing warnings, a softmax over one score, error wording and suggestions, shape errors at their
 * cause, unknown query parameters, rounding of grading's expected values, the 406 and the problem type pages.
 */
class FirstHourApiTest extends ApiTest {

    /** The lecture's running example (README), written as a person writes it. */
    private static final String RUNNING = """
            {"network": {"layers": [
               {"type": "dense", "W": [[0.1, 0.2, 0.3, 0.4, 0.5], [-0.5, 0.4, -0.3, 0.2, -0.1], [0.05, 0.0, -0.05, 0.1, 0.2]],
                "b": [0.1, -0.1, 0.0], "activation": "sigmoid"},
               {"type": "score", "u": [1.0, -2.0, 0.5]}]},
             "x": [1, 2, 3, 4, 5], "loss": {"type": "score"}}""";

    private static String lastLayer(String activation, String outputs, String loss) {
        return """
                {"network": {"layers": [{"type": "dense", "W": %s, "b": %s, "activation": "%s"}]},
                 "x": [1, -2], "loss": %s}""".formatted(outputs.equals("1") ? "[[0.5, -0.25]]" : "[[0.5, -0.25], [0.1, 0.3]]",
                outputs.equals("1") ? "[0.1]" : "[0.1, -0.2]", activation, loss);
    }

    private Response gradients(String body) {
        return api().contentType(ContentType.JSON).body(body).when().post("/v1/gradients");
    }

    /** A request the contract itself refuses (an unknown name, a wrong shape): sent outside the validator. */
    private Response invalid(String path, String body) {
        return raw().contentType(ContentType.JSON).body(body).when().post(path);
    }

    private static String message(Response r) {
        return r.then().extract().path("errors[0].message");
    }

    // ---- traps ----

    @Test
    void aSigmoidBeforeBinaryCrossEntropyIsComputedWithAWarning() {
        Response r = gradients(lastLayer("sigmoid", "1", "{\"type\": \"binary_cross_entropy\", \"y\": 1}"));
        r.then().statusCode(200)
                .body("warnings", hasSize(1))
                .body("warnings[0]", startsWith("the last layer already applies sigmoid and binary_cross_entropy applies it again"))
                .body("warnings[0]", containsString("did you mean identity?"));
        // computed as asked: J = −log σ(σ(z)), z = 0.5·1 − 0.25·(−2) + 0.1 = 1.1
        double h = 1 / (1 + Math.exp(-1.1));
        assertEquals(Math.log1p(Math.exp(-h)), r.then().extract().jsonPath().getDouble("forward.J"), 1e-12);
    }

    @Test
    void aSoftmaxBeforeSoftmaxCrossEntropyIsComputedWithAWarning() {
        gradients(lastLayer("softmax", "2", "{\"type\": \"softmax_cross_entropy\", \"y\": 0}"))
                .then().statusCode(200)
                .body("warnings", hasSize(1))
                .body("warnings[0]", startsWith("the last layer already applies softmax and softmax_cross_entropy applies it again"));
    }

    @Test
    void logitsIntoTheCrossEntropiesGiveNoWarnings() {
        gradients(lastLayer("identity", "1", "{\"type\": \"binary_cross_entropy\", \"y\": 1}"))
                .then().statusCode(200).body("warnings", nullValue());
        gradients(lastLayer("identity", "2", "{\"type\": \"softmax_cross_entropy\", \"y\": 0}"))
                .then().statusCode(200).body("warnings", nullValue());
        gradients(lastLayer("sigmoid", "2", "{\"type\": \"squared_error\", \"y\": [0, 1]}"))
                .then().statusCode(200).body("warnings", nullValue());
    }

    @Test
    void trainingASigmoidUnderBinaryCrossEntropyWarnsToo() {
        String body = """
                {"network": {"layers": [{"type": "dense", "W": [[0.5, -0.6]], "b": [0.1], "activation": "sigmoid"}]},
                 "batch": [[0, 1], [1, 0]], "loss": {"type": "binary_cross_entropy", "y": [1, 0]},
                 "learning_rate": 0.5, "steps": 3}""";
        api().contentType(ContentType.JSON).body(body).when().post("/v1/train").then().statusCode(200)
                .body("warnings", hasSize(1))
                .body("warnings[0]", startsWith("the last layer already applies sigmoid and binary_cross_entropy applies it again"));
        api().contentType(ContentType.JSON).body(body.replace("\"sigmoid\"", "\"identity\"")).when().post("/v1/train")
                .then().statusCode(200).body("warnings", nullValue());
    }

    @Test
    void aTransposedWDeeperInIsOneErrorToo() {
        String body = """
                {"network": {"layers": [
                   {"type": "dense", "W": [[1, 0], [0, 1], [1, 1], [0, 0]], "b": [0, 0, 0, 0], "activation": "relu"},
                   {"type": "dense", "W": [[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1]], "b": [0, 0, 0], "activation": "tanh"},
                   {"type": "score", "u": [1, -1, 0.5]}]},
                 "x": [1, 2], "loss": {"type": "score"}}""";
        invalid("/v1/gradients", body).then().statusCode(400)
                .body("errors", hasSize(1))
                .body("errors[0].path", equalTo("network.layers[1].W"))
                .body("errors[0].message", equalTo("W2 is 4×3 but h1 has 4 entries: W2 must be outputs × inputs, 3×4 — transposed?"));
    }

    @Test
    void theTextDerivationStartsWithTheWarning() {
        String text = api().contentType(ContentType.JSON).accept("text/plain")
                .body(lastLayer("sigmoid", "1", "{\"type\": \"binary_cross_entropy\", \"y\": 1}"))
                .when().post("/v1/gradients").then().statusCode(200).extract().asString();
        assertTrue(text.startsWith("Warning: the last layer already applies sigmoid"), text);
    }

    @Test
    void softmaxCrossEntropyOverOneScoreIsRefusedNamingTheLoss() {
        String body = RUNNING.replace("{\"type\": \"score\"}", "{\"type\": \"softmax_cross_entropy\", \"y\": 0}");
        assertTrue(body.contains("softmax_cross_entropy"), "the golden request changed: " + body);
        Response r = invalid("/v1/gradients", body);
        r.then().statusCode(400).body("errors", hasSize(1)).body("errors[0].path", equalTo("loss.type"));
        assertTrue(message(r).startsWith("softmax_cross_entropy over one score (the network ends in a score layer) is always 0"), message(r));
        // the same over a dense layer with a single output
        invalid("/v1/gradients", lastLayer("identity", "1", "{\"type\": \"softmax_cross_entropy\", \"y\": 0}"))
                .then().statusCode(400).body("errors[0].path", equalTo("loss.type"))
                .body("errors[0].message", containsString("use binary_cross_entropy"));
    }

    // ---- error wording ----

    @Test
    void anUnknownNameIsQuotedOnceWithTheNearestName() {
        Response r = invalid("/v1/gradients", lastLayer("sigmoud", "1", "{\"type\": \"squared_error\", \"y\": 1}"));
        r.then().statusCode(400).body("errors[0].path", equalTo("network.layers[0].activation"));
        assertTrue(message(r).startsWith("unknown activation \"sigmoud\" (did you mean \"sigmoid\"?): expected one of identity, relu,"), message(r));
        assertTrue(!message(r).contains("the string"), message(r));

        r = invalid("/v1/gradients", lastLayer("relu", "1", "{\"type\": \"squared_eror\", \"y\": 1}"));
        assertEquals("unknown loss \"squared_eror\" (did you mean \"squared_error\"?): expected one of score, squared_error,"
                + " softmax_cross_entropy, binary_cross_entropy, max_margin, mse, multiclass_svm", message(r));

        r = invalid("/v1/gradients", RUNNING.replace("\"type\": \"dense\"", "\"type\": \"Dense\""));
        assertEquals("unknown layer type \"Dense\" (did you mean \"dense\"?; names are case-sensitive): expected one of dense, score, embedding, layer_norm, dropout", message(r));

        r = invalid("/v1/gradients", RUNNING.replace("\"x\":", "\"reduction\": \"avg\", \"x\":"));
        assertEquals("unknown reduction \"avg\": expected one of mean, sum", message(r));

        r = invalid("/v1/gradients", lastLayer("relu", "1", "{\"type\": 3, \"y\": 1}"));
        assertEquals("expected a loss name (a string), one of score, squared_error, softmax_cross_entropy,"
                + " binary_cross_entropy, max_margin, mse, multiclass_svm, but got a number", message(r));

        r = raw().contentType(ContentType.JSON).body("{\"problem\": " + RUNNING + ", \"answers\": {},"
                + " \"tolerance\": {\"mode\": \"sigfigs\"}}").when().post("/v1/grade");
        r.then().statusCode(400);
        assertEquals("unknown tolerance mode \"sigfigs\" (did you mean \"sigfig\"?): expected one of absolute_relative, sigfig, decimals",
                message(r));
    }

    @Test
    void aWrongCaseActivationGetsTheRightCase() {
        for (String[] pair : new String[][] {{"ReLU", "relu"}, {"Sigmoid", "sigmoid"}, {"LeakyReLU", "leaky_relu"}}) {
            Response r = invalid("/v1/gradients", lastLayer(pair[0], "1", "{\"type\": \"squared_error\", \"y\": 1}"));
            r.then().statusCode(400);
            assertTrue(message(r).startsWith("unknown activation \"" + pair[0] + "\" (did you mean \"" + pair[1] + "\"?"), message(r));
        }
    }

    @Test
    void didYouMeanOnlyWhenCloseForTheWordsLength() {
        // "w" is W in another case, never "b"
        Response r = invalid("/v1/gradients", RUNNING.replace("\"W\":", "\"w\":"));
        String unknown = r.then().statusCode(400).extract().jsonPath().getList("errors.message", String.class).stream()
                .filter(m -> m.startsWith("unknown field \"w\"")).findFirst().orElseThrow();
        assertTrue(unknown.startsWith("unknown field \"w\" (did you mean \"W\"?"), unknown);
        // "lr" resembles nothing: no suggestion of "x"
        r = raw().contentType(ContentType.JSON).body(trainBody("\"lr\": 0.1, \"steps\": 3")).when().post("/v1/train");
        String lr = fieldMessage(r, "lr");
        assertTrue(lr.startsWith("unknown field \"lr\": "), lr);
        // "answer" is one letter from "answers"
        r = raw().contentType(ContentType.JSON).body("{\"problem\": " + RUNNING + ", \"answer\": {\"u\": [1, 2, 3]}}")
                .when().post("/v1/grade");
        assertTrue(fieldMessage(r, "answer").startsWith("unknown field \"answer\" (did you mean \"answers\"?)"), fieldMessage(r, "answer"));
    }

    @Test
    void trainingListsEveryFieldItTakes() {
        Response r = raw().contentType(ContentType.JSON).body(trainBody("\"learning_rat\": 0.1, \"steps\": 3, \"epochs\": 2"))
                .when().post("/v1/train");
        r.then().statusCode(400);
        assertTrue(fieldMessage(r, "learning_rat").startsWith("unknown field \"learning_rat\" (did you mean \"learning_rate\"?)"),
                fieldMessage(r, "learning_rat"));
        String epochs = fieldMessage(r, "epochs");
        for (String field : List.of("network", "batch", "loss", "reduction", "learning_rate", "steps", "batch_size", "seed")) {
            assertTrue(epochs.contains(field), field + " missing from: " + epochs);
        }
    }

    private static String trainBody(String training) {
        return """
                {"network": {"layers": [{"type": "dense", "W": [[0.5, -0.6]], "b": [0.1]}]},
                 "batch": [[0, 1], [1, 0]], "loss": {"type": "squared_error", "y": [1, 0]}, %s}""".formatted(training);
    }

    private static String fieldMessage(Response r, String path) {
        JsonPath json = r.then().statusCode(400).extract().jsonPath();
        List<String> paths = json.getList("errors.path", String.class);
        int i = paths.indexOf(path);
        assertTrue(i >= 0, "no error at " + path + " in " + r.asString());
        return json.getList("errors.message", String.class).get(i);
    }

    // ---- shape errors at their cause ----

    @Test
    void aTransposedWIsOneErrorThatSaysSo() {
        String body = """
                {"network": {"layers": [
                   {"type": "dense", "W": [[0.1, -0.5, 0.05], [0.2, 0.4, 0.0], [0.3, -0.3, -0.05], [0.4, 0.2, 0.1], [0.5, -0.1, 0.2]],
                    "b": [0.1, -0.1, 0.0], "activation": "sigmoid"},
                   {"type": "score", "u": [1.0, -2.0, 0.5]}]},
                 "x": [1, 2, 3, 4, 5], "loss": {"type": "score"}}""";
        invalid("/v1/gradients", body).then().statusCode(400)
                .body("errors", hasSize(1))
                .body("errors[0].path", equalTo("network.layers[0].W"))
                .body("errors[0].message", equalTo("W is 5×3 but x has 5 entries: W must be outputs × inputs, 3×5 — transposed?"));
    }

    @Test
    void xWrittenAsAColumnIsOneErrorThatSaysWriteItFlat() {
        invalid("/v1/gradients", RUNNING.replace("\"x\": [1, 2, 3, 4, 5]", "\"x\": [[1], [2], [3], [4], [5]]"))
                .then().statusCode(400)
                .body("errors", hasSize(1))
                .body("errors[0].path", equalTo("x"))
                .body("errors[0].message", containsString("write x as a flat list"));
    }

    // ---- query parameters, 406, 413, problem pages ----

    @Test
    void anUnknownQueryParameterIsRefusedOnEveryEndpoint() {
        String grade = "{\"problem\": " + RUNNING + ", \"answers\": {}}";
        String batch = "{\"problem\": " + RUNNING + ", \"submissions\": [{\"id\": \"a\", \"answers\": {}}]}";
        String train = trainBody("\"learning_rate\": 0.1, \"steps\": 2");
        List<Response> answers = new ArrayList<>(List.of(
                api().contentType(ContentType.JSON).body(RUNNING).when().post("/v1/gradients?digit=4"),
                api().contentType(ContentType.JSON).body(grade).when().post("/v1/grade?digit=4"),
                api().contentType(ContentType.JSON).body(batch).when().post("/v1/grade/batch?digit=4"),
                api().contentType(ContentType.JSON).body(train).when().post("/v1/train?digit=4"),
                api().when().get("/v1/examples?digit=4"),
                api().when().get("/v1/examples/xor?digit=4"),
                api().when().get("/openapi.yaml?digit=4"),
                api().when().get("/problems?digit=4"),
                api().when().get("/problems/invalid-request?digit=4")));
        for (Response r : answers) {
            r.then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("/problems/invalid-request"))
                    .body("errors[0].path", equalTo("digit"))
                    .body("errors[0].message", startsWith("unknown query parameter \"digit\""));
        }
        assertTrue(message(answers.get(0)).startsWith("unknown query parameter \"digit\" (did you mean \"digits\"?): /v1/gradients takes digits"),
                message(answers.get(0)));
        assertEquals("unknown query parameter \"digit\": /v1/examples takes no query parameters", message(answers.get(4)));
        // the parameters an endpoint does take still work
        api().contentType(ContentType.JSON).body(RUNNING).when().post("/v1/gradients?digits=4").then().statusCode(200);
        // the web pages are not API operations: a link's query on them is harmless
        raw().when().get("/?from=lecture-slides").then().statusCode(200);
        raw().when().get("/playground/main.js?v=2").then().statusCode(200);
    }

    @Test
    void digitsRoundsTheRevealedExpectedValuesOfGrading() {
        String body = "{\"problem\": " + RUNNING + ", \"answers\": {\"u\": [1, 2, 3]}, \"reveal\": true}";
        api().contentType(ContentType.JSON).body(body).when().post("/v1/grade?digits=3")
                .then().statusCode(200).body("results.u.expected", equalTo(List.of(0.996, 0.401, 0.786)));
        api().contentType(ContentType.JSON).body(body).when().post("/v1/grade")
                .then().statusCode(200).body("results.u.expected[0]", equalTo(0.9963157601005641));
        String batch = "{\"problem\": " + RUNNING + ", \"submissions\": [{\"id\": \"a\", \"answers\": {\"u\": [1, 2, 3]}}], \"reveal\": true}";
        api().contentType(ContentType.JSON).body(batch).when().post("/v1/grade/batch?digits=2")
                .then().statusCode(200).body("submissions[0].results.u.expected", equalTo(List.of(1.0, 0.4, 0.79)));
        raw().contentType(ContentType.JSON).body(body).when().post("/v1/grade?digits=0")
                .then().statusCode(400).body("errors[0].path", equalTo("digits"));
    }

    @Test
    void aNotAcceptableAnswerNamesTheTypesItCanReturn() {
        raw().contentType(ContentType.JSON).accept("image/png").body(RUNNING).when().post("/v1/gradients")
                .then().statusCode(406).contentType("application/problem+json")
                .body("type", equalTo("/problems/not-acceptable"))
                .body("detail", allOf(containsString("image/png"), containsString("application/json"), containsString("text/plain")));
    }

    @Test
    void everyProblemTypeResolvesToAPageThatExplainsIt() throws Exception {
        List<URI> types = new ArrayList<>();
        for (Field f : Class.forName("dev.chainrule.errors.ProblemTypes").getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == URI.class) {
                types.add((URI) f.get(null));
            }
        }
        assertTrue(types.size() >= 12, "the type constants were not found: " + types);
        String index = api().when().get("/problems").then().statusCode(200).contentType("text/html").extract().asString();
        for (URI type : types) {
            assertTrue(index.contains("href=\"" + type + "\""), type + " not listed in /problems");
            api().when().get(type.toString()).then().statusCode(200).contentType("text/html")
                    .body(allOf(containsString("<code>" + type + "</code>"), containsString("What it means"),
                            containsString("What to do")));
        }
        // as JSON, for a client that asks (the contract's schemas check every entry)
        List<String> listed = api().accept(ContentType.JSON).when().get("/problems").then().statusCode(200)
                .contentType("application/json").extract().path("problems.type");
        assertEquals(types.stream().map(URI::toString).sorted().toList(), listed.stream().sorted().toList());
        for (URI type : types) {
            api().accept("application/problem+json").when().get(type.toString()).then().statusCode(200)
                    .contentType("application/problem+json").body("type", equalTo(type.toString()));
        }
        api().when().get("/problems/no-such-thing").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("/problems/not-found"));
        api().when().get("/problems/invalid-requests").then().statusCode(404)
                .body("detail", equalTo("There is no problem type \"invalid-requests\" (did you mean \"invalid-request\"?);"
                        + " /problems lists them all."));
    }

    @Test
    void aProblemTypeFromARealErrorResolves() {
        String type = invalid("/v1/gradients", lastLayer("sigmoud", "1", "{\"type\": \"squared_error\", \"y\": 1}"))
                .then().statusCode(400).extract().path("type");
        api().when().get(type).then().statusCode(200).body(containsString("Invalid request"), not(containsString("Exception")));
    }
}
