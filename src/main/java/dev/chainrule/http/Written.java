package dev.chainrule.http;

import dev.chainrule.config.Limits;
import jakarta.servlet.ServletRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/**
 * An answer's bytes as built, written to the response as they are: the first {@code length} bytes of its pieces,
 * every piece full but the last. A small answer is one piece of its exact length. A large one is built in pieces of
 * {@link AnswerChunks#SIZE} taken from {@link AnswerChunks}, and given back once written ({@link #release()}): one
 * array of the whole answer (large.json: 5.5 MB per request) would be allocated, zeroed and collected per request,
 * outside the young generation's fast path (G1 allocates an object of half a region or more apart). Only the HTTP
 * path makes them ({@link Answers}), from a {@link Work}.
 */
final class Written {

    private final byte[][] pieces;
    private final int length;
    private final Consumer<byte[][]> release;

    private Written(byte[][] pieces, int length, Consumer<byte[][]> release) {
        long room = 0;
        for (byte[] p : pieces) {
            room += p.length;
        }
        if (length < 0 || length > room) {
            throw new IllegalArgumentException("length " + length + " outside pieces of " + room + " bytes");
        }
        this.pieces = pieces;
        this.length = length;
        this.release = release;
    }

    /** The first {@code length} bytes of {@code buffer}. */
    Written(byte[] buffer, int length) {
        this(new byte[][] {buffer}, length, null);
    }

    /** All of {@code bytes}. */
    static Written of(byte[] bytes) {
        return new Written(bytes, bytes.length);
    }

    /** The first {@code length} bytes of {@code pieces}, which {@code release} takes back once they are written. */
    static Written of(byte[][] pieces, int length, Consumer<byte[][]> release) {
        return new Written(pieces, length, release);
    }

    /** The answer's length in bytes. */
    int length() {
        return length;
    }

    /** Bytes of heap the answer holds. */
    long held() {
        long room = 0;
        for (byte[] p : pieces) {
            room += p.length;
        }
        return room;
    }

    /** Gives pooled pieces back once the answer has been written (or has failed to be); nothing to do for others. */
    void release() {
        if (release != null) {
            release.accept(pieces);
        }
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
            int length = written.length;
            boolean paced = length > PACED_FROM && minRate > 0;
            long start = System.nanoTime();
            int off = 0; // of the whole answer
            for (byte[] piece : written.pieces) {
                if (off == length) {
                    break;
                }
                int end = Math.min(piece.length, length - off);
                if (!paced) {
                    out.write(piece, 0, end);
                    off += end;
                    continue;
                }
                for (int at = 0; at < end; at += PIECE) {
                    long ran = System.nanoTime() - start;
                    if (Limits.underMinRate(off + at, minRate, ran, graceNanos)) {
                        String why = "read " + (off + at) + " of " + length + " bytes in " + ran / 1_000_000L
                                + " ms, under " + minRate + " bytes a second";
                        if (request != null) {
                            request.setAttribute(CUT_OFF, why);
                        }
                        throw new AsyncRequestNotUsableException("the client " + why + ": the connection is closed");
                    }
                    out.write(piece, at, Math.min(PIECE, end - at));
                }
                off += end;
            }
        }
    }
}
