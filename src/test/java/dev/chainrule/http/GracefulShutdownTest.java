package dev.chainrule.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.OwnApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A request still computing when the service is told to stop is answered before it exits: a computation stops at its
 * deadline, well inside the shutdown grace (a regression test of issue 16, where such a request lost its connection
 * with no answer).
 */
class GracefulShutdownTest {

    @Test
    void aComputationInFlightAtShutdownIsAnsweredBeforeTheServiceExits() throws Exception {
        ConfigurableApplicationContext context = OwnApplication.builder()
                .run("--server.port=0", "--chainrule.limits.max-work=1000000000000000", "--chainrule.limits.deadline=3s",
                        "--spring.lifecycle.timeout-per-shutdown-phase=30s", "--logging.level.dev.chainrule.requests=WARN");
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        ComputeGate gate = context.getBean(ComputeGate.class);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/gradients"))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(DeadlineOverHttpTest.minutesOfWork())).build(),
                HttpResponse.BodyHandlers.ofString());
        long until = System.currentTimeMillis() + 60_000;
        while (gate.running() == 0 && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertEquals(1, gate.running(), "the computation did not start");
        long start = System.nanoTime();
        context.close(); // SIGTERM: graceful shutdown
        long closedAfter = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        HttpResponse<String> answer = inFlight.get(10, TimeUnit.SECONDS);
        // answered, not cut off: the computation ran out its deadline and said so
        assertEquals(503, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("/problems/deadline-exceeded"), answer.body());
        assertTrue(closedAfter < 30, "the shutdown waited the whole grace period: " + closedAfter + " s");
    }
}
