package dev.chainrule.grading;

import dev.chainrule.graph.GraphReader;
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
sealed interface ProblemSpec permits ProblemSpec.Given, ProblemSpec.Example, ProblemSpec.FromTemplate, ProblemSpec.Graph {

    /** A problem as graded: a network's ({@code /v1/gradients}) or a computational graph ({@code /v1/graph}); the other is null. */
    record Posed(Problem network, GraphReader.Request graph) {
    }

    /** The problem for {@code seed}, or for the spec's own seed when it is null, read once. */
    Posed pose(Long seed);

    /** The network problem for {@code seed} (for a spec that poses networks). */
    default Problem resolve(Long seed) {
        return pose(seed).network();
    }

    /** The seed a submission without one of its own is graded with (null: none). */
    default Long seed() {
        return null;
    }

    /** True when a submission may carry a seed (the problem is an example or a template). */
    default boolean seeded() {
        return false;
    }

    /** A computational graph ({@code POST /v1/graph}'s body): answers keyed by node names. */
    record Graph(GraphReader.Request request) implements ProblemSpec {
        @Override
        public Posed pose(Long seed) {
            return new Posed(null, request);
        }
    }

    record Given(Problem problem) implements ProblemSpec {
        @Override
        public Posed pose(Long seed) {
            return new Posed(problem, null);
        }
    }

    /** @param read reads a variant's body as a grading problem (a network's or a graph's) */
    record Example(String id, Long seed, Variants variants, Function<JsonNode, Posed> read) implements ProblemSpec {
        @Override
        public Posed pose(Long s) {
            return read.apply(variants.example(id, s != null ? s : seed));
        }

        @Override
        public boolean seeded() {
            return true;
        }
    }

    record FromTemplate(Template template, Long seed, boolean allowKinks, Variants variants, Function<JsonNode, Posed> read)
            implements ProblemSpec {
        @Override
        public Posed pose(Long s) {
            return read.apply(variants.draw(template, s != null ? s : seed, allowKinks, "problem.template."));
        }

        @Override
        public boolean seeded() {
            return true;
        }
    }
}
