package dev.chainrule.grading;

import dev.chainrule.engine.Deadline;
import dev.chainrule.graph.GraphReader;
import dev.chainrule.network.Problem;
import dev.chainrule.variants.Draws;
import dev.chainrule.variants.Template;
import dev.chainrule.variants.Variants;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The problem of a grading request: given as it is, or as an example or a template whose variant for a seed is
 * drawn when grading ({@code {"example": "cs224n-lecture3", "seed": 17}}), so that an LMS stores one number per
 * student. A submission's own seed overrides the problem's. A variant is drawn only inside the compute gate, as part
 * of the grading's work; before that, the request is priced on the variants' shape ({@link #shape()}), which is
 * every variant's.
 */
sealed interface ProblemSpec permits ProblemSpec.Given, ProblemSpec.Graph, ProblemSpec.Drawn {

    /** A problem as graded: a network's ({@code /v1/gradients}) or a computational graph ({@code /v1/graph}); the other is null. */
    record Posed(Problem network, GraphReader.Request graph) {
    }

    /** What every problem the spec poses shares, read without drawing: its shapes, and what drawing one costs. */
    Variants.Shape shape();

    /**
     * The problem for {@code seed}, or for the spec's own seed when it is null: read as it is, or drawn (each draw
     * counted in {@code draws} and checked under {@code deadline}).
     */
    Posed pose(Long seed, Draws draws, Deadline deadline);

    /** True when posing for {@code seed} draws a variant. */
    default boolean draws(Long seed) {
        return false;
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
        public Variants.Shape shape() {
            return new Variants.Shape(null, request, 0, 1);
        }

        @Override
        public Posed pose(Long seed, Draws draws, Deadline deadline) {
            return new Posed(null, request);
        }
    }

    record Given(Problem problem) implements ProblemSpec {
        @Override
        public Variants.Shape shape() {
            return new Variants.Shape(problem, null, 0, 1);
        }

        @Override
        public Posed pose(Long seed, Draws draws, Deadline deadline) {
            return new Posed(problem, null);
        }
    }

    /** A problem whose variants are drawn from a template, one per seed. */
    sealed interface Drawn extends ProblemSpec permits Example, FromTemplate {

        Template template();

        Variants variants();

        /** What the paths of a variant's errors start with. */
        String prefix();

        @Override
        default Variants.Shape shape() {
            return variants().shape(template(), prefix());
        }

        @Override
        default boolean seeded() {
            return true;
        }
    }

    /**
     * An example: as it is without a seed, else its variant.
     *
     * @param read reads a variant's body as a grading problem (a network's or a graph's)
     */
    record Example(String id, Long seed, Template template, Variants variants, Function<JsonNode, Posed> read)
            implements Drawn {
        static final String PREFIX = "problem.";

        @Override
        public String prefix() {
            return PREFIX;
        }

        @Override
        public Posed pose(Long s, Draws draws, Deadline deadline) {
            Long chosen = s != null ? s : seed;
            return read.apply(chosen == null ? variants.example(id)
                    : variants.draw(template, chosen, false, PREFIX, draws, deadline));
        }

        @Override
        public boolean draws(Long s) {
            return s != null || seed != null;
        }
    }

    record FromTemplate(Template template, Long seed, boolean allowKinks, Variants variants, Function<JsonNode, Posed> read)
            implements Drawn {
        static final String PREFIX = "problem.template.";

        @Override
        public String prefix() {
            return PREFIX;
        }

        @Override
        public Posed pose(Long s, Draws draws, Deadline deadline) {
            return read.apply(variants.draw(template, s != null ? s : seed, allowKinks, PREFIX, draws, deadline));
        }

        @Override
        public boolean draws(Long s) {
            return true;
        }
    }
}
