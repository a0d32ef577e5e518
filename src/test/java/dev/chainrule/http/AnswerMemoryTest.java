package dev.chainrule.http;

import dev.chainrule.errors.OverloadedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AnswerMemoryTest {

    private static long in(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void smallAnswersAreNotCounted() {
        AnswerMemory memory = new AnswerMemory(1024 * 1024);
        AnswerMemory.Reservation r = memory.reserve(AnswerMemory.COUNTED_FROM, in(0));
        assertThat(r).isSameAs(AnswerMemory.Reservation.NONE);
        r.fit(500 * 1024);
        assertThat(memory.freeBytes()).isEqualTo(1024 * 1024);
        r.release();
        assertThat(memory.freeBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void aLargeAnswerHoldsItsBytesUntilReleasedOnce() {
        AnswerMemory memory = new AnswerMemory(1024 * 1024);
        AnswerMemory.Reservation r = memory.reserve(300 * 1024, in(0));
        assertThat(memory.freeBytes()).isEqualTo(724 * 1024);
        r.release();
        r.release();
        assertThat(memory.freeBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void anAnswerLargerThanTheBudgetTakesAllOfItAndStillGoes() {
        AnswerMemory memory = new AnswerMemory(1024 * 1024);
        AnswerMemory.Reservation r = memory.reserve(50L * 1024 * 1024, in(0));
        assertThat(memory.freeBytes()).isZero();
        r.release();
        assertThat(memory.freeBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void pastTheBudgetAnAnswerWaitsThenIsTurnedAwayWith503() {
        AnswerMemory memory = new AnswerMemory(1024 * 1024);
        AnswerMemory.Reservation r = memory.reserve(800 * 1024, in(0));
        assertThatThrownBy(() -> memory.reserve(300 * 1024, in(50)))
                .isInstanceOf(OverloadedException.class)
                .hasMessageContaining("large answers");
        r.release();
        assertThat(memory.freeBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void aWaitingAnswerGoesOnOnceTheMemoryIsGivenBack() throws Exception {
        AnswerMemory memory = new AnswerMemory(1024 * 1024);
        AnswerMemory.Reservation first = memory.reserve(800 * 1024, in(0));
        CompletableFuture<AnswerMemory.Reservation> second =
                CompletableFuture.supplyAsync(() -> memory.reserve(300 * 1024, in(5_000)));
        Thread.sleep(50);
        assertThat(second).isNotDone();
        first.release();
        second.get(5, TimeUnit.SECONDS).release();
        assertThat(memory.freeBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void anAnswerSmallerThanPredictedGivesTheRestBackOnceBuilt() {
        AnswerMemory memory = new AnswerMemory(1024 * 1024);
        AnswerMemory.Reservation r = memory.reserve(800 * 1024, in(0));
        r.fit(200 * 1024);
        assertThat(memory.freeBytes()).isEqualTo(824 * 1024);
        r.release();
        assertThat(memory.freeBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void theWarmUpsAnswersHoldNothing() {
        AnswerMemory memory = new AnswerMemory(1024 * 1024);
        AnswerMemory.Reservation.NONE.fit(500 * 1024);
        assertThat(memory.freeBytes()).isEqualTo(1024 * 1024);
        AnswerMemory.Reservation.NONE.release();
    }

    @Test
    void anAnswerLargerThanPredictedTakesWhatIsFreeWithoutWaiting() {
        AnswerMemory memory = new AnswerMemory(1024 * 1024);
        AnswerMemory.Reservation r = memory.reserve(100 * 1024, in(0));
        r.fit(200 * 1024);
        assertThat(memory.freeBytes()).isEqualTo(824 * 1024);
        AnswerMemory.Reservation other = memory.reserve(700 * 1024, in(0));
        r.fit(400 * 1024); // 200 kB more than it holds, and 124 kB free: takes nothing, never waits
        assertThat(memory.freeBytes()).isEqualTo(124 * 1024);
        r.release();
        other.release();
        assertThat(memory.freeBytes()).isEqualTo(1024 * 1024);
    }
}
