package dev.chainrule.http;

import dev.chainrule.errors.OverloadedException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The heap that answers on their way to their clients may take together ({@code answer-memory}). An answer is built
 * in full inside the compute gate and then written to its connection; a client that reads it slowly holds its bytes
 * until it has read them all. Without a bound, a few hundred clients reading 5 MB answers at 2 kB a second took a
 * service with a 499 MB heap to {@code OutOfMemoryError} (BENCHMARKS.md, "Hostile mixes"). So an answer predicted
 * larger than {@link #COUNTED_FROM} bytes reserves its predicted size before it is built, waiting first come first
 * served while the budget is taken, fits the reservation to the bytes the built answer holds, and gives it back once
 * it has been written (or has failed); smaller answers are not counted: the request threads bound them. A
 * reservation larger than the whole budget counts as the whole budget, so it waits for all others but is never
 * refused for its size alone. Thread-safe; one instance serves every request.
 */
final class AnswerMemory {

    /** Answers predicted up to this many bytes are not counted. */
    static final long COUNTED_FROM = 64 * 1024;
    private static final int UNIT = 1024; // the semaphore counts kibibytes

    private final Semaphore free;
    private final int units;

    AnswerMemory(long budgetBytes) {
        this.units = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes / UNIT));
        this.free = new Semaphore(units, true);
    }

    /**
     * Reserves {@code bytes} for an answer, waiting (first come, first served) until {@code untilNanos} at most.
     *
     * @return the reservation; {@link Reservation#NONE} for an answer predicted too small to count
     * @throws OverloadedException when the memory is not free by then (503 with Retry-After)
     */
    Reservation reserve(long bytes, long untilNanos) {
        if (bytes <= COUNTED_FROM) {
            return Reservation.NONE; // the request threads bound these (and the lecture's path allocates nothing here)
        }
        int need = units(bytes);
        try {
            if (free.tryAcquire(need, Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return new Reservation(this, need);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new OverloadedException("Too many large answers are on their way to their clients; try"
                + " again in " + OverloadedException.RETRY_AFTER_SECONDS + " second.");
    }

    /** Bytes free now. */
    long freeBytes() {
        return (long) free.availablePermits() * UNIT;
    }

    private int units(long bytes) {
        return (int) Math.min(units, (bytes + UNIT - 1) / UNIT);
    }

    /** Bytes of one answer, held until {@link #release()} (which may be called any number of times). */
    static final class Reservation {
        /** Holds nothing, ever: for an answer predicted small, or one nobody waits for on a connection (the warm-up's). */
        static final Reservation NONE = new Reservation(null, 0);
        private final AnswerMemory memory;
        private final AtomicInteger held;

        private Reservation(AnswerMemory memory, int units) {
            this.memory = memory;
            this.held = new AtomicInteger(units);
        }

        /**
         * The answer is built and holds {@code bytes} of heap: a reservation over that gives the rest back; one under
         * it takes the difference if that is free now (the answer exists already, so it does not wait; a prediction
         * under the answer stays partly unaccounted otherwise).
         */
        void fit(long bytes) {
            if (memory == null) {
                return;
            }
            int target = memory.units(bytes);
            int now = held.get();
            if (target < now) {
                if (held.compareAndSet(now, target)) {
                    memory.free.release(now - target);
                }
            } else if (target > now && memory.free.tryAcquire(target - now)) {
                held.addAndGet(target - now);
            }
        }

        /** Gives the bytes back; later calls do nothing. */
        void release() {
            int units = held.getAndSet(0);
            if (memory != null && units > 0) {
                memory.free.release(units);
            }
        }
    }
}
