package dev.chainrule.http;

import dev.chainrule.budget.Cost;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A computation that holds one compute slot until closed: what a busy service looks like to the next request. */
public final class HeldSlot implements AutoCloseable {

    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread occupant;

    private HeldSlot(Answers answers) {
        occupant = new Thread(() -> answers.answerInProcess(Work.json(Cost.ZERO, "", "a computation that waits", deadline -> {
            holding.countDown();
            try {
                return release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        })), "held-slot");
        occupant.start();
    }

    /** Takes a slot, returning once the computation holding it runs. */
    public static HeldSlot hold(Answers answers) throws InterruptedException {
        HeldSlot held = new HeldSlot(answers);
        if (!held.holding.await(10, TimeUnit.SECONDS)) {
            held.close();
            throw new IllegalStateException("no slot was free in 10 s");
        }
        return held;
    }

    /** Frees the slot and waits for its computation to end. */
    @Override
    public void close() throws InterruptedException {
        release.countDown();
        occupant.join(10_000);
    }
}
