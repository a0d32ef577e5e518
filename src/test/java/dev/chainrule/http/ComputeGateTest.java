package dev.chainrule.http;

import dev.chainrule.errors.OverloadedException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gate lets a bounded number run, queues a few, and refuses the rest at once. */
class ComputeGateTest {

    @Test
    void refusesAtOnceWhenRunningAndQueuedAreFull() throws Exception {
        ComputeGate gate = new ComputeGate(1, 1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> first = pool.submit(() -> gate.run(() -> {
                running.countDown();
                await(release);
                return 1;
            }));
            assertTrue(running.await(5, TimeUnit.SECONDS));
            Future<Integer> queued = pool.submit(() -> gate.run(() -> 2));
            // the queued one waits for the running one; a third is refused without waiting
            waitUntilQueued(gate);
            long start = System.nanoTime();
            assertThrows(OverloadedException.class, () -> gate.run(() -> 3));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "refused at once");
            release.countDown();
            assertEquals(1, first.get(5, TimeUnit.SECONDS));
            assertEquals(2, queued.get(5, TimeUnit.SECONDS));
            assertEquals(4, gate.run(() -> 4), "free again afterwards");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void neverRunsMoreThanItsBoundAtOnce() throws Exception {
        ComputeGate gate = new ComputeGate(2, 100);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 64; i++) {
                pool.submit(() -> gate.run(() -> {
                    peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                    Thread.onSpinWait();
                    return now.decrementAndGet();
                }));
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            assertTrue(peak.get() <= 2, "peak " + peak.get());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void waitUntilQueued(ComputeGate gate) throws InterruptedException {
        for (int i = 0; i < 500 && gate.waiting() == 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(1, gate.waiting());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
