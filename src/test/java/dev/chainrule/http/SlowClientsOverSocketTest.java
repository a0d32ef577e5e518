package dev.chainrule.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.RawHttp;
import dev.chainrule.network.Golden;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * 200 connections that send their headers and then a byte a second hold no thread: bodies are read without one, a
 * body that trickles is closed within seconds, and normal requests and liveness are answered meanwhile (a
 * regression test of issue 16, where such connections held every Tomcat thread for 30 s).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SlowClientsOverSocketTest {

    private static final int SLOW = 220;

    @LocalServerPort
    private int port;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void twoHundredTricklingBodiesLeaveLivenessAndNormalRequestsAnswering() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW; i++) {
                Socket s = RawHttp.connect(port);
                s.getOutputStream().write(("POST /v1/gradients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                slow.add(s);
            }
            trickle(slow);
            // with every slow body taking no thread, the others are served as usual (the bound is a loaded machine's)
            long start = System.nanoTime();
            HttpResponse<String> live = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/actuator/health/liveness")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, live.statusCode());
            HttpResponse<String> normal = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/gradients"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(Golden.request("cs224n-score"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, normal.statusCode());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(15).toNanos(), "answered only after 15 s");

            // and each trickling connection is answered 408 and closed, within seconds (well within 30 s here)
            long until = System.currentTimeMillis() + 30_000;
            int closed = 0;
            for (Socket s : slow) {
                trickle(List.of(s));
                if (closedOrTimedOut(s, until)) {
                    closed++;
                }
            }
            assertEquals(SLOW, closed, "connections still open");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    /**
     * A body that came whole with its headers is read on the request's own thread; one that did not is read without a
     * thread from where that left off. Both answer the same as an ordinary client gets.
     */
    @Test
    void aBodyInOnePieceOrInThreeGetsTheSameAnswer() throws Exception {
        byte[] body = Golden.request("cs224n-score").getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /v1/gradients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] whole = new byte[head.length + body.length];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(body, 0, whole, head.length, body.length);
        RawHttp.Answer once = RawHttp.exchange(port, whole);
        assertEquals(200, once.status(), once.head());
        try (Socket s = RawHttp.connect(port)) {
            int third = body.length / 3;
            s.getOutputStream().write(whole, 0, head.length + third);
            s.getOutputStream().flush();
            Thread.sleep(300);
            s.getOutputStream().write(whole, head.length + third, third);
            s.getOutputStream().flush();
            Thread.sleep(300);
            s.getOutputStream().write(whole, head.length + 2 * third, body.length - 2 * third);
            s.getOutputStream().flush();
            RawHttp.Answer pieces = RawHttp.read(s.getInputStream());
            assertEquals(200, pieces.status(), pieces.head());
            assertEquals(once.body(), pieces.body());
        }
    }

    @Test
    void aBodyThatNeverComesIsClosedWithin408() throws Exception {
        try (Socket s = RawHttp.connect(port)) {
            s.getOutputStream().write(("POST /v1/gradients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            RawHttp.Answer a = RawHttp.read(s.getInputStream());
            assertEquals(408, a.status(), a.head());
            assertTrue(a.header("Content-Type").startsWith("application/problem+json"));
        }
    }

    @Test
    void aLengthOfATerabyteIsRefusedAtOnce() throws Exception {
        RawHttp.Answer a = RawHttp.exchange(port, "POST /v1/gradients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000000000000\r\n\r\n{");
        assertEquals(413, a.status(), a.head());
    }

    private static void trickle(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.getOutputStream().write(' ');
                s.getOutputStream().flush();
            } catch (IOException e) {
                // already closed by the server: that is the point
            }
        }
    }

    /** True when the server answered 408 or closed the connection before {@code until}. */
    private static boolean closedOrTimedOut(Socket s, long until) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[512];
        while (System.currentTimeMillis() < until) {
            s.setSoTimeout((int) Math.max(1, Math.min(1000, until - System.currentTimeMillis())));
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    return true;
                }
                if (new String(buffer, 0, n, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 408")) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                trickleOne(s);
            } catch (IOException e) {
                return true; // reset by the server
            }
        }
        return false;
    }

    private static void trickleOne(Socket s) {
        trickle(List.of(s));
    }
}
