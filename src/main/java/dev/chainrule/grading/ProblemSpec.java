package dev.chainrule.grading;

import dev.chainrule.graph.GraphReader;
import dev.chainrule.network.Problem;
import dev.chainrule.variants.Template;
import dev.chainrule.variants.Variants;

/**
 * The problem of a grading request: given as it is, or as an example or a template whose variant for a seed is
 * drawn when grading ({@code {"example": "cs224n-lecture3", "seed": 17}}), so that an LMS stores one number per
 * student. A submission's own seed overrides the problem's.
 */
sealed interface ProblemSpec permits ProblemSpec.Given, ProblemSpec.Example, ProblemSpec.FromTemplate, ProblemSpec.Graph {

    /** The problem for {@code seed}, or for the spec's own seed when it is null. */
    Problem resolve(Long seed);

    /** The seed a submission without one of its own is graded with (null: none). */
    Long seed();

    /** True when a submission may carry a seed (the problem is an example or a template). */
    default boolean seeded() {
        return true;
    }

    /** The computational graph posed for {@code seed} (as {@link #resolve}), for a {@code /v1/graph} problem; null for a network. */
    default GraphReader.Request graph(Long seed) {
        return null;
    }

    /** A computational graph ({@code POST /v1/graph}'s body): answers keyed by node names. */
    record Graph(GraphReader.Request request) implements ProblemSpec {
        @Override
        public GraphReader.Request graph(Long seed) {
            return request;
        }

        @Override
        public Problem resolve(Long seed) {
            throw new IllegalStateException("a computational graph is not a network");
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

    record Example(String id, Long seed, Variants variants) implements ProblemSpec {
        @Override
        public Problem resolve(Long s) {
            return variants.example(id, s != null ? s : seed).problem();
        }

        @Override
        public GraphReader.Request graph(Long s) {
            return variants.example(id, s != null ? s : seed).graph();
        }
    }

    record FromTemplate(Template template, Long seed, boolean allowKinks, Variants variants) implements ProblemSpec {
        @Override
        public Problem resolve(Long s) {
            return variants.draw(template, s != null ? s : seed, allowKinks, "problem.template.").problem();
        }

        @Override
        public GraphReader.Request graph(Long s) {
            return variants.draw(template, s != null ? s : seed, allowKinks, "problem.template.").graph();
        }
    }
}
