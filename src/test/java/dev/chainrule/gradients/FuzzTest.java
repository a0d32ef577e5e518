package dev.chainrule.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.network.Golden;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends over ten thousand random and mutated request bodies to the running server (mutations of the golden
 * requests: fields dropped, duplicated, retyped, made huge or tiny, text cut or spliced) and checks that no answer
 * is a 5xx, every error is problem+json with a type, title and status, and every 200 holds only finite numbers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FuzzTest {

    private static final int BODIES = 10_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @LocalServerPort
    private int port;

    @Test
    void noBodyMakesTheServiceFail() throws Exception {
        Random random = new Random(424242);
        List<JsonNode> seeds = new ArrayList<>();
        for (Path file : Golden.cases()) {
            seeds.add(Golden.read(file).get("request"));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < BODIES; i++) {
            JsonNode seed = seeds.get(random.nextInt(seeds.size()));
            String body = random.nextInt(5) == 0 ? mutateText(seed.toString(), random) : mutateTree(seed, random).toString();
            Answer response = post(body);
            statuses.merge(response.status(), 1, Integer::sum);
            check(body, response);
        }
        assertTrue(statuses.getOrDefault(200, 0) > 100, "some mutations stay valid: " + statuses);
        assertTrue(statuses.getOrDefault(400, 0) > 1000, "most are refused: " + statuses);
    }

    /** An answer as the client sees it. */
    private record Answer(int status, String contentType, String body) {
    }

    /**
     * One request on a kept-alive connection. HttpURLConnection rather than java.net.http's client: a blocking
     * socket on the test's thread instead of a selector thread and futures, which took the test's side of the ten
     * thousand requests (mutating, sending, reading the answers) from 10.8 to 6.1 s of CPU; the server sees the same
     * bytes.
     */
    private Answer post(String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://localhost:" + port + "/v1/gradients").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        c.setFixedLengthStreamingMode(bytes.length);
        c.getOutputStream().write(bytes);
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(status, c.getContentType() == null ? "" : c.getContentType(), text);
        }
    }

    private static void check(String body, Answer response) {
        int status = response.status();
        String what = "for body " + abbreviate(body) + " got " + status + " " + abbreviate(response.body());
        if (status >= 500) {
            fail("5xx " + what);
        }
        String contentType = response.contentType();
        JsonNode answer = Golden.json().readTree(response.body());
        if (status == 200) {
            assertTrue(contentType.startsWith("application/json"), what);
            assertFinite(answer, what);
        } else {
            assertTrue(contentType.startsWith("application/problem+json"), "not problem+json " + what);
            assertTrue(answer.get("type").isString() && answer.get("title").isString(), what);
            assertEquals(status, answer.get("status").intValue(), what);
            assertTrue(!response.body().contains("Exception") && !response.body().contains("\tat "), "internals leak " + what);
        }
    }

    private static void assertFinite(JsonNode node, String what) {
        if (node.isNumber()) {
            assertTrue(Double.isFinite(node.doubleValue()), "non-finite number " + what);
        } else if (node.isString()) {
            String s = node.asString();
            assertTrue(!s.equals("NaN") && !s.contains("Infinity"), "non-finite text " + what);
        } else {
            for (JsonNode child : node.values()) {
                assertFinite(child, what);
            }
        }
    }

    // ---- mutations ----

    static JsonNode mutateTree(JsonNode seed, Random r) {
        JsonNode copy = seed.deepCopy();
        int mutations = 1 + r.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            List<JsonNode> containers = new ArrayList<>();
            collect(copy, containers);
            JsonNode target = containers.get(r.nextInt(containers.size()));
            if (target instanceof ObjectNode object && !object.isEmpty()) {
                List<String> names = new ArrayList<>(object.propertyNames());
                String name = names.get(r.nextInt(names.size()));
                switch (r.nextInt(4)) {
                    case 0 -> object.remove(name);
                    case 1 -> object.set(name, strange(r, object.get(name)));
                    case 2 -> object.set(name + (r.nextBoolean() ? "" : "x"), object.get(name).deepCopy());
                    default -> object.set(new String[] {"type", "activation", "y", "x_c", "alpha", "options", "reduction"}[r.nextInt(7)],
                            strange(r, object.get(name)));
                }
            } else if (target instanceof ArrayNode array && !array.isEmpty()) {
                int i = r.nextInt(array.size());
                switch (r.nextInt(4)) {
                    case 0 -> array.remove(i);
                    case 1 -> array.set(i, strange(r, array.get(i)));
                    case 2 -> array.add(array.get(i).deepCopy());
                    default -> {
                        for (int k = 0; k < 1 + r.nextInt(50); k++) {
                            array.add(array.get(i).deepCopy());
                        }
                    }
                }
            }
        }
        return copy;
    }

    private static JsonNode strange(Random r, JsonNode like) {
        return switch (r.nextInt(14)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.stringNode("1.5");
            case 2 -> NODES.booleanNode(r.nextBoolean());
            case 3 -> NODES.numberNode(1e300 * (r.nextBoolean() ? 1 : -1));
            case 4 -> NODES.numberNode(4.9e-324);
            case 5 -> NODES.numberNode(-r.nextInt(5));
            case 6 -> NODES.numberNode(r.nextInt(10));
            case 7 -> NODES.numberNode(r.nextGaussian() * 1e6);
            case 8 -> NODES.arrayNode();
            case 9 -> NODES.objectNode();
            case 10 -> NODES.stringNode(new String[] {"dense", "score", "relu", "softmax", "max_margin", "sum", "mean"}[r.nextInt(7)]);
            case 11 -> {
                ArrayNode a = NODES.arrayNode();
                a.add(like == null ? NODES.nullNode() : like.deepCopy());
                yield a;
            }
            case 12 -> like != null && like.isArray() && !like.isEmpty() ? like.get(0).deepCopy() : NODES.numberNode(0);
            default -> {
                ArrayNode a = NODES.arrayNode();
                int n = r.nextInt(300);
                for (int i = 0; i < n; i++) {
                    a.add(r.nextGaussian());
                }
                yield a;
            }
        };
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isContainer()) {
            into.add(node);
            for (JsonNode child : node.values()) {
                collect(child, into);
            }
        }
    }

    static String mutateText(String text, Random r) {
        int at = r.nextInt(text.length());
        return switch (r.nextInt(6)) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + r.nextInt(10)));
            case 2 -> text.substring(0, at) + new String[] {"NaN", "Infinity", "1e400", "-0", "\"", "{", "]", ",", "null", "\\u0000"}[r.nextInt(10)] + text.substring(at);
            case 3 -> text.substring(0, at) + text.substring(r.nextInt(text.length()));
            case 4 -> "[".repeat(1 + r.nextInt(2000)) + text;
            default -> text.replace(':', r.nextBoolean() ? '=' : ':').replace("1", "1" + "0".repeat(r.nextInt(400)));
        };
    }

    private static String abbreviate(String s) {
        return s.length() < 300 ? s : s.substring(0, 300) + "…";
    }
}
