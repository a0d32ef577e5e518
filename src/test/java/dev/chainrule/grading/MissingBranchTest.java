package dev.chainrule.grading;

import static dev.chainrule.grading.Problems.answers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chainrule.network.Golden;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Problem;
import dev.chainrule.engine.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Max-margin's shared parameters are one node used by both windows: a student who gives only the true window's
 * share of ∂J/∂W forgot a branch, and the grader says which.
 */
class MissingBranchTest {

    @Test
    void theTrueWindowsShareOfWAloneIsMissingTheCorruptBranch() {
        Problem p = Problems.problem(Golden.request("cs224n-max-margin"));
        GradientEngine.Solved solved = Problems.ENGINE.solve(p, new GradientEngine.Options(false, false), dev.chainrule.engine.Deadline.NONE);
        Tensor onlyTrueWindow = solved.backward().branches().stream()
                .filter(b -> solved.backward().graph().node(b.node()).name().equals("W")).findFirst().orElseThrow()
                .contributions().stream().filter(e -> solved.backward().graph().node(e.via()).name().equals("z"))
                .findFirst().orElseThrow().contribution();
        GradeResult r = GraderTest.grade(p, answers("W", onlyTrueWindow)).results().get("W");
        assertThat(r.diagnosis()).isEqualTo(Diagnosis.MISSING_BRANCH);
        assertThat(r.feedback()).isEqualTo("W is used 2 times, and gradients add where a value is used more than once: "
                + "your answer is the sum over the branch through z only; the branch through z_c is left out.");
    }
}
