package dev.chainrule.grading;

import static dev.chainrule.grading.Problems.answers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chainrule.engine.Tensor;
import dev.chainrule.render.Numbers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Grading hand-computed gradients of tensor problems ({@code /v1/graph} with batches, broadcasting, gathers and names
 * assigned again): each wrong answer is made from the right one by the slip a student makes, and the grader must name
 * that slip from the shapes and the values, without showing a value.
 */
class TensorGradingTest {

    /** A batch of 4 through a linear layer with a broadcast bias, the row maximum taken off, softmax cross-entropy. */
    static final AnswerKey BATCH = GraphProblemGradingTest.key(
            "S = X @ W + b\\nS -= S.max(axis=1, keepdims=true)\\nJ = cross_entropy(S, y)",
            "{\"X\": [[1, 2, -1], [0.5, -1, 2], [-2, 1, 0.5], [1, 1, 1]], \"W\": [[0.2, -0.5], [0.4, 0.1], [-0.3, 0.6]],"
                    + " \"b\": [0.1, -0.2], \"y\": [0, 1, 1, 0]}");

    /** A window of three words, word 2 twice: L's row 2 collects the gradient of both positions. */
    static final AnswerKey WINDOW = GraphProblemGradingTest.key("E = L[w]\\nJ = sum(E * V)",
            "{\"L\": [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9], [1.0, 1.1, 1.2]], \"w\": [2, 0, 2],"
                    + " \"V\": [[1, -2, 3], [0.5, 0.25, -1], [-4, 6, 2]]}");

    static GradeResult grade(AnswerKey key, String name, Tensor answer) {
        return grade(key, name, answer, Grader.Settings.DEFAULT);
    }

    static GradeResult grade(AnswerKey key, String name, Tensor answer, Grader.Settings settings) {
        return new Grader(key, settings).results(answers(name, answer)).get(name);
    }

    static Tensor times(Tensor t, double c) {
        return t.map(v -> c * v);
    }

    /** The expected value's entries, none of which any feedback may show. */
    static void showsNoValue(AnswerKey key, String name, String feedback) {
        Tensor e = key.expected(name);
        for (int i = 0; i < e.size(); i++) {
            if (e.get(i) != Math.rint(e.get(i))) {
                assertThat(feedback).doesNotContain(Numbers.text(e.get(i), 3));
            }
        }
    }

    @Test
    void theRightWeightsAndTheirTransposeSignAndMissingMeanAreToldApart() {
        Tensor w = BATCH.expected("W");
        assertThat(grade(BATCH, "W", w).diagnosis()).isEqualTo(Diagnosis.CORRECT);
        GradeResult transposed = grade(BATCH, "W", Grader.transpose(w));
        assertThat(transposed.diagnosis()).isEqualTo(Diagnosis.TRANSPOSED);
        assertThat(transposed.feedback()).isEqualTo("You gave a 2×3 matrix, the transpose of what the shape convention wants:"
                + " W's shape: a 3×2 matrix. Read in that shape, it would be right.");
        assertThat(grade(BATCH, "W", times(w, -1)).diagnosis()).isEqualTo(Diagnosis.SIGN);
        // cross_entropy is the mean over the 4 rows: forgetting the 1/N gives 4 times the answer
        GradeResult scaled = grade(BATCH, "W", times(w, 4));
        assertThat(scaled.diagnosis()).isEqualTo(Diagnosis.SCALED);
        assertThat(scaled.feedback()).contains("off by a factor of 4");
        showsNoValue(BATCH, "W", scaled.feedback());
    }

    @Test
    void aBiasGradientNotSummedBackOverTheBatchSaysOverWhichAxisAndNamesBothShapes() {
        // b was broadcast to the 4×2 of S: giving S's gradient itself is the upstream not summed back over axis 0
        GradeResult upstream = grade(BATCH, "b", BATCH.expected("S"));
        assertThat(upstream.diagnosis()).isEqualTo(Diagnosis.WRONG_SHAPE);
        assertThat(upstream.feedback()).isEqualTo("You gave a 4×2 matrix, the shape b is broadcast to in S = t1 + b: its"
                + " gradient is the upstream summed over axis 0, back to b's shape: a column of 2. Summed that way, your"
                + " answer would be right.");
        GradeResult wrongUpstream = grade(BATCH, "b", times(BATCH.expected("S"), 3));
        assertThat(wrongUpstream.feedback()).endsWith("Summed that way, your answer is still wrong.");
        // summed over the wrong axis: one number per example where b has one per class
        Tensor perExample = BATCH.expected("S").sumBackTo(new int[] {4, 1}).reshape(4);
        GradeResult wrongAxis = grade(BATCH, "b", perExample);
        assertThat(wrongAxis.diagnosis()).isEqualTo(Diagnosis.WRONG_SHAPE);
        assertThat(wrongAxis.feedback()).isEqualTo("You gave a column of 4; the shape convention wants b's shape: a column of 2."
                + " (b is broadcast to 4×2 in S = t1 + b: its gradient is the upstream summed over axis 0, back to b's own shape.)");
    }

    @Test
    void theRightEntriesNestedInAnotherShapeAreSaidToBeRight() {
        Tensor x = BATCH.expected("X"); // 4×3
        for (int[] shape : List.of(new int[] {3, 4}, new int[] {2, 6}, new int[] {12})) {
            GradeResult r = grade(BATCH, "X", x.reshape(shape));
            assertThat(r.diagnosis()).as("%s", java.util.Arrays.toString(shape)).isEqualTo(Diagnosis.WRONG_SHAPE);
            assertThat(r.feedback()).contains("the shape convention wants X's shape: a 4×3 matrix")
                    .endsWith("Your entries, read in row-major order, are right: only their nesting is wrong.");
        }
    }

    @Test
    void aNameAssignedAgainIsGradedUnderItsNumberedNameAndCarriesForward() {
        assertThat(new Grader(BATCH, Grader.Settings.DEFAULT).results(answers("S#2", BATCH.expected("S#2"),
                "forward.S#2", BATCH.expected("forward.S#2"), "∂J/∂S#2", BATCH.expected("S#2"))).values())
                .extracting(GradeResult::diagnosis).containsOnly(Diagnosis.CORRECT);
        // a wrong ∂J/∂S (twice the right one) and the b it gives, summed back over the batch: right from the
        // student's own upstream
        Grader.Settings carry = new Grader.Settings(Tolerance.DEFAULT, false, true, 0.5);
        Map<String, GradeResult> r = new Grader(BATCH, carry).results(answers("S", times(BATCH.expected("S"), 2),
                "b", times(BATCH.expected("b"), 2)));
        assertThat(r.get("b").diagnosis()).isEqualTo(Diagnosis.CARRIED_FORWARD);
        assertThat(r.get("b").feedback()).contains("∂J/∂S");
    }

    @Test
    void indexInputsConstantsAndComparisonsHaveNoGradientToGrade() {
        Map<String, GradeResult> r = new Grader(BATCH, Grader.Settings.DEFAULT).results(answers("y", Tensor.vector(new double[4]),
                "∂J/∂y", Tensor.vector(new double[4]), "forward.y", Tensor.vector(new double[] {0, 1, 1, 0}), "Y", Tensor.scalar(0)));
        assertThat(r.get("y").diagnosis()).isEqualTo(Diagnosis.NO_GRADIENT);
        assertThat(r.get("y").feedback()).isEqualTo("y is an index input (whole numbers that pick entries or label classes), so it"
                + " has no gradient: ∂J/∂y is not a question of this problem (forward.y grades its value).");
        assertThat(r.get("∂J/∂y").diagnosis()).isEqualTo(Diagnosis.NO_GRADIENT);
        assertThat(r.get("forward.y").diagnosis()).isEqualTo(Diagnosis.CORRECT);
        assertThat(r.get("Y").diagnosis()).isEqualTo(Diagnosis.UNKNOWN_NAME);
        AnswerKey masked = GraphProblemGradingTest.key("a = 2\\nM = x > 0\\nf = sum(where(M, a * x, x))", "{\"x\": [1, -2]}");
        Map<String, GradeResult> m = new Grader(masked, Grader.Settings.DEFAULT).results(answers("a", Tensor.scalar(0),
                "M", Tensor.vector(new double[2])));
        assertThat(m.get("a").diagnosis()).isEqualTo(Diagnosis.NO_GRADIENT);
        assertThat(m.get("a").feedback()).startsWith("a is a constant, so it has no gradient");
        assertThat(m.get("M").diagnosis()).isEqualTo(Diagnosis.NO_GRADIENT);
        assertThat(m.get("M").feedback()).startsWith("M carries no gradient (a comparison's result");
    }

    @Test
    void aRepeatedWordsRowWithOneUseOnlyIsMissingABranchNamingThePositions() {
        Tensor right = WINDOW.expected("L");
        assertThat(grade(WINDOW, "L", right).diagnosis()).isEqualTo(Diagnosis.CORRECT);
        // row 2 is V[0] + V[2]; the student scattered by assignment and kept the first use (or, as NumPy's dL[w] += dE
        // does, the last)
        Tensor v = WINDOW.expected("forward.V");
        Tensor first = rowSetTo(right, 2, v, 0);
        GradeResult r = grade(WINDOW, "L", first);
        assertThat(r.diagnosis()).isEqualTo(Diagnosis.MISSING_BRANCH);
        assertThat(r.feedback()).isEqualTo("Row 2 of L is used at positions 0 and 2 of w (in E = L[w]), and its gradient adds"
                + " the contribution of every use: your row 2 has the one from position 0 only; the one from position 2 is left out.");
        showsNoValue(WINDOW, "L", r.feedback());
        assertThat(grade(WINDOW, "L", rowSetTo(right, 2, v, 2)).feedback())
                .contains("your row 2 has the one from position 2 only; the one from position 0 is left out.");
        // another row wrong too: not a repeat left out, only some entries wrong
        assertThat(grade(WINDOW, "L", Problems.with(first, 0, 5)).diagnosis()).isEqualTo(Diagnosis.PARTIAL);
    }

    @Test
    void aBatchOfWindowsNamesThePositionsOfTheIndexMatrix() {
        // w is 2 windows of 2 words; word 3 is the second of window 0 and the first of window 1
        AnswerKey key = GraphProblemGradingTest.key("E = L[w]\\nJ = sum(E * V)", "{\"L\": [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]],"
                + " \"w\": [[1, 3], [3, 0]], \"V\": [[[0.5, -1], [2, 0.25]], [[-3, 1.5], [4, -0.75]]]}");
        Tensor right = key.expected("L");
        Tensor v = key.expected("forward.V");
        double[] only = right.toArray();
        only[6] = v.get(2); // row 3 = V[0][1] alone, V[1][0] left out
        only[7] = v.get(3);
        GradeResult r = grade(key, "L", Tensor.of(right.shape(), only));
        assertThat(r.diagnosis()).isEqualTo(Diagnosis.MISSING_BRANCH);
        assertThat(r.feedback()).startsWith("Row 3 of L is used at positions [0, 1] and [1, 0] of w (in E = L[w])")
                .contains("your row 3 has the one from position [0, 1] only; the one from position [1, 0] is left out.");
    }

    @Test
    void aWordUsedFortyTimesListsItsPositionsBounded() {
        StringBuilder w = new StringBuilder();
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            w.append(i == 0 ? "" : ", ").append(0);
            v.append(i == 0 ? "" : ", ").append("[").append(i + 1).append("]");
        }
        AnswerKey key = GraphProblemGradingTest.key("E = L[w]\\nJ = sum(E * V)", "{\"L\": [[1], [2]], \"w\": [" + w + "], \"V\": [" + v + "]}");
        // row 0 is 1 + 2 + … + 40; the student kept the first use only
        GradeResult r = grade(key, "L", Tensor.matrix(new double[][] {{1}, {0}}));
        assertThat(r.diagnosis()).isEqualTo(Diagnosis.MISSING_BRANCH);
        assertThat(r.feedback()).startsWith("Row 0 of L is used at positions 0, 1, 2, 3, 4, 5, 6, 7 and 32 more of w")
                .contains("the one from position 0 only; those from positions 1, 2, 3, 4, 5, 6, 7, 8 and 31 more are left out.");
        assertThat(r.feedback().length()).isLessThan(400);
    }

    @Test
    void anEmbeddingLayersRepeatedWordIsMissingABranchToo() {
        // the network form (api-contract.md): x is L's rows for the words [1, 0, 1], concatenated; J = s = u·x
        String problem = "{\"network\": {\"layers\": [{\"type\": \"embedding\", \"L\": [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]},"
                + " {\"type\": \"score\", \"u\": [1, 2, 3, 4, 5, 6]}]}, \"words\": [1, 0, 1]}";
        dev.chainrule.network.Problem p = Problems.problem(problem);
        Tensor right = Problems.expected(p).gradients().get("L");
        assertThat(right.toArray()).containsExactly(3, 4, 6, 8, 0, 0); // row 1: u[0:2] + u[4:6]
        Tensor firstOnly = Tensor.of(right.shape(), new double[] {3, 4, 1, 2, 0, 0});
        Map<String, GradeResult> g = GraderTest.grade(p, answers("L", firstOnly, "words", Tensor.vector(new double[3]))).results();
        GradeResult r = g.get("L");
        assertThat(r.diagnosis()).isEqualTo(Diagnosis.MISSING_BRANCH);
        assertThat(r.feedback()).startsWith("Row 1 of L is used at positions 0 and 2 of words")
                .contains("the one from position 2 is left out.");
        // the words are the request's, not a quantity with a gradient
        assertThat(g.get("words").diagnosis()).isEqualTo(Diagnosis.NO_GRADIENT);
        assertThat(g.get("words").feedback()).startsWith("words is an index input").endsWith("is not a question of this problem.");
    }

    @Test
    void aReluLeftOutOfTheChainIsNamedAsInANetwork() {
        // z = (3, −2): ∂J/∂W = (u ⊙ relu'(z)) xᵀ = [[2, 2], [0, 0]]; without relu', u xᵀ = [[2, 2], [5, 5]]
        AnswerKey key = GraphProblemGradingTest.key("z = W @ x\\nh = relu(z)\\nJ = sum(h * u)",
                "{\"W\": [[1, 2], [-1, -1]], \"x\": [1, 1], \"u\": [2, 5]}");
        assertThat(key.expected("W").toArray()).containsExactly(2, 2, 0, 0);
        GradeResult r = grade(key, "W", Tensor.matrix(new double[][] {{2, 2}, {5, 5}}));
        assertThat(r.diagnosis()).isEqualTo(Diagnosis.MISSING_ACTIVATION_DERIVATIVE);
        assertThat(r.feedback()).isEqualTo("Your answer is what the chain gives with relu'(z) of h = ReLU(z) left out: on the way"
                + " down, ∂J/∂h must be multiplied entry by entry by relu'(z) to give ∂J/∂z.");
        // a graph's wrong answer keeps the feedback every graph has
        assertThat(grade(key, "W", key.expected("W").map(v -> v + 1)).feedback()).doesNotContain("f'(z)");
    }

    @Test
    void aTensorWithItsAxesInAnotherOrderIsTransposedNamingTheOrder() {
        StringBuilder a = new StringBuilder("[");
        for (int i = 0; i < 2; i++) {
            a.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < 3; j++) {
                a.append(j == 0 ? "[" : ", [");
                for (int k = 0; k < 4; k++) {
                    a.append(k == 0 ? "" : ", ").append(i * 100 + j * 10 + k + 0.5);
                }
                a.append(']');
            }
            a.append(']');
        }
        a.append(']');
        AnswerKey key = GraphProblemGradingTest.key("J = sum(T * A)", "{\"T\": " + a + ", \"A\": " + a + "}");
        Tensor right = key.expected("T"); // = A, 2×3×4
        double[] reversed = new double[24];
        double[] swapped = new double[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    reversed[(k * 3 + j) * 2 + i] = right.get((i * 3 + j) * 4 + k);
                    swapped[(i * 4 + k) * 3 + j] = right.get((i * 3 + j) * 4 + k);
                }
            }
        }
        GradeResult r = grade(key, "T", Tensor.of(new int[] {4, 3, 2}, reversed));
        assertThat(r.diagnosis()).isEqualTo(Diagnosis.TRANSPOSED);
        assertThat(r.feedback()).isEqualTo("You gave a 4×3×2 array: the axes of what the shape convention wants (T's shape: a"
                + " 2×3×4 array) in the order (2, 1, 0). Read in that shape, it would be right.");
        assertThat(grade(key, "T", Tensor.of(new int[] {2, 4, 3}, swapped)).feedback()).contains("in the order (0, 2, 1)")
                .endsWith("it would be right.");
        assertThat(grade(key, "T", Tensor.of(new int[] {2, 3, 3}, new double[18])).diagnosis()).isEqualTo(Diagnosis.WRONG_SHAPE);
    }

    /** {@code t} (a matrix) with row {@code row} replaced by row {@code from} of {@code v}. */
    static Tensor rowSetTo(Tensor t, int row, Tensor v, int from) {
        double[] d = t.toArray();
        int n = t.dim(1);
        for (int c = 0; c < n; c++) {
            d[row * n + c] = v.get(from * n + c);
        }
        return Tensor.of(t.shape(), d);
    }
}
