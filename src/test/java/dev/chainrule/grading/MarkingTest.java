package dev.chainrule.grading;

import dev.chainrule.engine.Deadline;
import static dev.chainrule.grading.Problems.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.network.Gradients;
import dev.chainrule.network.Problem;
import dev.chainrule.engine.Tensor;
import dev.chainrule.errors.InvalidRequestException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Questions, points, per-entry partial credit and missing answers, on the running example. */
class MarkingTest {

    final Problem p = Problems.problem(Problems.RUNNING_EXAMPLE);
    final Gradients g = Problems.expected(p);
    final Tensor w = g.gradients().get("W");
    final Tensor b = g.gradients().get("b");
    final Tensor u = g.gradients().get("u");
    final AnswerKey key = AnswerKey.network(Problems.ENGINE, p, Deadline.NONE);

    Grade mark(Map<String, Answer> answers, List<Question> questions, Grader.Settings settings) {
        return new Grader(key, settings).grade(answers, questions);
    }

    Grade mark(Map<String, Answer> answers, List<Question> questions) {
        return mark(answers, questions, Grader.Settings.DEFAULT);
    }

    /** W with its first {@code wrong} entries (row-major) pushed far off. */
    Tensor wWithWrong(int wrong) {
        Tensor t = w;
        for (int i = 0; i < wrong; i++) {
            t = Problems.with(t, i, 100 + i);
        }
        return t;
    }

    @Test
    void pointsAndPerEntryCreditAreExactFractions() {
        List<Question> q = List.of(new Question("W", 3, true), new Question("b", 2, false), new Question("u", 1, false));
        Grade grade = mark(answers("W", wWithWrong(5), "b", b.map(v -> -v), "u", u), q);
        GradeResult rw = grade.results().get("W");
        assertEquals(Diagnosis.PARTIAL, rw.diagnosis());
        assertEquals(10.0 / 15, rw.score(), 1e-15, "10 of 15 entries right");
        assertEquals(10.0 / 15 * 3, rw.points(), 1e-15);
        assertEquals(3.0, rw.maxPoints());
        assertEquals(0.0, grade.results().get("b").points(), "per_entry was not asked for b: a sign slip earns 0");
        assertEquals(1.0, grade.results().get("u").points());
        assertEquals(10.0 / 15 * 3 + 1, grade.points(), 1e-15);
        assertEquals(6.0, grade.maxPoints());
        assertEquals((10.0 / 15 * 3 + 1) / 6, grade.score(), 1e-15);
        assertEquals(1, grade.correct());
        assertEquals(3, grade.total());
    }

    @Test
    void withoutPerEntryAPartialAnswerEarnsNothing() {
        Grade grade = mark(answers("W", wWithWrong(5)), List.of(new Question("W", 3, false)));
        assertEquals(Diagnosis.PARTIAL, grade.results().get("W").diagnosis());
        assertEquals(0.0, grade.points());
        assertEquals(0.0, grade.score());
    }

    @Test
    void perEntryCountsOnlyAnAnswerOfTheExpectedShape() {
        List<Question> q = List.of(new Question("W", 1, true), new Question("b", 1, true));
        Grade grade = mark(answers("W", Grader.transpose(w), "b", b.reshape(1, 3)), q);
        assertEquals(Diagnosis.TRANSPOSED, grade.results().get("W").diagnosis());
        assertEquals(0.0, grade.points(), "a transposed answer earns no per-entry credit");
        Grade right = mark(answers("W", w.map(v -> v * 1.001)), List.of(new Question("W", 4, true)));
        assertEquals(4.0, right.points());
        assertEquals(1.0, right.score());
    }

    @Test
    void perEntryNeverLowersTheDiagnosisCredit() {
        // carried forward (credit 0.6) with every entry wrong: the per-entry fraction (0) does not replace the 0.6
        double[] delta = {0.1, -0.2, 0.3};
        Grader.Settings carry = new Grader.Settings(Tolerance.DEFAULT, false, true, 0.6);
        Grade grade = mark(answers("z", Tensor.vector(delta), "b", Tensor.vector(delta)),
                List.of(new Question("z", 1, true), new Question("b", 2, true)), carry);
        assertEquals(Diagnosis.CARRIED_FORWARD, grade.results().get("b").diagnosis());
        assertEquals(1.2, grade.results().get("b").points(), 1e-15);
    }

    @Test
    void aQuestionWithoutAnAnswerIsMissingAndAnUnaskedAnswerIsNotScored() {
        List<Question> q = List.of(new Question("u", 1, false), new Question("W", 2, false), new Question("forward.h", 1, false));
        Grade grade = mark(answers("b", b, "u", u), q);
        assertEquals(List.of("u", "W", "forward.h", "b"), List.copyOf(grade.results().keySet()), "questions first, then the unasked");
        GradeResult missing = grade.results().get("W");
        assertEquals(Diagnosis.MISSING, missing.diagnosis());
        assertFalse(missing.correct());
        assertEquals("Not answered: this question asks for ∂J/∂W.", missing.feedback());
        assertEquals(0.0, missing.points());
        assertEquals(2.0, missing.maxPoints());
        assertNull(missing.expected());
        assertEquals("Not answered: this question asks for the forward value h.", grade.results().get("forward.h").feedback());
        GradeResult unasked = grade.results().get("b");
        assertEquals(Diagnosis.CORRECT, unasked.diagnosis());
        assertEquals(Boolean.FALSE, unasked.asked());
        assertNull(unasked.points());
        assertEquals(1.0, grade.points());
        assertEquals(4.0, grade.maxPoints());
        assertEquals(0.25, grade.score());
        assertEquals(1, grade.correct(), "the unasked correct answer is not counted");
        assertEquals(3, grade.total());
    }

    @Test
    void revealShowsAMissingAnswersExpectedValue() {
        Grade grade = mark(answers(), List.of(new Question("b", 1, false)), new Grader.Settings(Tolerance.DEFAULT, true, false, 0.5));
        assertEquals(b, grade.results().get("b").expected());
    }

    @Test
    void noAnswersAtAllIsZeroOfTheMaximum() {
        Grade grade = mark(answers(), List.of(new Question("u", 1, false), new Question("W", 1, false), new Question("b", 1, false)));
        assertEquals(0.0, grade.points());
        assertEquals(3.0, grade.maxPoints());
        assertEquals(0.0, grade.score());
        assertTrue(grade.results().values().stream().allMatch(r -> r.diagnosis() == Diagnosis.MISSING));
    }

    @Test
    void withoutQuestionsEveryAnswerGivenIsWorthOnePoint() {
        Grade grade = new Grader(key, Grader.Settings.DEFAULT).grade(answers("u", u, "b", b.map(v -> -v)), null);
        assertEquals(1.0, grade.points());
        assertEquals(2.0, grade.maxPoints());
        assertEquals(0.5, grade.score());
        assertNull(grade.results().get("u").asked());
        Grade none = new Grader(key, Grader.Settings.DEFAULT).grade(answers(), null);
        assertEquals(0.0, none.maxPoints(), "nothing asked, nothing given: 0 of 0");
    }

    @Test
    void anAnswerSpelledAnotherWayAnswersItsQuestion() {
        List<Question> q = List.of(new Question("W", 2, false), new Question("∂J/∂b", 1, false), new Question("u", 1, false));
        Grade grade = mark(answers("∂J/∂W", w, "b", b, "gradients.u", u.map(v -> -v), "dJ/dz", w), q);
        assertEquals(List.of("W", "∂J/∂b", "u", "dJ/dz"), List.copyOf(grade.results().keySet()),
                "the questions' names, then the answers no question asks for");
        assertEquals(2.0, grade.results().get("W").points());
        assertNull(grade.results().get("W").name(), "under its own name");
        assertEquals(1.0, grade.results().get("∂J/∂b").points());
        assertEquals("b", grade.results().get("∂J/∂b").name());
        assertEquals(Diagnosis.SIGN, grade.results().get("u").diagnosis());
        assertEquals(Boolean.FALSE, grade.results().get("dJ/dz").asked());
        assertEquals("z", grade.results().get("dJ/dz").name());
        assertEquals(3.0 / 4, grade.score(), 1e-15);
        Marking.check(q, key);
    }

    @Test
    void aQuestionNamingNoQuantityIsRefused() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> Marking.check(List.of(new Question("W", 1, false), new Question("dW", 1, false)), key));
        assertEquals("questions[1].name", e.errors().get(0).path());
        assertTrue(e.errors().get(0).message().startsWith("\"dW\" names no quantity of this problem; its names are "), e.errors().get(0).message());
    }
}
