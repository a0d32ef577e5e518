package dev.chainrule.http;

import dev.chainrule.RawHttp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A client on a slow link (700 kB a second, a lecture hall's Wi-Fi) gets its 10 MB answer whole, over 14 s: the
 * minimum rate a large answer must be read at ({@code answer-min-rate}, 8 kB/s by default) cuts off slow readers that
 * hold memory, never a client reading at a fair pace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SlowLinkOverSocketTest {

    @LocalServerPort
    private int port;

    @Test
    void aClientReadingAt700kBaSecondGetsItsTenMegabyteAnswerWhole() throws Exception {
        byte[] body = SlowReadersOverSocketTest.largeAnswer().getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(65536); // before connecting: the window it opens stays small
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("POST /v1/gradients?digits=6 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] piece = new byte[8192];
            long start = System.nanoTime();
            int n;
            while ((n = in.read(piece)) >= 0) {
                got.write(piece, 0, n);
                // at most 8 kB every 10 ms: about 700 kB a second, so 10 MB take over 14 s
                long due = start + got.size() * 10_000_000L / 8192;
                long ahead = due - System.nanoTime();
                if (ahead > 0) {
                    Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                }
            }
            String text = got.toString(StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("HTTP/1.1 200"), text.substring(0, Math.min(200, text.length())));
            int head = text.indexOf("\r\n\r\n") + 4;
            int declared = Integer.parseInt(RawHttp.header(text.substring(0, head), "Content-Length"));
            assertTrue(declared > 8_000_000, "a large answer: " + declared);
            assertEquals(declared, got.size() - head, "the answer was cut off");
            assertTrue(text.endsWith("}"));
        }
    }
}
