package dev.chainrule.http;

import dev.chainrule.RandomBodies;
import dev.chainrule.RawHttp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Clients that read their answers slowly. Before, an answer was held in memory until its client had read it all, with
 * no bound: 200 clients reading 5 MB answers at 2 kB a second took a 499 MB heap to {@code OutOfMemoryError}. Now a
 * large answer reserves its bytes in {@code answer-memory} until it has been written, and a client reading under
 * {@code answer-min-rate} is cut off after the grace (or sooner by Tomcat's write timeout, when the connection's send
 * buffer stays full for 5 s: {@code WrittenConverterTest} checks the rate on its own). Here the memory holds one 10 MB
 * answer and the rate is set to 1 MB a second, so a client reading at 20 kB/s is far too slow.
 */
@ClientsServer
class SlowReadersOverSocketTest {

    /** A 24-24-24 network, a batch of 400, LaTeX and Jacobians: a 90 kB body with a 10 MB answer. */
    private static final byte[] LARGE_ANSWER = largeAnswer().getBytes(StandardCharsets.UTF_8);
    private static final String PATH = "/v1/gradients?digits=6";

    @LocalServerPort
    private int port;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void largeAnswersGiveTheirMemoryBackOnceWritten() throws Exception {
        // each answer takes most of the memory: one that kept it would make the next wait out its client's timeout
        for (int i = 0; i < 4; i++) {
            HttpResponse<byte[]> r = post();
            assertEquals(200, r.statusCode());
            assertTrue(r.body().length > 8_000_000, "a large answer");
        }
    }

    @Test
    void aSlowReaderIsCutOffAndTheMemoryItHeldServesTheNextClient() throws Exception {
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(65536); // before connecting: the window it opens stays small
            slow.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            slow.getOutputStream().write(("POST " + PATH + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + LARGE_ANSWER.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            slow.getOutputStream().write(LARGE_ANSWER);
            slow.getOutputStream().flush();
            slow.setSoTimeout(30_000);
            InputStream in = slow.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] piece = new byte[1024];
            int n = in.read(piece); // the answer is built and on its way
            got.write(piece, 0, n);

            // a second client needs the memory the slow one holds: it waits, and is answered once the slow one is cut
            long start = System.nanoTime();
            CompletableFuture<HttpResponse<byte[]>> next = CompletableFuture.supplyAsync(() -> {
                try {
                    return post();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (!next.isDone() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(25)) {
                n = in.read(piece); // 20 kB a second, far under the 1 MB a second asked for here
                if (n < 0) {
                    break;
                }
                got.write(piece, 0, n);
                Thread.sleep(50);
            }
            HttpResponse<byte[]> answer = next.get(25, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), "the next client was served from the freed memory");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "the slow reader was cut within"
                    + " the 5 s grace and a few seconds more");

            // the memory came back while the slow reader had read a fraction of its answer, more than its 64 kB receive
            // buffer and the server's send buffer (4 MB at most on Linux's defaults) hold: its write was cut off
            String head = got.toString(StandardCharsets.ISO_8859_1);
            int declared = Integer.parseInt(RawHttp.header(head.substring(0, head.indexOf("\r\n\r\n")), "Content-Length"));
            assertTrue(declared > 8_000_000 && got.size() < declared / 4, got.size() + " of " + declared + " bytes read");
        }
    }

    private HttpResponse<byte[]> post() throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + PATH))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(40))
                .POST(HttpRequest.BodyPublishers.ofByteArray(LARGE_ANSWER)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String largeAnswer() {
        return RandomBodies.chain(new int[] {24, 24, 24}, "sigmoid", 400, "{\"latex\": true, \"jacobian_form\": true}", 7);
    }
}
