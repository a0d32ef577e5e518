package dev.chainrule.gradients;

import dev.chainrule.network.Problem;
import java.util.List;

/** The warnings of a problem, each loss's own ({@link Problem#warnings}), for the endpoints that answer them. */
public final class Warnings {

    private Warnings() {
    }

    /** The warnings for a problem; empty when there is nothing to warn about. */
    public static List<String> of(Problem problem) {
        return problem.warnings();
    }
}
