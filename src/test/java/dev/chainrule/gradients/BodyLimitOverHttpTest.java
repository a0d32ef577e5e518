package dev.chainrule.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.config.Limits;
import dev.chainrule.network.Golden;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The body limit on the real server, both ways a client can send a body: with a Content-Length over the limit
 * (refused before reading) and chunked, with no length given (refused as soon as the limit is crossed). The limit is
 * the default one (4 MiB), and the body 30 kB over it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BodyLimitOverHttpTest {

    @LocalServerPort
    private int port;

    @Autowired
    private Limits limits;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private byte[] bigBody() {
        return ("{\"x\": [" + "1, ".repeat((int) (limits.maxBodyBytes() / 3) + 10_000) + "1]}").getBytes(StandardCharsets.UTF_8);
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

    private void assertTooLarge(HttpResponse<String> r) {
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        JsonNode problem = Golden.json().readTree(r.body());
        assertEquals("/problems/body-too-large", problem.get("type").asString());
        assertEquals("chainrule.limits.max-body-bytes", problem.get("limit").asString());
        assertEquals(limits.maxBodyBytes(), problem.get("max").longValue());
        // both ways, refused in the filter or while Spring reads the body, the 413 names the request (issue 15)
        assertEquals("/v1/gradients", problem.path("instance").asString(), r.body());
    }
}
