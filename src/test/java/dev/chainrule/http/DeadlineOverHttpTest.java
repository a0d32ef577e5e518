package dev.chainrule.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.KinkTemplates;
import dev.chainrule.RawHttp;
import dev.chainrule.network.Golden;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A computation stops at its deadline, and when its client has gone (a regression test of issue 16, where an 11.7 KB
 * body took 41 s of CPU). Here the cost model is switched off (max-work huge) so that only the deadline and the
 * client can stop it.
 */
@LongWorkServer
class DeadlineOverHttpTest {

    @LocalServerPort
    private int port;

    @Autowired
    private ComputeGate gate;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A gradient check that needs minutes of CPU: 30,000 evaluations of a 3-layer gelu network on 64 examples. */
    static String minutesOfWork() {
        Random random = new Random(16);
        int n = 40;
        StringBuilder w = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            w.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < n; j++) {
                w.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", random.nextGaussian() * 0.2));
            }
            w.append(']');
        }
        w.append(']');
        String layer = "{\"type\": \"dense\", \"W\": " + w + ", \"activation\": \"gelu\"}";
        StringBuilder batch = new StringBuilder("[");
        for (int k = 0; k < 64; k++) {
            batch.append(k == 0 ? "[" : ",[");
            for (int j = 0; j < n; j++) {
                batch.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", random.nextGaussian()));
            }
            batch.append(']');
        }
        batch.append(']');
        return "{\"network\": {\"layers\": [" + layer + "," + layer + "," + layer + ", {\"type\": \"score\", \"u\": "
                + "[" + "1,".repeat(n - 1) + "1]}]}, \"batch\": " + batch + ", \"loss\": {\"type\": \"score\"},"
                + " \"options\": {\"steps\": false, \"gradient_check\": true}}";
    }

    @Test
    void aComputationPastItsDeadlineIs503WithRetryAfterAndFreesItsSlot() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/gradients"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(minutesOfWork())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Retry-After").isPresent());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        JsonNode p = Golden.json().readTree(r.body());
        assertEquals("/problems/deadline-exceeded", p.get("type").asString());
        // the computation stopped itself before the answer was written: its slot is free, the next is served
        assertEquals(0, gate.running());
        HttpResponse<String> next = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/gradients"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Golden.request("cs224n-score")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, next.statusCode());
    }

    @Test
    void variantDrawsStopAtTheDeadlineToo() throws Exception {
        // a relu layer of zeros, 600 wide on a batch of 600: every draw lands on a kink, and each is a pass of the
        // network, so its 100 draws take many times the deadline
        String body = "{\"template\": " + KinkTemplates.allKinks(600) + ", \"seed\": 1}";
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/variants"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("/problems/deadline-exceeded", Golden.json().readTree(r.body()).get("type").asString());
        assertEquals(0, gate.running());
    }
}
