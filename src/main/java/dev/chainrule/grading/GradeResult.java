package dev.chainrule.grading;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.chainrule.gradients.Numbers;
import dev.chainrule.network.Tensor;
import java.util.List;

/**
 * The grade of one answer. {@code feedback} is absent for a correct answer, {@code wrongEntries} unless some
 * entries are wrong and others right, {@code expected} unless reveal was asked.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record GradeResult(
        boolean correct,
        Diagnosis diagnosis,
        String feedback,
        @JsonProperty("wrong_entries") List<List<Integer>> wrongEntries,
        double score,
        Tensor expected) {

    GradeResult {
        wrongEntries = wrongEntries == null ? null : List.copyOf(wrongEntries);
    }

    /** The same result with {@code expected} rounded as {@code ?digits} asks. */
    GradeResult round(Numbers numbers) {
        return expected == null || !numbers.rounds() ? this
                : new GradeResult(correct, diagnosis, feedback, wrongEntries, score, numbers.round(expected));
    }
}
