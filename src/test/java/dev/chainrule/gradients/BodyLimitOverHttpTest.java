package dev.chainrule.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.network.Golden;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The body limit on the real server, both ways a client can send a body: with a Content-Length over the limit
 * (refused before reading) and chunked, with no length given (refused as soon as the limit is crossed).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "chainrule.limits.max-body-bytes=10000")
class BodyLimitOverHttpTest {

    @LocalServerPort
    private int port;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static byte[] bigBody() {
        return ("{\"x\": [" + "1, ".repeat(20_000) + "1]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedWith413() throws Exception {
        assertTooLarge(send(HttpRequest.BodyPublishers.ofByteArray(bigBody())));
    }

    @Test
    void aChunkedBodyIsRefusedOnceItCrossesTheLimit() throws Exception {
        // ofInputStream has no known length, so the client sends the body chunked
        assertTooLarge(send(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bigBody()))));
    }

    @Test
    void aBodyUnderTheLimitIsAnswered() throws Exception {
        HttpResponse<String> r = send(HttpRequest.BodyPublishers.ofString(Golden.request("cs224n-score")));
        assertEquals(200, r.statusCode());
    }

    private HttpResponse<String> send(HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/gradients"))
                .header("Content-Type", "application/json").POST(body).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertTooLarge(HttpResponse<String> r) {
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        JsonNode problem = Golden.json().readTree(r.body());
        assertEquals("/problems/body-too-large", problem.get("type").asString());
        assertEquals("chainrule.limits.max-body-bytes", problem.get("limit").asString());
        assertEquals(10000, problem.get("max").intValue());
        // both ways, refused in the filter or while Spring reads the body, the 413 names the request (issue 15)
        assertEquals("/v1/gradients", problem.path("instance").asString(), r.body());
    }
}
