package dev.chainrule.grading;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.chainrule.render.Numbers;
import dev.chainrule.engine.Tensor;
import java.util.List;

/**
 * The grade of one answer. {@code feedback} is absent for a correct answer, {@code wrongEntries} unless some
 * entries are wrong and others right, {@code expected} unless reveal was asked. {@code points}, {@code maxPoints}
 * and {@code asked} only when the request gave questions: an asked answer has points out of its question's
 * maximum, an answer to something not asked has {@code asked} false and no points. {@code name} only when the
 * answer's key spells a name another way ({@code ∂J/∂W}, {@code gradients.W}): the name it was graded as.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record GradeResult(
        boolean correct,
        Diagnosis diagnosis,
        String feedback,
        @JsonProperty("wrong_entries") List<List<Integer>> wrongEntries,
        double score,
        Double points,
        @JsonProperty("max_points") Double maxPoints,
        Boolean asked,
        Tensor expected,
        String name) {

    GradeResult {
        wrongEntries = wrongEntries == null ? null : List.copyOf(wrongEntries);
    }

    /** A result graded without questions. */
    GradeResult(boolean correct, Diagnosis diagnosis, String feedback, List<List<Integer>> wrongEntries, double score, Tensor expected) {
        this(correct, diagnosis, feedback, wrongEntries, score, null, null, null, expected, null);
    }

    /** This result as the grade of a key that spells {@code name} another way. */
    GradeResult named(String name) {
        return new GradeResult(correct, diagnosis, feedback, wrongEntries, score, points, maxPoints, asked, expected, name);
    }

    /** This result as the answer to a question worth {@code max} points, with credit {@code credit} in [0, 1]. */
    GradeResult scored(double credit, double max) {
        return new GradeResult(correct, diagnosis, feedback, wrongEntries, credit, credit * max, max, true, expected, name);
    }

    /** This result as an answer to something no question asks: reported, not scored. */
    GradeResult unasked() {
        return new GradeResult(correct, diagnosis, feedback, wrongEntries, score, null, null, false, expected, name);
    }

    /** The same result with {@code expected} rounded as {@code ?digits} asks. */
    GradeResult round(Numbers numbers) {
        return expected == null || !numbers.rounds() ? this
                : new GradeResult(correct, diagnosis, feedback, wrongEntries, score, points, maxPoints, asked,
                        numbers.round(expected), name);
    }
}
