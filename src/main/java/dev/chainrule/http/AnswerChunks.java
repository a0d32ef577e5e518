package dev.chainrule.http;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.LongFunction;

/**
 * The pieces large answers are built in, kept from answer to answer: a large answer takes pieces of {@link #SIZE}
 * bytes as it grows and gives them back once it has been written, so a service answering large requests in turn
 * builds them in the same memory instead of allocating, zeroing and collecting megabytes per request. At most
 * {@code kept} pieces wait here between answers; beyond them a piece is left to the collector. Thread-safe.
 */
final class AnswerChunks {

    /** Bytes of a piece: well under half of G1's smallest region (1 MB), so a piece is an ordinary object. */
    static final int SIZE = 256 * 1024;

    private final ArrayBlockingQueue<byte[]> free;

    /** @param keptBytes bytes of pieces at most kept between answers */
    AnswerChunks(long keptBytes) {
        this.free = new ArrayBlockingQueue<>((int) Math.max(1, Math.min(1024, keptBytes / SIZE)));
    }

    /** A piece to write into: a kept one, else a new one. */
    byte[] take() {
        byte[] piece = free.poll();
        return piece != null ? piece : new byte[SIZE];
    }

    /** Takes back the pieces of a written answer (those not kept are left to the collector). */
    void give(byte[][] pieces) {
        for (byte[] p : pieces) {
            if (p.length == SIZE && !free.offer(p)) {
                return;
            }
        }
    }

    /** Pieces kept now. */
    int kept() {
        return free.size();
    }

    /**
     * An answer being written into pieces, refusing to grow past {@code max} bytes: {@code tooLarge} makes the
     * exception for the size it would have reached.
     */
    Buffer buffer(long max, LongFunction<RuntimeException> tooLarge) {
        return new Buffer(max, tooLarge);
    }

    /** An output stream into pieces from this pool. Not thread-safe: one answer's writer uses it. */
    final class Buffer extends OutputStream {
        private final long max;
        private final LongFunction<RuntimeException> tooLarge;
        private byte[][] pieces = new byte[8][];
        private int count; // pieces in use
        private byte[] current;
        private int at = SIZE; // position in current: full, so the first write takes a piece
        private long length;

        private Buffer(long max, LongFunction<RuntimeException> tooLarge) {
            this.max = max;
            this.tooLarge = tooLarge;
        }

        @Override
        public void write(int b) {
            ensure(1);
            if (at == SIZE) {
                next();
            }
            current[at++] = (byte) b;
            length++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            while (len > 0) {
                if (at == SIZE) {
                    next();
                }
                int n = Math.min(len, SIZE - at);
                System.arraycopy(b, off, current, at, n);
                at += n;
                off += n;
                len -= n;
                length += n;
            }
        }

        private void ensure(int more) {
            if (length + more > max) {
                discard(); // the answer is dropped: its pieces go back
                throw tooLarge.apply(length + more);
            }
        }

        private void next() {
            if (count == pieces.length) {
                pieces = Arrays.copyOf(pieces, 2 * count);
            }
            current = take();
            pieces[count++] = current;
            at = 0;
        }

        /** What was written, its pieces to be given back once it has been written out. */
        Written written() {
            byte[][] used = Arrays.copyOf(pieces, count);
            return Written.of(used, (int) length, AnswerChunks.this::give);
        }

        /** Gives the pieces back (the answer failed before it was handed over). */
        void discard() {
            give(Arrays.copyOf(pieces, count));
            count = 0;
        }
    }
}
