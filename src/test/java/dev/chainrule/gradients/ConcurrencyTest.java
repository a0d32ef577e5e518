package dev.chainrule.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.config.Limits;
import dev.chainrule.network.Golden;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Many different requests from many threads at once: each answer equals the same request's answer sent alone.
 * {@value #CLIENTS} clients at once stay within the default queue ({@code max-queued}, 128), so none is refused and
 * every answer can be compared.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConcurrencyTest {

    private static final int CLIENTS = 16;

    @LocalServerPort
    private int port;

    @Autowired
    private Limits limits;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void concurrentAnswersEqualTheAnswersAlone() throws Exception {
        assertTrue(limits.maxConcurrent() + limits.maxQueued() >= CLIENTS, "the queue must hold every client: " + limits);
        List<String> bodies = new ArrayList<>();
        for (Path file : Golden.cases()) {
            bodies.add(Golden.read(file).get("request").toString());
        }
        List<String> alone = new ArrayList<>();
        for (String body : bodies) {
            alone.add(post(body));
        }
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<String>> answers = new ArrayList<>();
            List<Integer> which = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < bodies.size(); i++) {
                    int k = (i * 7 + round) % bodies.size();
                    which.add(k);
                    Callable<String> call = () -> post(bodies.get(k));
                    answers.add(pool.submit(call));
                }
            }
            for (int i = 0; i < answers.size(); i++) {
                assertEquals(alone.get(which.get(i)), answers.get(i).get(), "request #" + which.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private String post(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/gradients"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }
}
