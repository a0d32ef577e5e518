package dev.chainrule.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Large answers built in pieces kept from answer to answer: the same bytes out, the memory reused and bounded. */
class AnswerChunksTest {

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes {@code bytes} into a buffer of {@code chunks} in uneven writes, single bytes among them. */
    private static Written build(AnswerChunks chunks, byte[] bytes) {
        AnswerChunks.Buffer out = chunks.buffer(Long.MAX_VALUE, n -> new IllegalStateException("over: " + n));
        Random sizes = new Random(bytes.length);
        int at = 0;
        while (at < bytes.length) {
            if (sizes.nextInt(10) == 0) {
                out.write(bytes[at++]);
                continue;
            }
            int n = Math.min(bytes.length - at, sizes.nextInt(3 * 8000));
            out.write(bytes, at, n);
            at += n;
        }
        return out.written();
    }

    private static byte[] sent(Written written, long minRate) throws IOException {
        ByteArrayOutputStream link = new ByteArrayOutputStream();
        new Written.Pacer(minRate, Duration.ofSeconds(5)).write(written, link, null);
        return link.toByteArray();
    }

    @Test
    void theBytesWrittenAreTheBytesSentPacedOrNot() throws IOException {
        AnswerChunks chunks = new AnswerChunks(16L << 20);
        for (int n : new int[] {1, AnswerChunks.SIZE - 1, AnswerChunks.SIZE, AnswerChunks.SIZE + 1, 3 * AnswerChunks.SIZE + 7,
                5_532_416}) {
            byte[] bytes = random(n, n);
            Written written = build(chunks, bytes);
            assertThat(written.length()).isEqualTo(n);
            assertThat(written.held()).isEqualTo((long) AnswerChunks.SIZE * ((n + AnswerChunks.SIZE - 1) / AnswerChunks.SIZE));
            assertThat(sent(written, 8192)).isEqualTo(bytes);
            assertThat(sent(written, 0)).isEqualTo(bytes);
            written.release();
        }
    }

    @Test
    void piecesGivenBackAreTakenAgainUpToTheBound() {
        AnswerChunks chunks = new AnswerChunks(4L * AnswerChunks.SIZE);
        Written first = build(chunks, random(6 * AnswerChunks.SIZE, 1));
        assertThat(chunks.kept()).isZero();
        first.release();
        assertThat(chunks.kept()).isEqualTo(4); // the other two are left to the collector
        // the next answer is built in the kept pieces: no new memory for its first four
        Written second = build(chunks, random(3 * AnswerChunks.SIZE, 2));
        assertThat(chunks.kept()).isEqualTo(1);
        // a kept piece still holding an earlier answer's bytes is overwritten, never read past the length
        byte[] bytes = random(AnswerChunks.SIZE / 2, 3);
        Written third = build(chunks, bytes);
        assertThat(chunks.kept()).isZero();
        second.release();
        third.release();
        assertThat(chunks.kept()).isEqualTo(4);
    }

    @Test
    void anAnswerOverTheLimitIsRefusedAndItsPiecesGoBack() {
        AnswerChunks chunks = new AnswerChunks(8L * AnswerChunks.SIZE);
        AnswerChunks.Buffer out = chunks.buffer(2L * AnswerChunks.SIZE, n -> new IllegalStateException("over: " + n));
        out.write(new byte[AnswerChunks.SIZE], 0, AnswerChunks.SIZE);
        out.write(new byte[AnswerChunks.SIZE - 1], 0, AnswerChunks.SIZE - 1);
        assertThatThrownBy(() -> out.write(new byte[2], 0, 2)).hasMessage("over: " + (2L * AnswerChunks.SIZE + 1));
        assertThat(chunks.kept()).isEqualTo(2);
        out.discard(); // what the caller does on any failure: nothing is given back twice
        assertThat(chunks.kept()).isEqualTo(2);
    }
}
