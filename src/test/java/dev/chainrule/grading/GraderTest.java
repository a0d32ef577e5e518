package dev.chainrule.grading;

import static dev.chainrule.grading.Problems.answers;
import static dev.chainrule.grading.Problems.outer;
import static dev.chainrule.grading.Problems.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.engine.Deadline;
import dev.chainrule.network.Golden;
import dev.chainrule.network.Gradients;
import dev.chainrule.network.Problem;
import dev.chainrule.engine.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The grader on its own: one crafted answer per diagnosis, on the running example and on a two-layer network. */
class GraderTest {

    static Grade grade(Problem p, Map<String, Answer> answers, Grader.Settings settings) {
        return new Grader(AnswerKey.network(Problems.ENGINE, p, Deadline.NONE), settings).grade(answers);
    }

    static Grade grade(Problem p, Map<String, Answer> answers) {
        return grade(p, answers, Grader.Settings.DEFAULT);
    }

    static GradeResult only(Problem p, String name, Tensor answer) {
        return grade(p, answers(name, answer)).results().get(name);
    }

    static Grader.Settings carryForward() {
        return new Grader.Settings(Tolerance.DEFAULT, false, true, 0.5);
    }

    @Nested
    class RunningExample {
        final Problem p = Problems.problem(Problems.RUNNING_EXAMPLE);
        final Gradients g = Problems.expected(p);
        final Tensor w = g.gradients().get("W");
        final Tensor b = g.gradients().get("b");

        @Test
        void withinToleranceIsCorrect() {
            GradeResult r = only(p, "W", w.map(v -> v * 1.005));
            assertEquals(Diagnosis.CORRECT, r.diagnosis());
            assertTrue(r.correct());
            assertEquals(1.0, r.score());
            assertNull(r.feedback());
            assertEquals(Diagnosis.CORRECT, only(p, "forward.h", g.forward().get("h")).diagnosis());
            assertEquals(Diagnosis.SCALED, only(p, "W", w.map(v -> v * 1.05)).diagnosis(), "5% off is not within rtol 1e-2");
        }

        @Test
        void theTransposeOfWIsTransposed() {
            GradeResult r = only(p, "W", Grader.transpose(w));
            assertEquals(Diagnosis.TRANSPOSED, r.diagnosis());
            assertEquals("You gave a 5×3 matrix, the transpose of what the shape convention wants: W's shape: a 3×5 matrix."
                    + " Read in that shape, it would be right.", r.feedback());
            assertEquals(0.0, r.score());
        }

        @Test
        void aJacobianFormRowForBIsTransposed() {
            GradeResult r = only(p, "b", b.reshape(1, 3));
            assertEquals(Diagnosis.TRANSPOSED, r.diagnosis());
            assertEquals("You gave a 1×3 row (Jacobian form); the shape convention wants b's shape: a column of 3."
                    + " Read in that shape, it would be right.", r.feedback());
        }

        @Test
        void aRowWithSomeWrongEntriesListsThem() {
            GradeResult r = only(p, "b", with(with(b, 0, 7), 2, 7).reshape(1, 3));
            assertEquals(Diagnosis.TRANSPOSED, r.diagnosis());
            assertEquals(List.of(List.of(0), List.of(2)), r.wrongEntries());
        }

        @Test
        void aColumnOfOneEntryRowsIsTransposed() {
            assertEquals(Diagnosis.TRANSPOSED, only(p, "b", b.reshape(3, 1)).diagnosis());
        }

        @Test
        void negatedIsSign() {
            GradeResult r = only(p, "W", w.map(v -> -v));
            assertEquals(Diagnosis.SIGN, r.diagnosis());
            assertEquals("Every entry has the wrong sign.", r.feedback());
        }

        @Test
        void doubledIsScaledByTwo() {
            GradeResult r = only(p, "W", w.map(v -> 2 * v));
            assertEquals(Diagnosis.SCALED, r.diagnosis());
            assertTrue(r.feedback().contains("off by a factor of 2)"), r.feedback());
            GradeResult half = only(p, "x", g.gradients().get("x").map(v -> v / 2));
            assertEquals(Diagnosis.SCALED, half.diagnosis());
            assertTrue(half.feedback().contains("your answer is 1/2 of the right value (off by a factor of 2)"), half.feedback());
            GradeResult odd = only(p, "W", w.map(v -> 0.6180339 * v));
            assertEquals(Diagnosis.SCALED, odd.diagnosis());
            assertTrue(odd.feedback().contains("about 0.62 times"), odd.feedback());
        }

        @Test
        void aScalarIsNeverScaled() {
            assertEquals(Diagnosis.WRONG, only(p, "s", Tensor.scalar(3)).diagnosis());
        }

        @Test
        void withoutSigmoidPrimeIsMissingActivationDerivative() {
            Gradients alt = Problems.withoutDerivative(p, 0);
            for (String name : List.of("z", "W", "b", "x")) {
                GradeResult r = only(p, name, alt.gradients().get(name));
                assertEquals(Diagnosis.MISSING_ACTIVATION_DERIVATIVE, r.diagnosis(), name);
                assertTrue(r.feedback().contains("the factor f'(z) left out"), r.feedback());
            }
        }

        @Test
        void oneEntryChangedIsPartial() {
            GradeResult r = only(p, "W", with(w, 7, 5.0));
            assertEquals(Diagnosis.PARTIAL, r.diagnosis());
            assertEquals(List.of(List.of(1, 2)), r.wrongEntries());
            assertEquals("1 of 15 entries are wrong (listed in wrong_entries); the others are right.", r.feedback());
        }

        @Test
        void itsOwnWrongDeltaCarriedForward() {
            double[] delta = {0.1, -0.2, 0.3};
            double[] x = {1, 2, 3, 4, 5};
            Tensor mineW = outer(delta, x);
            // ∂J/∂x = δ·W with the student's δ
            double[][] wRows = {{0.1, 0.2, 0.3, 0.4, 0.5}, {-0.5, 0.4, -0.3, 0.2, -0.1}, {0.05, 0.0, -0.05, 0.1, 0.2}};
            double[] mineX = new double[5];
            for (int j = 0; j < 5; j++) {
                for (int i = 0; i < 3; i++) {
                    mineX[j] += delta[i] * wRows[i][j];
                }
            }
            Map<String, Answer> a = answers("z", Tensor.vector(delta), "W", mineW, "b", Tensor.vector(delta), "x", Tensor.vector(mineX));
            Grade with = grade(p, a, carryForward());
            assertEquals(Diagnosis.WRONG, with.results().get("z").diagnosis());
            for (String name : List.of("W", "b", "x")) {
                GradeResult r = with.results().get(name);
                assertEquals(Diagnosis.CARRIED_FORWARD, r.diagnosis(), name);
                assertEquals(0.5, r.score());
                assertTrue(r.feedback().contains("your own answer for ∂J/∂z"), r.feedback());
            }
            assertEquals(1.5 / 4, with.score(), 1e-12);
            Grade without = grade(p, a);
            assertEquals(Diagnosis.WRONG, without.results().get("W").diagnosis());
            assertEquals(0.0, without.score());
        }

        @Test
        void aDeltaGivenAsARowStillCarriesForward() {
            double[] delta = {0.1, -0.2, 0.3};
            Grade r = grade(p, answers("z", Tensor.row(delta), "b", Tensor.vector(delta)), carryForward());
            assertEquals(Diagnosis.CARRIED_FORWARD, r.results().get("b").diagnosis());
        }

        @Test
        void theChainFromTheScoreCarriesForward() {
            // ∂J/∂s wrong (2 instead of 1): h = ∂J/∂s·u and u = ∂J/∂s·h follow from it
            Tensor h = g.forward().get("h");
            Grade r = grade(p, answers("s", Tensor.scalar(2), "h", Tensor.vector(new double[] {2, -4, 1}),
                    "u", h.map(v -> 2 * v)), carryForward());
            assertEquals(Diagnosis.CARRIED_FORWARD, r.results().get("h").diagnosis());
            assertEquals(Diagnosis.CARRIED_FORWARD, r.results().get("u").diagnosis());
        }

        @Test
        void aCorrectUpstreamCarriesNothing() {
            Grade r = grade(p, answers("z", g.gradients().get("z"), "W", w.map(v -> 3 * v)), carryForward());
            assertEquals(Diagnosis.SCALED, r.results().get("W").diagnosis());
        }

        @Test
        void unknownNameListsTheNames() {
            GradeResult r = only(p, "w", w);
            assertEquals(Diagnosis.UNKNOWN_NAME, r.diagnosis());
            assertTrue(r.feedback().contains("(did you mean \"W\"?)"), r.feedback());
            assertTrue(r.feedback().contains("J, x, z, h, s, W, b, u"), r.feedback());
            assertTrue(r.feedback().contains("forward.h"), r.feedback());
            assertEquals("W", ((GradeResult) only(p, "dW", w)).feedback().replaceAll(".*did you mean \"(\\w+)\".*", "$1"));
        }

        @Test
        void wrongShapes() {
            GradeResult r = only(p, "W", Tensor.matrix(new double[3][4]));
            assertEquals(Diagnosis.WRONG_SHAPE, r.diagnosis());
            assertEquals("You gave a 3×4 matrix; the shape convention wants W's shape: a 3×5 matrix.", r.feedback());
            GradeResult s = only(p, "s", Tensor.vector(new double[] {1.0}));
            assertEquals(Diagnosis.WRONG_SHAPE, s.diagnosis());
            assertEquals("∂J/∂s is a number (s is a scalar), but you gave a column of 1: write it as a plain number.", s.feedback());
            assertEquals(Diagnosis.WRONG_SHAPE, only(p, "b", Tensor.scalar(1)).diagnosis());
        }

        @Test
        void malformedIsInvalid() {
            GradeResult r = grade(p, answers("W", GradeReader.answer(Problems.json("[[1, 2], [3]]")))).results().get("W");
            assertEquals(Diagnosis.INVALID, r.diagnosis());
            assertTrue(r.feedback().contains("ragged"), r.feedback());
            for (String bad : List.of("\"0.5\"", "null", "{}", "[]", "[1, \"2\"]", "[[1], 2]", "true", "[1e999]")) {
                assertEquals(Diagnosis.INVALID, grade(p, answers("b", GradeReader.answer(Problems.json(bad)))).results().get("b").diagnosis(), bad);
            }
        }

        @Test
        void somethingElseIsWrong() {
            GradeResult r = only(p, "W", Tensor.matrix(new double[][] {{1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}, {-1, 0.5, 3, 4, 5}}));
            assertEquals(Diagnosis.WRONG, r.diagnosis());
            assertNull(r.wrongEntries());
        }

        @Test
        void scoreIsTheMeanOfTheAnswersScores() {
            Grade r = grade(p, answers("u", g.gradients().get("u"), "b", b.reshape(1, 3)));
            assertEquals(0.5, r.score());
            assertEquals(1, r.correct());
            assertEquals(2, r.total());
            assertEquals(List.of("u", "b"), List.copyOf(r.results().keySet()));
        }

        @Test
        void revealPutsTheExpectedValueBeside() {
            Grade r = grade(p, answers("W", w.map(v -> -v)), new Grader.Settings(Tolerance.DEFAULT, true, false, 0.5));
            assertEquals(w, r.results().get("W").expected());
            assertNull(grade(p, answers("W", w.map(v -> -v))).results().get("W").expected());
        }
    }

    @Nested
    class TwoLayerSoftmax {
        final Problem p = Problems.problem(Problems.softmax());
        final Gradients g = Problems.expected(p);
        final Tensor w1 = g.gradients().get("W1");

        @Test
        void eachDiagnosis() {
            assertEquals(Diagnosis.CORRECT, only(p, "W1", w1.map(v -> v * 0.996)).diagnosis());
            assertEquals(Diagnosis.TRANSPOSED, only(p, "W1", Grader.transpose(w1)).diagnosis());
            assertEquals(Diagnosis.TRANSPOSED, only(p, "W1", w1.reshape(1, 12)).diagnosis());
            assertEquals(Diagnosis.SIGN, only(p, "W2", g.gradients().get("W2").map(v -> -v)).diagnosis());
            assertEquals(Diagnosis.SCALED, only(p, "b1", g.gradients().get("b1").map(v -> 2 * v)).diagnosis());
            assertEquals(Diagnosis.PARTIAL, only(p, "x", with(g.gradients().get("x"), 1, 0.0)).diagnosis());
            assertEquals(Diagnosis.UNKNOWN_NAME, only(p, "W", w1).diagnosis());
            assertEquals(Diagnosis.WRONG_SHAPE, only(p, "W2", w1).diagnosis());
            assertEquals(Diagnosis.WRONG, only(p, "z2", Tensor.vector(new double[] {0.3, 0.3})).diagnosis());
        }

        @Test
        void withoutReluPrimeOfLayerOne() {
            Gradients alt = Problems.withoutDerivative(p, 0);
            for (String name : List.of("z1", "W1", "b1", "x")) {
                GradeResult r = only(p, name, alt.gradients().get(name));
                assertEquals(Diagnosis.MISSING_ACTIVATION_DERIVATIVE, r.diagnosis(), name);
                assertTrue(r.feedback().contains("layer 1's f'(z1) left out"), r.feedback());
            }
        }

        @Test
        void ownWrongDeltaTwoCarriedForwardThroughTheNetwork() {
            double[] delta2 = {0.5, -0.2};
            double[] h1 = g.forward().get("h1").toArray();
            // ∂J/∂h1 = δ2·W2 with W2 = [[1, -1, 0.5, 0.2], [-0.5, 0.3, 0.9, -1]]
            double[] gh1 = {0.5 * 1 + 0.2 * 0.5, 0.5 * -1 - 0.2 * 0.3, 0.5 * 0.5 - 0.2 * 0.9, 0.5 * 0.2 + 0.2};
            // ∂J/∂z1 = ∂J/∂h1 ⊙ relu'(z1), z1 = [+, +, 0, +] (unit 2 is dead)
            double[] gz1 = {gh1[0], gh1[1], 0, gh1[3]};
            Grade r = grade(p, answers("z2", Tensor.vector(delta2), "W2", outer(delta2, h1), "b2", Tensor.vector(delta2),
                    "h1", Tensor.vector(gh1), "z1", Tensor.vector(gz1), "W1", outer(gz1, new double[] {1.5, -2, 0.5})), carryForward());
            assertEquals(Diagnosis.WRONG, r.results().get("z2").diagnosis());
            for (String name : List.of("W2", "b2", "h1", "z1", "W1")) {
                assertEquals(Diagnosis.CARRIED_FORWARD, r.results().get(name).diagnosis(), name);
            }
            assertEquals(2.5 / 6, r.score(), 1e-12);
        }
    }

    @Nested
    class Tolerances {
        final Problem p = Problems.problem(Problems.RUNNING_EXAMPLE);

        GradeResult b(Tolerance t, double... values) {
            return grade(p, answers("b", Tensor.vector(values)), new Grader.Settings(t, false, false, 0.5)).results().get("b");
        }

        @Test
        void sigfig() {
            // b = [0.0036706662757992974, -0.4805214914830583, 0.08414918123453012]
            Tolerance three = new Tolerance(Tolerance.Mode.SIGFIG, 0, 0, 3);
            assertEquals(Diagnosis.CORRECT, b(three, 0.00367, -0.481, 0.0841).diagnosis());
            assertEquals(Diagnosis.PARTIAL, b(three, 0.0037, -0.481, 0.0841).diagnosis());
            Tolerance two = new Tolerance(Tolerance.Mode.SIGFIG, 0, 0, 2);
            assertEquals(Diagnosis.CORRECT, b(two, 0.0037, -0.48, 0.084).diagnosis());
            assertFalse(three.within(0.0037, 0.0036706662757992974));
            assertTrue(new Tolerance(Tolerance.Mode.SIGFIG, 0, 0, 2).within(0.004, 0));
        }

        @Test
        void decimals() {
            Tolerance three = new Tolerance(Tolerance.Mode.DECIMALS, 0, 0, 3);
            assertEquals(Diagnosis.CORRECT, b(three, 0.004, -0.481, 0.084).diagnosis());
            assertEquals(List.of(List.of(1)), b(three, 0.004, -0.47, 0.084).wrongEntries());
            Tolerance one = new Tolerance(Tolerance.Mode.DECIMALS, 0, 0, 1);
            assertEquals(Diagnosis.CORRECT, b(one, 0, -0.5, 0.1).diagnosis());
        }

        @Test
        void absoluteRelative() {
            Tolerance tight = new Tolerance(Tolerance.Mode.ABSOLUTE_RELATIVE, 1e-6, 0, 0);
            assertTrue(tight.within(1.0000009, 1));
            assertFalse(tight.within(1.000002, 1));
            assertTrue(Tolerance.DEFAULT.within(1e-9, 0));
            assertFalse(Tolerance.DEFAULT.within(1e-7, 0));
        }
    }

    static List<java.nio.file.Path> goldenCases() {
        return dev.chainrule.network.Golden.cases();
    }

    /** Every golden case (batches, max-margin, deep networks): the expected values are correct, their negations sign. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("goldenCases")
    void everyGoldenCaseGradesItsOwnAnswersCorrect(java.nio.file.Path file) {
        Problem p = Problems.problem(dev.chainrule.network.Golden.read(file).get("request").toString());
        Gradients g = Problems.expected(p);
        Map<String, Answer> right = new java.util.LinkedHashMap<>();
        Map<String, Answer> negated = new java.util.LinkedHashMap<>();
        g.gradients().forEach((name, t) -> {
            right.put(name, new Answer.Value(t));
            negated.put(name, new Answer.Value(t.map(v -> -v)));
        });
        g.forward().forEach((name, t) -> right.put("forward." + name, new Answer.Value(t)));
        Grade all = grade(p, right, carryForward());
        assertEquals(all.total(), all.correct(), file + ": " + all.results());
        assertEquals(1.0, all.score());
        Grade signs = grade(p, negated, carryForward());
        signs.results().forEach((name, r) -> {
            boolean zero = Grader.allWithin(g.gradients().get(name), g.gradients().get(name).map(v -> 0), Tolerance.DEFAULT);
            // a negated answer is its own δ's consequence: carried forward from the wrong-signed gradient above it
            List<Diagnosis> allowed = zero ? List.of(Diagnosis.CORRECT) : List.of(Diagnosis.SIGN, Diagnosis.CARRIED_FORWARD);
            assertTrue(allowed.contains(r.diagnosis()), file + " " + name + ": " + r);
        });
    }

    /** A gradient's key written out as a derivative, or as /v1/gradients keys it, is graded as the name it means. */
    @Nested
    class Spellings {
        final Problem p = Problems.problem(Problems.RUNNING_EXAMPLE); // the score loss on one example: J = s
        final Tensor w = Problems.expected(p).gradients().get("W");

        @Test
        void aDerivativeOfJOrOfSWhereJIsSIsGradedAsTheName() {
            for (String key : List.of("∂J/∂W", "dJ/dW", "d J / d W", " ∂J / ∂W", "∂s/∂W", "ds/dW", "∂J/dW",
                    "gradients.W")) {
                GradeResult r = grade(p, answers(key, w)).results().get(key);
                assertEquals(Diagnosis.CORRECT, r.diagnosis(), key);
                assertEquals("W", r.name(), key);
                GradeResult t = only(p, key, Grader.transpose(w));
                assertEquals(only(p, "W", Grader.transpose(w)).feedback(), t.feedback(), key);
            }
            assertNull(only(p, "W", w).name(), "the name itself carries no name");
            assertEquals(Diagnosis.CORRECT, only(p, "gradients.J", Tensor.scalar(1)).diagnosis());
        }

        @Test
        void otherKeysStayUnknownWithTheNameSuggested() {
            for (String key : List.of("∂L/∂W", "dW", "∂J/∂w", "gradients.w", "∂s/∂forward.h", "gradients.forward.h")) {
                GradeResult r = only(p, key, w);
                assertEquals(Diagnosis.UNKNOWN_NAME, r.diagnosis(), key);
                assertNull(r.name(), key);
                assertTrue(r.feedback().matches(".*did you mean \"(W|forward\\.h)\"\\?.*"), key + ": " + r.feedback());
            }
            assertEquals(Diagnosis.UNKNOWN_NAME, only(p, "∂J/∂", w).diagnosis());
            assertEquals(Diagnosis.UNKNOWN_NAME, only(p, "gradients.", w).diagnosis());
        }

        @Test
        void sIsNotJUnderAnotherLossOrWithABatch() {
            Problem margin = Problems.problem(Golden.request("cs224n-max-margin"));
            Tensor wm = Problems.expected(margin).gradients().get("W");
            assertEquals(Diagnosis.CORRECT, only(margin, "∂J/∂W", wm).diagnosis());
            GradeResult r = only(margin, "∂s/∂W", wm);
            assertEquals(Diagnosis.UNKNOWN_NAME, r.diagnosis(), "J = max(0, 1 − s + s_c) is not s");
            assertTrue(r.feedback().contains("(did you mean \"W\"?)"), r.feedback());
            String twoExamples = Problems.RUNNING_EXAMPLE.replace("\"x\":[1,2,3,4,5]", "\"batch\":[[1,2,3,4,5],[0,1,0,1,0]]");
            assertTrue(twoExamples.contains("batch"), twoExamples);
            Problem batch = Problems.problem(twoExamples);
            assertEquals(Diagnosis.UNKNOWN_NAME, only(batch, "∂s/∂W", wm).diagnosis(), "with a batch, J sums the s's");
            assertEquals(Diagnosis.CORRECT, only(batch, "∂J/∂W", Problems.expected(batch).gradients().get("W"))
                    .diagnosis());
        }

        @Test
        void aWrongAnswerUnderAnotherSpellingGetsTheSameDiagnosis() {
            Grade both = grade(p, answers("dJ/dW", w.map(v -> -v), "gradients.b", Tensor.vector(new double[] {1, 2, 3})));
            assertEquals(Diagnosis.SIGN, both.results().get("dJ/dW").diagnosis());
            assertEquals(Diagnosis.WRONG, both.results().get("gradients.b").diagnosis());
            assertEquals(List.of("dJ/dW", "gradients.b"), List.copyOf(both.results().keySet()), "the student's keys");
        }
    }

    @Test
    void aSquareMatrixWithItsEntriesTransposedIsTransposed() {
        Problem p = Problems.problem("""
                {"network": {"layers": [{"type": "dense", "W": [[1, 2], [3, 4]], "activation": "tanh"},
                  {"type": "score", "u": [1, -1]}]}, "x": [0.5, -1], "loss": {"type": "score"}}""");
        Tensor w = Problems.expected(p).gradients().get("W");
        GradeResult r = only(p, "W", Grader.transpose(w));
        assertEquals(Diagnosis.TRANSPOSED, r.diagnosis());
        assertTrue(r.feedback().startsWith("Your answer is the transpose of the right one"), r.feedback());
    }

    @Test
    void factorsAreNamedAsSimpleFractionsOrToTwoDigits() {
        assertEquals("your answer is 2 times the right value (off by a factor of 2).", Grader.factorText(new int[] {2, 1}, 2.0000001));
        assertEquals("your answer is 1/2 of the right value (off by a factor of 2).", Grader.factorText(new int[] {1, 2}, 0.5));
        assertEquals("your answer is 3/2 of the right value (off by a factor of 3/2).", Grader.factorText(new int[] {3, 2}, 1.5));
        assertEquals("your answer is 2/3 of the right value (off by a factor of 3/2).", Grader.factorText(new int[] {2, 3}, 0.667));
        assertEquals("your answer is -3 times the right value (off by a factor of 3, and the sign is wrong too).",
                Grader.factorText(new int[] {-3, 1}, -3));
        assertEquals("your answer is about 0.58 times the right value (off by a factor of about 1.7).", Grader.factorText(null, 0.579366));
    }

    /** A factor of 1e-300 is named in a few digits, not with its ~300 zeros (a regression test of issue 16). */
    @Test
    void aTinyOrHugeFactorIsNamedInAFewDigits() {
        assertEquals("your answer is about 1e-300 times the right value (off by a factor of about 1e300).",
                Grader.factorText(null, 1e-300));
        Problem p = Problems.problem(Problems.RUNNING_EXAMPLE);
        Tensor u = Problems.expected(p).gradients().get("u");
        GradeResult r = only(p, "u", u.map(v -> v * 3.7e-250));
        assertEquals(Diagnosis.SCALED, r.diagnosis());
        assertTrue(r.feedback().length() < 200, r.feedback());
        assertTrue(r.feedback().contains("3.7e-250"), r.feedback());
    }
}
