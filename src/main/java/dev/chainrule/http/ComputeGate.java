package dev.chainrule.http;

import dev.chainrule.errors.OverloadedException;
import dev.chainrule.budget.Cost;
import dev.chainrule.engine.Deadline;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Bounds the computations running at once to about the number of cores, with a short queue behind them, and gives
 * each a deadline:
 * <ul>
 * <li>a request that finds the queue full, or waits longer than its deadline for a slot, is refused
 * ({@link OverloadedException}, answered 503 with Retry-After) rather than waiting without end;</li>
 * <li>heavy computations (predicted over {@code lightWork}) may take all slots but one, so a light request never
 * waits behind heavy ones: a few clients sending the largest requests admitted cannot starve everyone else;</li>
 * <li>a running computation is handed a {@link Deadline} that stops it once it runs past its time or once its
 * client has gone ({@link Deadline.Exceeded}, answered 503);</li>
 * <li>once the service is shutting down, nothing new starts (503, so a load balancer retries elsewhere) while what
 * runs finishes within its deadline, which is well inside the shutdown grace period.</li>
 * </ul>
 * Only {@link Answers} runs computations in it, each from the {@link Work} a handler returned.
 */
public final class ComputeGate {

    private static final long CLIENT_PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Semaphore admitted;
    private final Semaphore running;
    private final Semaphore heavy;
    private final int slots;
    private final long deadlineNanos;
    private final long lightWork;
    private volatile boolean shuttingDown;
    private final LongAdder started = new LongAdder();

    /** With no deadline: for tools and tests. */
    public ComputeGate(int maxConcurrent, int maxQueued) {
        this(maxConcurrent, maxQueued, Duration.ofDays(1), Long.MAX_VALUE);
    }

    /**
     * @param deadline  how long one computation may run (and at most wait for a slot)
     * @param lightWork predicted work up to which a computation is light (it may use the slot kept from heavy ones)
     */
    public ComputeGate(int maxConcurrent, int maxQueued, Duration deadline, long lightWork) {
        this.slots = maxConcurrent;
        this.admitted = new Semaphore(maxConcurrent + maxQueued);
        // fair: slots go to waiters in arrival order. Measured on the lecture example at 16 connections, letting
        // newcomers barge in gave p99 = 5× p50 (33.8 ms against 6.8 ms); first come, first served gives 2.7×.
        // Letting the lecture's small requests skip the gate saved 12 % of their CPU (no park and unpark), but left 16
        // threads computing at once on 2 cores, and the JIT's compiler thread, starved of CPU, took twice as long to
        // warm the service up (measured: 60 s against 30 s at 16 connections; 67 s of compiling against 36 s).
        // Giving them two places of their own, taken without waiting when free (else they queue here), saved 20 % of
        // the CPU at 16 connections (9.0–9.5k against 7.1–7.7k req/s), but those who queued were overtaken by every
        // newcomer that found a place free: at 64 connections p99 went from 21–25 ms (2.2× p50) to 50–61 ms (13×).
        // A fair lane of their own, or places only while nobody queues, kept the tail and lost the gain.
        this.running = new Semaphore(maxConcurrent, true);
        this.heavy = new Semaphore(Math.max(1, maxConcurrent - 1), true);
        this.deadlineNanos = deadline.toNanos();
        this.lightWork = lightWork;
    }

    /** Runs {@code computation} with no deadline of its own (the gate's still applies to waiting): for tests. */
    <T> T run(Supplier<T> computation) {
        return run(Cost.ZERO, () -> false, d -> computation.get());
    }

    /**
     * Runs {@code computation} in a slot, handing it the deadline it must check between ops.
     *
     * @param cost       what it is predicted to take (decides its lane)
     * @param clientGone true once nobody is waiting for the answer (asked every 50 ms at most)
     * @throws OverloadedException   when no slot is free in time
     * @throws Deadline.Exceeded     when the computation stopped itself
     */
    <T> T run(Cost cost, BooleanSupplier clientGone, Function<Deadline, T> computation) {
        if (shuttingDown || !admitted.tryAcquire()) {
            throw new OverloadedException(shuttingDown);
        }
        try {
            boolean isHeavy = cost.work() > lightWork && slots > 1;
            long waitUntil = System.nanoTime() + deadlineNanos;
            if (isHeavy && !acquire(heavy, waitUntil)) {
                throw new OverloadedException(shuttingDown);
            }
            try {
                if (!acquire(running, waitUntil)) {
                    throw new OverloadedException(shuttingDown);
                }
                try {
                    if (shuttingDown) {
                        throw new OverloadedException(true);
                    }
                    started.increment();
                    return computation.apply(new Timed(System.nanoTime(), clientGone));
                } finally {
                    running.release();
                }
            } finally {
                if (isHeavy) {
                    heavy.release();
                }
            }
        } finally {
            admitted.release();
        }
    }

    private static boolean acquire(Semaphore s, long untilNanos) {
        try {
            return s.tryAcquire(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** From now on nothing new starts (503); running computations finish (within their deadline). */
    public void shutDown() {
        shuttingDown = true;
    }

    /** Starts computations again (after {@link #shutDown()}: a paused context restarted). */
    public void open() {
        shuttingDown = false;
    }

    /** Computations running now. */
    public int running() {
        return slots - running.availablePermits();
    }

    /** Computations started so far (given a slot). */
    public long started() {
        return started.sum();
    }

    /** Computations admitted but waiting for a slot. */
    public int waiting() {
        return running.getQueueLength() + heavy.getQueueLength();
    }

    /** The deadline of one computation. */
    public Duration deadline() {
        return Duration.ofNanos(deadlineNanos);
    }

    /** The deadline of one computation that started at {@code start}. */
    private final class Timed implements Deadline {
        private final long start;
        private final BooleanSupplier clientGone;
        private long probedAt;

        Timed(long start, BooleanSupplier clientGone) {
            this.start = start;
            this.clientGone = clientGone;
            this.probedAt = start;
        }

        @Override
        public void check() {
            long now = System.nanoTime();
            long ran = now - start;
            if (ran > deadlineNanos) {
                throw new Exceeded(Exceeded.Reason.TIME, TimeUnit.NANOSECONDS.toMillis(ran));
            }
            if (now - probedAt > CLIENT_PROBE_NANOS) {
                probedAt = now;
                if (clientGone.getAsBoolean()) {
                    throw new Exceeded(Exceeded.Reason.CLIENT_GONE, TimeUnit.NANOSECONDS.toMillis(ran));
                }
            }
        }
    }
}
