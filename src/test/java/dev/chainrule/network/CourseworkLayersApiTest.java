package dev.chainrule.network;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.ApiTest;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The coursework layers and losses everywhere a layer works, over HTTP and through the OpenAPI validator: each
 * golden-layers case with every rendering option (steps, Jacobian form, LaTeX, the gradient check, an SGD step), as
 * text, graded (PyTorch's gradients right, then negated), trained and posted back, and drawn as a variant.
 */
class CourseworkLayersApiTest extends ApiTest {

    static List<Path> cases() {
        return Golden.layerCases();
    }

    private static ObjectNode request(Path file) {
        return (ObjectNode) Golden.read(file).get("request").deepCopy();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyOptionAndTheText(Path file) {
        ObjectNode body = request(file);
        body.putObject("options").put("latex", true).put("jacobian_form", true).put("gradient_check", true)
                .putObject("sgd").put("learning_rate", 0.1);
        JsonNode answer = post("/v1/gradients", body);
        List<String> stepped = new ArrayList<>();
        answer.get("steps").forEach(step -> stepped.add(step.has("gradient") ? step.get("gradient").asString() : null));
        // one step per gradient but J's own (a penalised weight would have two)
        assertEquals(answer.get("gradients").size() - 1, stepped.stream().distinct().count(), file + ": " + stepped);
        assertEquals(answer.get("latex").get("steps").size(), stepped.size());
        JsonNode check = answer.get("gradient_check");
        String verdict = check.get("verdict").asString();
        assertTrue(!verdict.equals("suspicious") || !check.path("kinks").isEmpty(), file + ": " + check.get("results"));
        assertEquals(answer.get("updated").size(), check.get("results").propertyNames().stream()
                .filter(k -> !k.equals("x") && !k.equals("x_c")).count());
        api().contentType(ContentType.JSON).accept("text/plain").body(request(file).toString()).when().post("/v1/gradients")
                .then().statusCode(200).body(containsString("Backward pass")).body(containsString("Gradients (shape convention"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradedRightThenWithTheSignsWrong(Path file) {
        JsonNode golden = Golden.read(file);
        JsonNode expected = golden.get("response").get("gradients");
        ObjectNode body = Golden.json().createObjectNode();
        body.set("problem", golden.get("request"));
        body.set("answers", expected);
        assertEquals(1.0, post("/v1/grade", body).get("score").asDouble());
        ObjectNode negated = Golden.json().createObjectNode();
        expected.properties().forEach(e -> negated.set(e.getKey(), scaled(e.getValue(), -1)));
        body.set("answers", negated);
        post("/v1/grade", body).get("results").properties().forEach(r -> assertTrue(
                List.of("sign", "correct").contains(r.getValue().get("diagnosis").asString()),
                file + " " + r.getKey() + ": " + r.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trainedAndPostedBack(Path file) {
        ObjectNode body = request(file);
        body.put("learning_rate", 0.05).put("steps", 3);
        JsonNode trained = post("/v1/train", body);
        assertEquals(4, trained.get("loss_curve").size());
        List<String> types = new ArrayList<>();
        request(file).get("network").get("layers").forEach(l -> types.add(l.get("type").asString()));
        List<String> trainedTypes = new ArrayList<>();
        trained.get("network").get("layers").forEach(l -> trainedTypes.add(l.get("type").asString()));
        assertEquals(types, trainedTypes);
        ObjectNode again = request(file);
        again.set("network", trained.get("network"));
        api().contentType(ContentType.JSON).body(again.toString()).when().post("/v1/gradients").then().statusCode(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void drawnAsAVariantThatPostsBack(Path file) {
        ObjectNode template = request(file);
        // every parameter of the first layer drawn anew; settings (masks, words, targets) kept
        ObjectNode first = (ObjectNode) template.get("network").get("layers").get(0);
        for (String field : List.of("W", "L", "gamma", "beta")) {
            JsonNode value = first.get(field);
            if (value != null) {
                ObjectNode vary = first.putObject(field).putObject("vary");
                vary.put("min", -1).put("max", 1).put("step", 0.1);
                ArrayNode shape = vary.putArray("shape");
                shape.add(value.size());
                if (value.get(0).isArray()) {
                    shape.add(value.get(0).size());
                }
            }
        }
        String variant = api().contentType(ContentType.JSON).body("{\"template\": " + template + ", \"seed\": 7}")
                .when().post("/v1/variants").then().statusCode(200).extract().asString();
        api().contentType(ContentType.JSON).body(variant).when().post("/v1/gradients")
                .then().statusCode(oneOf(200));
    }

    /**
     * Posts {@code body} (through the contract's checks), expects 200 and reads the answer with Jackson: RestAssured
     * would compile a Groovy script for every path read from it.
     */
    private JsonNode post(String path, JsonNode body) {
        return Golden.json().readTree(api().contentType(ContentType.JSON).body(body.toString()).when().post(path)
                .then().statusCode(200).extract().asString());
    }

    private static JsonNode scaled(JsonNode value, double factor) {
        if (value.isNumber()) {
            return Golden.json().getNodeFactory().numberNode(value.asDouble() * factor);
        }
        ArrayNode out = Golden.json().createArrayNode();
        value.forEach(v -> out.add(scaled(v, factor)));
        return out;
    }
}
