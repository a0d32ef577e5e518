package dev.chainrule.gradients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chainrule.http.Answers;
import dev.chainrule.http.HeldSlot;
import dev.chainrule.http.SelfRequests;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * After the in-process step, the warm-up posts the examples to the running server over HTTP, as a client would; its
 * requests are not counted in {@code http.server.requests}, while a client's are, even one that sends the warm-up's
 * header without its token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // WarmUpTest's settings, plus the warm-up's logger named, so that this class starts a context of its own and
        // captures the start line whichever class runs first
        properties = {"chainrule.warm-up=300ms", "chainrule.warm-up-requests=30", "logging.level.dev.chainrule.gradients.WarmUp=INFO"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the first looks at what the warm-up did at start, alone
@ExtendWith(OutputCaptureExtension.class) // its context starts in this class: the start line is captured
class WarmUpOverHttpTest {

    private static final String ONE_LAYER = """
            {"network": {"layers": [{"type": "score", "u": [1.0, -2.0]}]}, "x": [1, 2], "loss": {"type": "score"}}
            """;

    @Autowired
    private WarmUp warmUp;

    @Autowired
    private MeterRegistry registry;

    @Autowired
    private Answers answers;

    @LocalServerPort
    private int port;

    @Test
    @Order(1)
    void postsItsRequestsOverHttpUncountedWhileAClientsAreCounted(CapturedOutput output) throws Exception {
        assertThat(warmUp.done(Duration.ofSeconds(120))).as("still warming up after two minutes").isTrue();
        assertThat(warmUp.sentOverHttp()).as("requests answered 2xx over HTTP").isEqualTo(30);
        assertThat(output.getOut()).as("the lines at its start and end")
                .contains("INFO", "JIT warm-up runs for about 1 s in the background while requests are served"
                        + " (0.3 s of CPU in process, then up to 30 requests to its own port, 30 s at most)")
                .containsPattern("JIT warm-up done after [0-9.]+ s: [0-9]+ answers in process,"
                        + " 30 requests over HTTP\\R");
        assertThat(count("/v1/gradients") + count("/v1/graph")).as("the warm-up's requests, counted").isZero();

        HttpClient client = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/gradients");
        for (String header : new String[] {"X-Client", SelfRequests.HEADER}) {
            HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .header(header, "0".repeat(32)).POST(HttpRequest.BodyPublishers.ofString(ONE_LAYER)).build();
            assertThat(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        }
        // the server records a request's timing once its answer is out: give it a moment
        for (int i = 0; i < 50 && count("/v1/gradients") < 2; i++) {
            Thread.sleep(20);
        }
        assertThat(count("/v1/gradients")).as("a client's requests, the guessed header's included").isEqualTo(2);
    }

    @Test
    void givesWayOnceClientsKeepTheServiceBusy() throws Exception {
        assertThat(warmUp.done(Duration.ofSeconds(120))).isTrue();
        try (HeldSlot held = HeldSlot.hold(answers)) {
            long before = warmUp.sentOverHttp();
            warmUp.overHttp(URI.create("http://127.0.0.1:" + port + "/"), warmUp.posts());
            assertThat(warmUp.sentOverHttp() - before).as("requests sent while a client's computation ran")
                    .isEqualTo(2);
        }
        long before = warmUp.sentOverHttp();
        warmUp.overHttp(URI.create("http://127.0.0.1:" + port + "/"), warmUp.posts());
        assertThat(warmUp.sentOverHttp() - before).as("requests sent once the service was idle").isEqualTo(30);
    }

    @Test
    void findsTheServerOnTheLoopbackUnlessItSpeaksOnlyTls() {
        assertThat(WarmUp.ownAddress(environment("local.server.port", "8080")))
                .hasToString("http://127.0.0.1:8080/");
        assertThat(WarmUp.ownAddress(environment("local.server.port", "8080", "server.address", "0.0.0.0",
                "server.servlet.context-path", "/chainrule"))).hasToString("http://127.0.0.1:8080/chainrule/");
        assertThat(WarmUp.ownAddress(environment("local.server.port", "8443", "server.address", "::1")))
                .hasToString("http://[0:0:0:0:0:0:0:1]:8443/");
        assertThat(WarmUp.ownAddress(environment("local.server.port", "8443", "server.ssl.bundle", "web"))).isNull();
        assertThat(WarmUp.ownAddress(environment())).as("no web server").isNull();
    }

    private long count(String uri) {
        return registry.find("http.server.requests").tag("uri", uri).timers().stream().mapToLong(Timer::count).sum();
    }

    private static StandardEnvironment environment(String... pairs) {
        java.util.Map<String, Object> map = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", map));
        return env;
    }
}
