package dev.chainrule.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.network.Golden;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A 4 MiB body of 1.4 million bad entries ({@code {"x":[{},{},…]}}) is answered with 50 of them listed and the rest
 * counted, and 24 such bodies at once leave the service answering (a regression test of issue 16, where the answer
 * was 98 MB of errors and 24 of them ran the service out of memory).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BoundedErrorsOverHttpTest {

    /** The largest body the default limit admits, of nothing but bad entries. */
    static final byte[] MILLION_BAD_ENTRIES;

    static {
        int entries = (4 * 1024 * 1024 - 16) / 3;
        StringBuilder b = new StringBuilder(4 * 1024 * 1024).append("{\"x\":[{}");
        b.append(",{}".repeat(entries - 1)).append("]}");
        MILLION_BAD_ENTRIES = b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @LocalServerPort
    private int port;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private HttpRequest badBody() {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/gradients"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(MILLION_BAD_ENTRIES)).build();
    }

    @Test
    void aMillionBadEntriesAnswerFiftyAndACount() throws Exception {
        assertTrue(MILLION_BAD_ENTRIES.length <= 4 * 1024 * 1024);
        HttpResponse<String> r = client.send(badBody(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().length() < 8_000, "the error answer has " + r.body().length() + " characters");
        JsonNode p = Golden.json().readTree(r.body());
        JsonNode errors = p.get("errors");
        assertEquals(FieldErrors.MAX_LISTED + 1, errors.size());
        assertEquals("x[0]", errors.get(0).get("path").asString());
        // every entry of x, and network missing
        long problems = (MILLION_BAD_ENTRIES.length - 10) / 3 + 1 + 1;
        String more = errors.get(errors.size() - 1).get("message").asString();
        assertTrue(more.startsWith("and " + (problems - FieldErrors.MAX_LISTED) + " more problems"), more);
        assertTrue(p.get("detail").asString().startsWith(problems + " problems"), p.get("detail").asString());
    }

    @Test
    void twentyFourAtOnceLeaveLivenessAnswering() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            flood.add(client.sendAsync(badBody(), HttpResponse.BodyHandlers.ofString()));
        }
        HttpResponse<String> live = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/actuator/health/liveness")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, live.statusCode());
        for (CompletableFuture<HttpResponse<String>> f : flood) {
            HttpResponse<String> r = f.get();
            // each is refused in full (400) or, while memory is taken by the others, told to come back (503)
            assertTrue(r.statusCode() == 400 || r.statusCode() == 503, r.statusCode() + " " + r.body());
            assertTrue(r.body().length() < 8_000);
        }
    }
}
