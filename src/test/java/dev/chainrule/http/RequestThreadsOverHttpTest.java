package dev.chainrule.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Tomcat serves on {@link RequestThreads}: two threads here, and while two long computations hold them, a
 * health probe is still answered at once, on a thread beside the held ones.
 */
@LongWorkServer
class RequestThreadsOverHttpTest {

    @LocalServerPort
    private int port;

    @Autowired
    private ComputeGate gate;

    @Autowired
    private RequestThreads threads;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aProbeIsAnsweredAtOnceWhileLongComputationsHoldTheBaseThreads() throws Exception {
        long addedBefore = threads.added();
        List<CompletableFuture<HttpResponse<String>>> heavy = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            heavy.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/gradients"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(DeadlineOverHttpTest.minutesOfWork())).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gate.running() < 2 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(gate.running()).as("both computations running").isEqualTo(2);

        long asked = System.nanoTime();
        HttpResponse<String> probe = client.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health/liveness")).build(), HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - asked);
        assertThat(probe.statusCode()).isEqualTo(200);
        // the computations run for 3 s (their deadline); the probe does not wait for them
        assertThat(took).isLessThan(Duration.ofSeconds(1));
        assertThat(gate.running()).as("the computations still running when the probe was answered").isEqualTo(2);
        // a third thread answered it: added now, or added earlier (another class on this server held threads) and
        // not retired yet, as a spare thread is only once it finishes a request
        assertThat(threads.threads()).as("threads beside the two held ones (%d added during the probe)",
                threads.added() - addedBefore).isGreaterThanOrEqualTo(3);

        for (CompletableFuture<HttpResponse<String>> h : heavy) {
            assertThat(h.get().statusCode()).isEqualTo(503);
        }
    }
}
