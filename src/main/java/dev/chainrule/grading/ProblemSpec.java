package dev.chainrule.grading;

import dev.chainrule.network.Problem;
import dev.chainrule.variants.Template;
import dev.chainrule.variants.Variants;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The problem of a grading request: given as it is, or as an example or a template whose variant for a seed is
 * drawn when grading ({@code {"example": "cs224n-lecture3", "seed": 17}}), so that an LMS stores one number per
 * student. A submission's own seed overrides the problem's.
 */
sealed interface ProblemSpec {

    /** The problem for {@code seed}, or for the spec's own seed when it is null. */
    Problem resolve(Long seed);

    /** The seed a submission without one of its own is graded with (null: none). */
    Long seed();

    /** True when a submission may carry a seed (the problem is an example or a template). */
    default boolean seeded() {
        return true;
    }

    record Given(Problem problem) implements ProblemSpec {
        @Override
        public Problem resolve(Long seed) {
            return problem;
        }

        @Override
        public Long seed() {
            return null;
        }

        @Override
        public boolean seeded() {
            return false;
        }
    }

    /** @param read reads a variant's body as a grading problem */
    record Example(String id, Long seed, Variants variants, Function<JsonNode, Problem> read) implements ProblemSpec {
        @Override
        public Problem resolve(Long s) {
            return read.apply(variants.example(id, s != null ? s : seed));
        }
    }

    record FromTemplate(Template template, Long seed, boolean allowKinks, Variants variants, Function<JsonNode, Problem> read)
            implements ProblemSpec {
        @Override
        public Problem resolve(Long s) {
            return read.apply(variants.draw(template, s != null ? s : seed, allowKinks, "problem.template."));
        }
    }
}
