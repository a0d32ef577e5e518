package dev.chainrule.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The request threads: a few in turn, one more per held thread, back to the few once the held ones are free. */
class RequestThreadsTest {

    private final List<RequestThreads> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(RequestThreads::close);
    }

    private RequestThreads threads(int base, int ceiling) {
        return threads(base, ceiling, Duration.ofMillis(10));
    }

    private RequestThreads threads(int base, int ceiling, Duration stall) {
        RequestThreads t = new RequestThreads("test-request", base, ceiling, stall);
        opened.add(t);
        return t;
    }

    @Test
    void requestsThatFinishQuicklyAreTakenInTurnByTheBaseThreadsAlone() throws Exception {
        // a request here takes microseconds; the stall time is a second so that a base thread the machine's scheduler
        // sets aside for a few milliseconds (a loaded machine) does not count as held
        RequestThreads threads = threads(2, 50, Duration.ofSeconds(1));
        Set<String> names = ConcurrentHashMap.newKeySet();
        int n = 2_000;
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            threads.execute(() -> {
                names.add(Thread.currentThread().getName());
                done.countDown();
            });
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        // the two base threads and no other (a thread may not get to run at all while the other empties the queue)
        assertThat(names).hasSizeBetween(1, 2).allMatch(t -> t.equals("test-request-1") || t.equals("test-request-2"));
        assertThat(threads.threads()).isEqualTo(2);
        assertThat(threads.added()).isZero();
    }

    @Test
    void aQueuedRequestGetsAThreadSoonWhileEveryBaseThreadIsHeld() throws Exception {
        RequestThreads threads = threads(2, 50);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = hold(threads, 2, release);
        assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
        CountDownLatch probe = new CountDownLatch(1);
        long asked = System.nanoTime();
        threads.execute(probe::countDown);
        // a health probe behind two held threads: answered once they count as held (10 ms), not when they are free
        assertThat(probe.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(2));
        // two free threads beside the two held ones, and no more
        eventually(() -> threads.threads() == 4);
        Thread.sleep(100);
        assertThat(threads.threads()).isEqualTo(4);
        assertThat(threads.added()).isEqualTo(2);
        release.countDown();
    }

    @Test
    void aWatchdogRestingOnAnIdlePoolIsWokenByTheFirstRequestTaken() throws Exception {
        RequestThreads threads = threads(1, 4);
        Thread.sleep(1_500);  // idle: the watchdog rests (up to a second at a time) instead of looking every 5 ms
        CountDownLatch release = new CountDownLatch(1);
        threads.execute(() -> await(release));
        CountDownLatch probe = new CountDownLatch(1);
        long asked = System.nanoTime();
        threads.execute(probe::countDown);
        assertThat(probe.await(5, TimeUnit.SECONDS)).isTrue();
        // woken when the first request was taken, it finds the thread held after 10 ms, not after its rest
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofMillis(500));
        release.countDown();
    }

    @Test
    void onceTheHeldThreadsAreFreeTheExtraOnesEndAfterTheirNextRequest() throws Exception {
        RequestThreads threads = threads(2, 50);
        CountDownLatch release = new CountDownLatch(1);
        hold(threads, 6, release);
        eventually(() -> threads.threads() == 8);
        release.countDown();
        // each thread now finishes its request; the ones beyond two end with their next request or at once
        for (int i = 0; i < 100; i++) {
            threads.execute(() -> { });
        }
        eventually(() -> {
            threads.execute(() -> { });
            return threads.threads() == 2;
        });
        assertThat(threads.queued()).isLessThanOrEqualTo(1);
    }

    @Test
    void neverMoreThreadsThanTheCeiling() throws Exception {
        RequestThreads threads = threads(1, 3);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = hold(threads, 5, release);
        eventually(() -> threads.threads() == 3);
        Thread.sleep(200);
        assertThat(threads.threads()).isEqualTo(3);
        assertThat(ran.getCount()).isEqualTo(2);
        release.countDown();
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFailingRequestDoesNotCostAThread() throws Exception {
        RequestThreads threads = threads(1, 1);
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        threads.execute(() -> {
            // the failure goes to the thread's handler (here the test's, not the console's)
            Thread.currentThread().setUncaughtExceptionHandler((t, e) -> reported.add(e));
            throw new IllegalStateException("expected by the test");
        });
        CountDownLatch next = new CountDownLatch(1);
        threads.execute(next::countDown);
        assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(threads.threads()).isEqualTo(1);
        assertThat(reported).singleElement().asString().contains("expected by the test");
    }

    @Test
    void closedThreadsFinishWhatIsQueuedAndRefuseMore() throws Exception {
        RequestThreads threads = threads(2, 4);
        CountDownLatch queued = new CountDownLatch(10);
        for (int i = 0; i < 10; i++) {
            threads.execute(queued::countDown);
        }
        threads.close();
        assertThat(queued.await(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> threads.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        eventually(() -> threads.threads() == 0);
    }

    @Test
    void aBaseOverTheCeilingIsRefused() {
        assertThatThrownBy(() -> new RequestThreads("x", 4, 2, Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Queues {@code n} requests that each hold their thread until {@code release}; counts down as each starts. */
    private static CountDownLatch hold(RequestThreads threads, int n, CountDownLatch release) {
        CountDownLatch started = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            threads.execute(() -> {
                started.countDown();
                await(release);
            });
        }
        return started;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(end);
            Thread.sleep(5);
        }
    }
}
