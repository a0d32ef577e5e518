package dev.chainrule.grading;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The stable code of a graded answer. The grader tries them in this order and stops at the first that fits:
 * unknown_name / no_gradient (a name without a gradient: an index input, a constant), invalid, wrong_shape /
 * transposed (shape checks), correct, transposed (a square matrix's values),
 * carried_forward (only when asked), missing_branch, sign, scaled, missing_activation_derivative, partial, wrong. {@code missing} is
 * not tried on an answer: it is the result of a question (see {@link Question}) that has no answer.
 */
enum Diagnosis {
    CORRECT, WRONG_SHAPE, TRANSPOSED, SIGN, SCALED, MISSING_ACTIVATION_DERIVATIVE, PARTIAL, UNKNOWN_NAME, WRONG,
    CARRIED_FORWARD, INVALID, MISSING, MISSING_BRANCH, NO_GRADIENT;

    @JsonValue
    String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
