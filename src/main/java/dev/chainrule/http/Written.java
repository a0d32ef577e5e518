package dev.chainrule.http;

import dev.chainrule.config.Limits;
import jakarta.servlet.ServletRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/**
 * An answer's bytes as built: the first {@code length} bytes of {@code buffer}, written to the response as they are.
 * A large answer is built in a buffer sized from its predicted length, and copying it into an array of its exact
 * length would cost as much memory and time again (large.json: 5.5 MB per request). Only the HTTP path makes them
 * ({@link Answers}), from a {@link Work}.
 */
record Written(byte[] buffer, int length) {

    Written {
        if (length < 0 || length > buffer.length) {
            throw new IllegalArgumentException("length " + length + " outside a buffer of " + buffer.length);
        }
    }

    /** All of {@code bytes}. */
    static Written of(byte[] bytes) {
        return new Written(bytes, bytes.length);
    }

    /** Request attribute: why the answer was cut off mid-way (its client read it too slowly), if it was. */
    static final String CUT_OFF = Written.class.getName() + ".cutOff";

    /**
     * Writes answers to their connections. A large answer is written a piece at a time, and a client that reads it
     * at under {@code minRate} bytes a second on average, counted after a grace of {@code grace} (the connection
     * timeout, as for bodies), is cut off: its connection is closed and the answer's memory and thread are free
     * again. Without this, a client reading a 5 MB answer at a few bytes a second (enough to keep the connection's
     * write timeout from firing) held both for hours.
     */
    static final class Pacer {
        /**
         * Answers up to this size are written at once: the connection's send buffer takes them without waiting. The
         * same line as {@link AnswerMemory#COUNTED_FROM}: a large answer is both counted and paced.
         */
        static final int PACED_FROM = (int) AnswerMemory.COUNTED_FROM;
        private static final int PIECE = 16 * 1024;

        private final long minRate;
        private final long graceNanos;

        Pacer(long minRate, Duration grace) {
            this.minRate = minRate;
            this.graceNanos = grace.toNanos();
        }

        /**
         * Writes {@code written} to {@code out}.
         *
         * @param request where to say why a slow reader was cut off ({@link #CUT_OFF}, for the request log); may be null
         * @throws AsyncRequestNotUsableException when the client reads too slowly (what Spring answers nothing to, as
         *                                        for a client gone)
         */
        void write(Written written, OutputStream out, ServletRequest request) throws IOException {
            int length = written.length();
            if (length <= PACED_FROM || minRate <= 0) {
                out.write(written.buffer(), 0, length);
                return;
            }
            long start = System.nanoTime();
            for (int off = 0; off < length; off += PIECE) {
                long ran = System.nanoTime() - start;
                if (Limits.underMinRate(off, minRate, ran, graceNanos)) {
                    String why = "read " + off + " of " + length + " bytes in " + ran / 1_000_000L + " ms, under "
                            + minRate + " bytes a second";
                    if (request != null) {
                        request.setAttribute(CUT_OFF, why);
                    }
                    throw new AsyncRequestNotUsableException("the client " + why + ": the connection is closed");
                }
                out.write(written.buffer(), off, Math.min(PIECE, length - off));
            }
        }
    }
}
