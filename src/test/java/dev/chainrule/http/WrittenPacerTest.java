package dev.chainrule.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/** How an answer's bytes leave: at once when small, a piece at a time when large, and never to a reader too slow. */
class WrittenPacerTest {

    /** A connection that takes {@code millisPerWrite} for every write handed to it. */
    private static final class Link {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int writes;
        private final long millisPerWrite;

        Link(long millisPerWrite) {
            this.millisPerWrite = millisPerWrite;
        }

        OutputStream getBody() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    received.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    writes++;
                    try {
                        Thread.sleep(millisPerWrite);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    received.write(b, off, len);
                }
            };
        }
    }

    private static Written answer(int bytes) {
        byte[] b = new byte[bytes + 100]; // written from a larger buffer, as built
        Arrays.fill(b, (byte) 'x');
        return new Written(b, bytes);
    }

    @Test
    void aSmallAnswerIsOneWrite() throws IOException {
        Link link = new Link(0);
        new Written.Pacer(8192, Duration.ofSeconds(5)).write(answer(60_000), link.getBody(), null);
        assertThat(link.writes).isEqualTo(1);
        assertThat(link.received.size()).isEqualTo(60_000);
    }

    @Test
    void aLargeAnswerGoesInPiecesAndWholeToAReaderAtAFairPace() throws IOException {
        Link link = new Link(1); // 16 kB a millisecond at most: far above 8 kB a second
        new Written.Pacer(8192, Duration.ofMillis(50)).write(answer(1_000_000), link.getBody(), null);
        assertThat(link.writes).isGreaterThan(1);
        assertThat(link.received.size()).isEqualTo(1_000_000);
    }

    @Test
    void aReaderUnderTheMinimumRateIsCutOffAfterTheGrace() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        Link link = new Link(20); // a 16 kB piece every 20 ms: 800 kB a second, under the 10 MB asked here
        long start = System.nanoTime();
        assertThatThrownBy(() -> new Written.Pacer(10_000_000, Duration.ofMillis(200))
                .write(answer(2_000_000), link.getBody(), request))
                .isInstanceOf(AsyncRequestNotUsableException.class) // what Spring answers nothing to, as for a client gone
                .hasMessageContaining("under 10000000 bytes a second");
        assertThat(link.received.size()).isGreaterThan(0).isLessThan(2_000_000);
        // the request log will say why
        assertThat(request.getAttribute(Written.CUT_OFF)).asString().contains("of 2000000 bytes in");
        // cut soon after the grace, not once the whole answer had gone (125 pieces: 2.5 s)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void aMinimumRateOfZeroWritesAtOnce() throws IOException {
        Link link = new Link(0);
        new Written.Pacer(0, Duration.ofSeconds(5)).write(answer(1_000_000), link.getBody(), null);
        assertThat(link.writes).isEqualTo(1);
    }
}
