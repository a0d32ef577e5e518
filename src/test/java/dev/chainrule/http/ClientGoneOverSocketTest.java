package dev.chainrule.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.KinkTemplates;
import dev.chainrule.RawHttp;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A computation whose client has closed the connection stops at its next check (a regression test of issue 16, where
 * both cores stayed busy for 66 s after 8 clients gave up); with the deadline and the cost model out of the way (a two-minute deadline,
 * no work limit), only the client's leaving can stop this one within the 30 s allowed here.
 */
@ClientsServer
class ClientGoneOverSocketTest {

    @LocalServerPort
    private int port;

    @Autowired
    private ComputeGate gate;

    @Test
    void aComputationStopsWhenItsClientCloses() throws Exception {
        byte[] body = DeadlineOverHttpTest.minutesOfWork().getBytes(StandardCharsets.UTF_8);
        try (Socket s = RawHttp.connect(port)) {
            s.getOutputStream().write(("POST /v1/gradients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            waitFor(() -> gate.running() == 1, 60_000);
        }
        // the client has gone: the computation, minutes long, stops at its next check (every 50 ms)
        assertTrue(waitFor(() -> gate.running() == 0, 30_000), "still running 30 s after its client left");
        assertEquals(0, gate.waiting());
    }

    @Test
    void variantDrawsStopWhenTheirClientCloses() throws Exception {
        // 2,000 students, each with a variant of a 300-wide relu network drawn and graded: minutes of passes
        StringBuilder submissions = new StringBuilder();
        for (int seed = 0; seed < 2000; seed++) {
            submissions.append(seed == 0 ? "" : ", ").append("{\"id\": \"s").append(seed).append("\", \"seed\": ")
                    .append(seed).append(", \"answers\": {}}");
        }
        byte[] body = ("{\"problem\": {\"template\": " + KinkTemplates.allKinks(300)
                + ", \"allow_kinks\": true}, \"submissions\": [" + submissions + "]}").getBytes(StandardCharsets.UTF_8);
        try (Socket s = RawHttp.connect(port)) {
            s.getOutputStream().write(("POST /v1/grade/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            assertTrue(waitFor(() -> gate.running() == 1, 60_000), "the grading never started");
        }
        assertTrue(waitFor(() -> gate.running() == 0, 30_000), "still drawing 30 s after its client left");
        assertEquals(0, gate.waiting());
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < until) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
