package dev.chainrule.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** Once ready, the service answers its own examples in process for the configured CPU time, then stops. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "chainrule.warm-up=300ms")
class WarmUpTest {

    @Autowired
    private WarmUp warmUp;

    @Autowired
    private ProblemReader reader;


    @Test
    void itsWiderNetworksAreValidRequests() {
        ProblemReader.Request r = reader.read(tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(WarmUp.wide()), "");
        assertTrue(r.problem().layers().size() == 3 && r.problem().examples() == 16, "64-64-64-10, batch 16");
        assertTrue(new String(WarmUp.wide(), java.nio.charset.StandardCharsets.US_ASCII).contains("\"W\": [[-0.")
                || new String(WarmUp.wide(), java.nio.charset.StandardCharsets.US_ASCII).contains("\"W\": [[0."),
                "weights written with four decimals");
        ProblemReader.Request rows = reader.read(tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(WarmUp.longRows()), "");
        assertTrue(rows.problem().layers().size() == 2 && rows.problem().examples() == 4, "400-32-10, batch 4");
    }

    @Test
    void itsStartLineEstimatesItsDurationFromItsConfiguration() {
        assertEquals(Duration.ofSeconds(14), WarmUp.expected(Duration.ofSeconds(2), 4000), "2 s, then 4,000 × 3 ms");
        assertEquals(Duration.ofSeconds(32), WarmUp.expected(Duration.ofSeconds(2), 100_000), "30 s at most over HTTP");
        assertEquals(Duration.ofSeconds(1), WarmUp.expected(Duration.ofMillis(300), 0), "rounded up, none over HTTP");
        assertEquals("JIT warm-up runs for about 14 s in the background while requests are served (2 s of CPU"
                + " in process, then up to 4000 requests to its own port, 30 s at most); CHAINRULE_WARM_UP=0s turns"
                + " it off",
                WarmUp.announcement(Duration.ofSeconds(2), 4000));
        assertEquals("JIT warm-up runs for about 6 s in the background while requests are served (5.5 s of CPU in"
                + " process); CHAINRULE_WARM_UP=0s turns it off", WarmUp.announcement(Duration.ofMillis(5500), 0));
    }

    @Test
    void answersTheExamplesForItsBudgetThenStops() throws Exception {
        assertTrue(warmUp.done(Duration.ofSeconds(120)), "still warming up after two minutes");
        long answered = warmUp.answered();
        assertTrue(answered >= 4, "answered " + answered + " examples");
        Thread.sleep(200);
        assertTrue(warmUp.answered() == answered, "goes on after it stopped");
    }
}
