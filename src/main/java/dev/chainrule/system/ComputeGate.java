package dev.chainrule.system;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Bounds the computations running at once to about the number of cores, with a short queue behind them; a request
 * that finds the queue full is refused at once ({@link OverloadedException}, answered 503 with Retry-After) rather
 * than waiting without end.
 */
public final class ComputeGate {

    private final Semaphore admitted;
    private final Semaphore running;

    public ComputeGate(int maxConcurrent, int maxQueued) {
        this.admitted = new Semaphore(maxConcurrent + maxQueued);
        // fair: slots go to waiters in arrival order. Measured on the lecture example at 16 connections, letting
        // newcomers barge in gave p99 = 5× p50 (33.8 ms against 6.8 ms); first come, first served gives 2.7×
        this.running = new Semaphore(maxConcurrent, true);
    }

    public <T> T run(Supplier<T> computation) {
        if (!admitted.tryAcquire()) {
            throw new OverloadedException();
        }
        try {
            running.acquireUninterruptibly();
            try {
                return computation.get();
            } finally {
                running.release();
            }
        } finally {
            admitted.release();
        }
    }

    /** Computations admitted but waiting for a slot. */
    public int waiting() {
        return running.getQueueLength();
    }

    /** Too many computations are running or waiting. */
    public static final class OverloadedException extends RuntimeException {
        OverloadedException() {
            super("too many computations at once");
        }
    }
}
