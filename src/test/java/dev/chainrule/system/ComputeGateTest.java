package dev.chainrule.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.budget.Cost;
import java.time.Duration;
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
            assertThrows(ComputeGate.OverloadedException.class, () -> gate.run(() -> 3));
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

    private static final Cost INSTANT = new Cost(ComputeGate.INSTANT_WORK, ComputeGate.INSTANT_ANSWER_BYTES);
    private static final Cost LIGHT = new Cost(ComputeGate.INSTANT_WORK + 1, 0);

    @Test
    void anInstantComputationRunsAtOnceWhileTheSlotsAreBusy() throws Exception {
        ComputeGate gate = new ComputeGate(1, 4, Duration.ofSeconds(30), Long.MAX_VALUE);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> slow = pool.submit(() -> gate.run(LIGHT, () -> false, d -> {
                running.countDown();
                await(release);
                return 1;
            }));
            assertTrue(running.await(5, TimeUnit.SECONDS));
            // the only slot is taken: an instant computation still runs, on its own thread, without waiting
            Integer instant = gate.run(INSTANT, () -> false, d -> 2);
            assertEquals(2, instant);
            assertEquals(0, gate.waiting());
            // one that is not instant (too much work or too large an answer) waits for the slot
            Future<Integer> light = pool.submit(() -> gate.run(new Cost(1, ComputeGate.INSTANT_ANSWER_BYTES + 1),
                    () -> false, d -> 3));
            waitUntilQueued(gate);
            release.countDown();
            assertEquals(1, slow.get(5, TimeUnit.SECONDS));
            assertEquals(3, light.get(5, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void instantComputationsHaveAsManyPlacesAsSlotsAndThenQueueForASlot() throws Exception {
        ComputeGate gate = new ComputeGate(2, 100, Duration.ofSeconds(30), Long.MAX_VALUE);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 200; i++) {
                pool.submit(() -> gate.run(INSTANT, () -> false, d -> {
                    peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                    for (int spin = 0; spin < 1000; spin++) {
                        Thread.onSpinWait();
                    }
                    return now.decrementAndGet();
                }));
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            assertTrue(peak.get() <= 4, "at most 2 places and 2 slots at once, saw " + peak.get());
            assertEquals(0, gate.running());
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
