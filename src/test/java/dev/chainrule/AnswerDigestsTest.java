package dev.chainrule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Byte-identity of the answers: every golden case (networks and graphs) and every example is posted in the ways a
 * client reads it — JSON as posted; JSON with LaTeX, Jacobian form, the gradient check and an SGD step; text — each
 * at full precision and with {@code ?digits=3}, and each network also with L2 regularization — and the SHA-256 of
 * every answer (status and body) must equal the one recorded in {@code src/test/resources/answer-digests.txt}.
 *
 * <p>A refactoring must leave that file unchanged. A deliberate change to the answers re-records it in a commit of
 * its own, whose message shows the before/after diff: {@code ./mvnw -B test -Dtest=AnswerDigestsTest
 * -Danswers.record=true} rewrites the digests and writes every answer under {@code target/answers/} (one file per
 * case and variant), so {@code diff -r} between the trees of two commits shows what changed. When the check fails,
 * the answers of this run are written there too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AnswerDigestsTest {

    private static final Path DIGESTS = Path.of("src/test/resources/answer-digests.txt");
    private static final Path ANSWERS = Path.of("target/answers");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    /** One request: a case posted one way. */
    private record Call(String name, String path, String accept, String body) {
    }

    @Test
    void everyGoldenCaseAndExampleAnswersExactlyAsRecorded() throws Exception {
        Map<String, String> answers = new LinkedHashMap<>();
        Map<String, String> digests = new LinkedHashMap<>();
        for (Call call : calls()) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + call.path()))
                    .header("Content-Type", "application/json").header("Accept", call.accept())
                    .POST(HttpRequest.BodyPublishers.ofString(call.body())).build(), HttpResponse.BodyHandlers.ofString());
            String answer = response.statusCode() + "\n" + response.body();
            answers.put(call.name(), answer);
            digests.put(call.name(), sha256(answer));
        }
        StringBuilder text = new StringBuilder();
        digests.forEach((name, digest) -> text.append(name).append(' ').append(digest).append('\n'));
        if (Boolean.getBoolean("answers.record")) {
            Files.writeString(DIGESTS, text);
            write(answers);
            return;
        }
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DIGESTS)) {
            int space = line.indexOf(' ');
            recorded.put(line.substring(0, space), line.substring(space + 1));
        }
        List<String> changed = new ArrayList<>();
        digests.forEach((name, digest) -> {
            if (!digest.equals(recorded.get(name))) {
                changed.add(name);
            }
        });
        recorded.keySet().stream().filter(name -> !digests.containsKey(name)).forEach(name -> changed.add(name + " (gone)"));
        if (!changed.isEmpty()) {
            write(answers);
            fail(changed.size() + " of " + recorded.size() + " answers differ from answer-digests.txt (this run's answers are in "
                    + ANSWERS + "; record the old commit's with -Danswers.record=true and diff -r): "
                    + changed.subList(0, Math.min(20, changed.size())));
        }
        assertEquals(recorded.size(), digests.size());
    }

    /** Every case posted every way, in a fixed order. */
    private static List<Call> calls() throws IOException {
        List<Call> calls = new ArrayList<>();
        for (Path file : files("golden")) {
            JsonNode golden = read(file);
            network(calls, "golden/" + stem(file), (ObjectNode) golden.get("request"));
            grade(calls, "golden/" + stem(file), golden);
        }
        for (Path file : files("golden-graph")) {
            JsonNode golden = read(file);
            graph(calls, "golden-graph/" + stem(file), (ObjectNode) golden.get("request"));
            grade(calls, "golden-graph/" + stem(file), golden);
        }
        JsonNode index = read(Path.of("src/main/resources/examples/index.json"));
        for (JsonNode entry : index) {
            String id = entry.get("id").asString();
            ObjectNode body = (ObjectNode) read(Path.of("src/main/resources/examples", id + ".json"));
            if (entry.get("endpoint").asString().equals("/v1/graph")) {
                graph(calls, "examples/" + id, body);
            } else {
                network(calls, "examples/" + id, body);
            }
        }
        return calls;
    }

    private static void network(List<Call> calls, String name, ObjectNode request) {
        ways(calls, name, "/v1/gradients", request);
        if (!request.has("regularization")) {
            ObjectNode l2 = request.deepCopy();
            l2.putObject("regularization").put("l2", 0.01);
            ways(calls, name + "+l2", "/v1/gradients", l2);
        }
    }

    private static void graph(List<Call> calls, String name, ObjectNode request) {
        ways(calls, name, "/v1/graph", request);
    }

    /** As posted, with every rendering option on, and as text; each at full precision and at three digits. */
    private static void ways(List<Call> calls, String name, String path, ObjectNode request) {
        ObjectNode all = request.deepCopy();
        ObjectNode options = all.has("options") ? (ObjectNode) all.get("options") : all.putObject("options");
        options.put("latex", true);
        if (path.equals("/v1/gradients")) {
            options.put("jacobian_form", true);
            options.put("gradient_check", true);
            options.putObject("sgd").put("learning_rate", 0.1);
        }
        for (String digits : List.of("", "?digits=3")) {
            String suffix = digits.isEmpty() ? "" : "@3";
            calls.add(new Call(name + "/json" + suffix, path + digits, "application/json", request.toString()));
            calls.add(new Call(name + "/options" + suffix, path + digits, "application/json", all.toString()));
            calls.add(new Call(name + "/text" + suffix, path + digits, "text/plain", request.toString()));
        }
    }

    /**
     * The case graded with PyTorch's gradients, each answered one way in turn: right, negated, transposed (a
     * matrix) or doubled, left out, in one row where it has several; the feedback is the answer.
     */
    private static void grade(List<Call> calls, String name, JsonNode golden) {
        ObjectNode body = JSON.createObjectNode();
        body.set("problem", golden.get("request"));
        ObjectNode answers = body.putObject("answers");
        tools.jackson.databind.node.ArrayNode questions = body.putArray("questions");
        int i = 0;
        for (Map.Entry<String, JsonNode> e : golden.get("response").get("gradients").properties()) {
            JsonNode value = e.getValue();
            questions.add(e.getKey());
            switch (i++ % 5) {
                case 0 -> answers.set(e.getKey(), value);
                case 1 -> answers.set(e.getKey(), map(value, -1));
                case 2 -> answers.set(e.getKey(), value.isArray() && value.get(0).isArray() ? transpose(value) : map(value, 2));
                case 3 -> { } // asked, not answered
                default -> answers.set(e.getKey(), value.isArray() && value.size() > 1 ? flatten(value) : map(value, 0.5));
            }
        }
        calls.add(new Call(name + "/grade", "/v1/grade", "application/json", body.toString()));
    }

    private static JsonNode map(JsonNode value, double factor) {
        if (value.isNumber()) {
            return JSON.getNodeFactory().numberNode(value.asDouble() * factor);
        }
        tools.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
        value.forEach(v -> out.add(map(v, factor)));
        return out;
    }

    private static JsonNode transpose(JsonNode m) {
        tools.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
        for (int c = 0; c < m.get(0).size(); c++) {
            tools.jackson.databind.node.ArrayNode row = out.addArray();
            for (JsonNode r : m) {
                row.add(r.get(c));
            }
        }
        return out;
    }

    /** A vector as a 1×n row, a matrix as one row of its entries. */
    private static JsonNode flatten(JsonNode value) {
        tools.jackson.databind.node.ArrayNode row = JSON.createArrayNode();
        value.forEach(v -> {
            if (v.isArray()) {
                v.forEach(row::add);
            } else {
                row.add(v);
            }
        });
        tools.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
        out.add(row);
        return out;
    }

    private static List<Path> files(String dir) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/test/resources", dir))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".json".length());
    }

    private static JsonNode read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Map<String, String> answers) throws IOException {
        for (Map.Entry<String, String> e : answers.entrySet()) {
            Path file = ANSWERS.resolve(e.getKey() + ".txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
