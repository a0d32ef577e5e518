package dev.chainrule.grading;

import dev.chainrule.engine.Tensor;

/** One submitted answer as read: a tensor, or the reason it is not one (graded {@code invalid}). */
sealed interface Answer permits Answer.Value, Answer.Malformed {

    record Value(Tensor tensor) implements Answer {
    }

    /** @param reason what is wrong with it, for the student, e.g. "row 2 has 4 entries but row 0 has 5" */
    record Malformed(String reason) implements Answer {
    }
}
