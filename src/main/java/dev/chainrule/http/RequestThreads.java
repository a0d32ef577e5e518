package dev.chainrule.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Tomcat's request threads: a few take every request from one first-come, first-served queue, and one more is added
 * for each of them that stays on one request too long.
 *
 * <p>Why: Tomcat's own pool hands each request to an idle thread, and starts a new one whenever none is idle, so 16
 * connections keep 16 threads busy on two cores and each request costs a wake-up and a context switch. A couple of
 * threads taking requests off a queue go from one to the next without sleeping (BENCHMARKS.md, "Request threads").
 * But a thread can be held by one request for long: a client reading a large answer slowly, a request waiting for a
 * compute slot, a long computation. With a fixed handful of threads every other request, health probes included,
 * would then wait behind it.
 *
 * <p>So a watchdog looks every half {@code stall} (and rests while no request is in hand): a thread on the same request for longer than {@code stall} is
 * <em>held</em>, and there are always {@code base} threads besides the held ones, up to {@code ceiling} in all. A
 * queued request waits for want of a thread about {@code stall} at most. Once a held thread is done, there is one
 * thread too many, and the next to finish a request ends. Threads that keep finishing requests are never added to,
 * however long the queue: more threads would only share the same cores.
 */
final class RequestThreads implements Executor, AutoCloseable {

    private static final Runnable STOP = () -> { };
    /** Longest rest of an idle watchdog: a bound, in case a wake-up were ever missed. */
    private static final long REST_NANOS = 1_000_000_000L;

    private final String name;
    private final int base;
    private final int ceiling;
    private final long stallNanos;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger named = new AtomicInteger();
    private final LongAdder added = new LongAdder();
    private final Thread watchdog;
    /** Threads wanted now: base plus the held ones, up to the ceiling. Written by the watchdog only. */
    private volatile int target;
    private volatile boolean closed;
    /** The watchdog is resting: the next thread to take a request wakes it. */
    private volatile boolean resting;

    /**
     * @param base    threads free for new requests, held ones aside
     * @param ceiling threads at most, held ones included
     * @param stall   how long one request may hold a thread before another is added
     */
    RequestThreads(String name, int base, int ceiling, Duration stall) {
        if (base < 1 || ceiling < base) {
            throw new IllegalArgumentException("need 1 <= base <= ceiling, got " + base + " and " + ceiling);
        }
        this.name = name;
        this.base = base;
        this.ceiling = ceiling;
        this.stallNanos = stall.toNanos();
        this.target = base;
        this.watchdog = new Thread(this::watch, name + "-watchdog");
        this.watchdog.setDaemon(true);
        for (int i = 0; i < base; i++) {
            start();
        }
        this.watchdog.start();
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException("request threads closed");
        }
        queue.offer(task);
    }

    /** Threads now, held or not. */
    int threads() {
        return live.get();
    }

    /** Threads started so far because others were held. */
    long added() {
        return added.sum();
    }

    /** Requests waiting for a thread. */
    int queued() {
        return queue.size();
    }

    private void start() {
        live.incrementAndGet();
        Worker w = new Worker();
        Thread t = new Thread(w, name + "-" + named.incrementAndGet());
        t.setDaemon(true);
        workers.add(w);
        t.start();
    }

    private void watch() {
        long tick = Math.max(100_000L, stallNanos / 2);
        while (!closed) {
            // with no request in hand and none queued, nothing can be held: rest until a thread takes one (it wakes
            // this one) instead of looking 200 times a second; the flag is set before the second look, so a request
            // taken in between is either seen by that look or sees the flag
            resting = true;
            if (idle()) {
                LockSupport.parkNanos(this, REST_NANOS);
            }
            resting = false;
            LockSupport.parkNanos(this, tick);
            long now = System.nanoTime();
            int held = 0;
            for (Worker w : workers) {
                long since = w.since;
                if (since != 0 && now - since > stallNanos) {
                    held++;
                }
            }
            int want = Math.min(ceiling, base + held);
            target = want;
            for (int n = live.get(); n < want && !closed; n = live.get()) {
                start();
                added.increment();
            }
        }
    }

    /** No request in hand, none queued. */
    private boolean idle() {
        if (closed || !queue.isEmpty()) {
            return false;
        }
        for (Worker w : workers) {
            if (w.since != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(watchdog);
        for (int i = live.get(); i > 0; i--) {
            queue.offer(STOP);
        }
    }

    /** Takes requests in turn; ends after one when there are more threads than wanted. */
    private final class Worker implements Runnable {

        /** When the request in hand was taken ({@link System#nanoTime}), 0 between requests. */
        volatile long since;

        @Override
        public void run() {
            try {
                while (true) {
                    Runnable task = queue.take();
                    if (task == STOP) {
                        live.decrementAndGet();
                        return;
                    }
                    since = System.nanoTime() | 1;
                    if (resting) {
                        LockSupport.unpark(watchdog);
                    }
                    try {
                        task.run();
                    } catch (RuntimeException | Error e) {
                        Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
                    } finally {
                        since = 0;
                    }
                    if (retire()) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                live.decrementAndGet();
                Thread.currentThread().interrupt();
            } finally {
                workers.remove(this);
            }
        }

        /** One thread fewer, if there are more than wanted. */
        private boolean retire() {
            for (int n = live.get(); n > target; n = live.get()) {
                if (live.compareAndSet(n, n - 1)) {
                    return true;
                }
            }
            return false;
        }
    }
}
