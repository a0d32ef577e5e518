package dev.chainrule.grading;

import static dev.chainrule.grading.Problems.answers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chainrule.graph.GraphProperties;
import dev.chainrule.graph.GraphReader;
import dev.chainrule.graph.GraphSolver;
import dev.chainrule.engine.Tensor;
import dev.chainrule.config.Limits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Grading a computational graph's problem in its corners (regression tests of issue 27, finding 5): a value used twice
 * by one node, a named constant, a question left unanswered.
 */
class GraphProblemGradingTest {

    private static final GraphReader READER = new GraphReader(GraphProperties.defaults());
    private static final GraphSolver SOLVER = new GraphSolver(Limits.defaults());

    static AnswerKey key(String expression, String values) {
        String body = "{\"expression\": \"" + expression + "\", \"values\": " + values + "}";
        return AnswerKey.graph(SOLVER.solve(READER.read(Problems.json(body), "")), dev.chainrule.engine.Deadline.NONE);
    }

    static Map<String, GradeResult> grade(AnswerKey key, Map<String, Answer> answers) {
        return new Grader(key, Grader.Settings.DEFAULT).results(answers);
    }

    @Test
    void theFullSumOfXTimesXIsRightAndHalfOfItNamesEachOperand() {
        AnswerKey key = key("f = x * x", "{\"x\": 3}");
        assertThat(grade(key, answers("x", Tensor.scalar(6))).get("x").diagnosis()).isEqualTo(Diagnosis.CORRECT);
        GradeResult half = grade(key, answers("x", Tensor.scalar(3))).get("x");
        assertThat(half.diagnosis()).isEqualTo(Diagnosis.MISSING_BRANCH);
        assertThat(half.feedback()).isEqualTo("x is used 2 times, and gradients add where a value is used more than once: your"
                + " answer is the sum over the branch through f's first operand only; the branch through f's second operand"
                + " is left out.");
    }

    @Test
    void theTwoOperandsOfOneNodeAreToldApartBesideAnotherBranch() {
        // f = x*x + x at x = 3: ∂f/∂x = 3 + 3 + 1; through t1 twice and through f once
        AnswerKey key = key("f = x * x + x", "{\"x\": 3}");
        assertThat(grade(key, answers("x", Tensor.scalar(7))).get("x").diagnosis()).isEqualTo(Diagnosis.CORRECT);
        assertThat(grade(key, answers("x", Tensor.scalar(1))).get("x").feedback())
                .contains("your answer is the sum over the branch through f only; the branches through t1's first operand"
                        + " and t1's second operand are left out.");
        assertThat(grade(key, answers("x", Tensor.scalar(6))).get("x").feedback())
                .contains("the sum over the branches through t1's first operand and t1's second operand only; the branch"
                        + " through f is left out.")
                .doesNotContain("t1 and t1");
    }

    @Test
    void aNamedConstantHasAForwardValueAndAConstantOutputItsGradient() {
        AnswerKey key = key("a = 2\\nf = a * x", "{\"x\": 5}");
        Map<String, GradeResult> r = grade(key, answers("forward.a", Tensor.scalar(2), "x", Tensor.scalar(2)));
        assertThat(r.values()).extracting(GradeResult::diagnosis).containsOnly(Diagnosis.CORRECT);
        // a constant has no gradient (tensor-contract.md), so ∂f/∂a is not a question of this problem: it exists, so
        // it is not an unknown name either
        assertThat(grade(key, answers("a", Tensor.scalar(5))).get("a").diagnosis()).isEqualTo(Diagnosis.NO_GRADIENT);
        AnswerKey constant = key("f = 3", "{}");
        assertThat(grade(constant, answers("forward.f", Tensor.scalar(3), "f", Tensor.scalar(1))).values())
                .extracting(GradeResult::diagnosis).containsOnly(Diagnosis.CORRECT);
    }

    @Test
    void anUnansweredQuestionAsksForTheGraphsOutputsGradient() {
        AnswerKey key = key("f = x * x", "{\"x\": 3}");
        Grade g = new Grader(key, Grader.Settings.DEFAULT).grade(Map.of(), List.of(new Question("x", 1, false),
                new Question("forward.f", 1, false)));
        assertThat(g.results().get("x").feedback()).isEqualTo("Not answered: this question asks for ∂f/∂x.");
        assertThat(g.results().get("forward.f").feedback()).isEqualTo("Not answered: this question asks for the forward value f.");
    }
}
