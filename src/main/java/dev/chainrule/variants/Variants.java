package dev.chainrule.variants;

import dev.chainrule.budget.Cost;
import dev.chainrule.budget.CostModel;
import dev.chainrule.config.Limits;
import dev.chainrule.engine.Deadline;
import dev.chainrule.examples.Examples;
import dev.chainrule.graph.GraphReader;
import dev.chainrule.http.Work;
import dev.chainrule.network.Problem;
import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.FieldErrors;
import dev.chainrule.errors.InvalidRequestException;
import dev.chainrule.errors.JsonText;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Per-student variants: a problem with fresh numbers drawn from a seed. The same seed gives the same variant
 * forever: the generator is {@link SplitMix64} seeded with the seed, values are drawn in the template's document
 * order, and a variant that would sit on a kink (as the {@link VariantCheck} of its kind of problem finds them) is
 * drawn again from the same stream, up to {@value #MAX_DRAWS} times. Every draw is a pass of the problem, so a
 * request is priced for all the draws it may make ({@link Draws}) and draws only inside the compute gate, under its
 * deadline: as {@link Work} of its own ({@link #variant}), or inside a grading's.
 */
@Component
public class Variants {

    /** Seeds are whole numbers from 0 to 2^53 − 1, so that every JSON client (JavaScript too) holds them exactly. */
    public static final long MAX_SEED = (1L << 53) - 1;
    static final int MAX_DRAWS = 100;

    private final Examples examples;
    private final List<VariantCheck> checks;
    private final Limits limits;

    public Variants(Examples examples, List<VariantCheck> checks, Limits limits) {
        this.examples = examples;
        this.checks = List.copyOf(checks);
        this.limits = limits;
    }

    /**
     * What every variant of a template is, known before any is drawn: its problem (a network's or a graph's, the other
     * null) read from its shape, the work of drawing and checking one variant, and the most draws one variant may take.
     */
    public record Shape(Problem network, GraphReader.Request graph, long drawWork, int mostDraws) {
    }

    /** An example's body as it is; null when there is no such example. */
    public JsonNode example(String id) {
        Examples.Example e = examples.get(id);
        return e == null ? null : e.body();
    }

    /** The template of an example's variants; null when there is no such example. */
    public Template exampleTemplate(String id) {
        Examples.Example e = examples.get(id);
        if (e == null) {
            return null;
        }
        java.util.Set<String> fixed = new java.util.HashSet<>(e.fixed());
        fixed.addAll(check(e.body()).kept(e.body())); // a graph's index inputs stay as the example has them
        return Template.ofExample(e.body(), fixed);
    }

    public boolean hasExample(String id) {
        return examples.get(id) != null;
    }

    /** "There is no example "x"; the examples are a, b, c." */
    public String unknownExample(String id) {
        return examples.unknown(id);
    }

    /**
     * The variant of a template for a seed, as work priced for every draw it may make: {@code POST /v1/variants} and
     * {@code GET /v1/examples/{id}?seed=N}.
     */
    public Work variant(Template template, long seed, boolean allowKinks, String prefix) {
        Shape shape = shape(template, prefix);
        Template.Size size = template.size();
        Cost answer = CostModel.variantAnswer(size.numbers(), size.chars());
        Draws draws = Draws.plan(shape, 1, answer.work(), limits.maxWork());
        return Work.json(answer.plus(draws.cost()), path(prefix), "this variant",
                deadline -> draw(template, seed, allowKinks, prefix, draws, deadline));
    }

    /**
     * The shape of a template's variants, read as their problem without drawing anything (a 400 at {@code prefix}
     * when it is not a valid problem), and what drawing one costs.
     */
    public Shape shape(Template template, String prefix) {
        JsonNode body = template.shape();
        Shape read = check(body).shape(body, prefix);
        Template.Size size = template.size();
        long each = Cost.units(CostModel.variantDraw(size.drawn(), size.numbers(), read.drawWork()));
        return new Shape(read.network(), read.graph(), each, template.fixed() ? 1 : MAX_DRAWS);
    }

    /** Reads a template for {@code POST /v1/variants} or a grading problem; {@code prefix} goes before error paths. */
    public Template template(JsonNode node, String prefix) {
        List<FieldError> errors = new FieldErrors();
        if (node == null || !node.isObject()) {
            String path = prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
            throw new InvalidRequestException(List.of(new FieldError(path, node == null
                    ? "missing: expected a problem (a POST /v1/gradients body) with {\"vary\": {...}} where numbers are to be drawn"
                    : "expected a problem with {\"vary\": {...}} where numbers are to be drawn, but got " + JsonText.kind(node))));
        }
        Template t = Template.read(node, prefix, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return t;
    }

    /**
     * The variant of a template for a seed: a {@code /v1/gradients} or {@code /v1/graph} body. Unless
     * {@code allowKinks}, a draw on a kink is drawn again; after {@value #MAX_DRAWS} such draws, a 400 at
     * {@code prefix} says which kink. Each draw is counted in {@code draws} (a 422 once the request's priced draws are
     * all made) and checked by a pass under {@code deadline}.
     */
    public JsonNode draw(Template template, long seed, boolean allowKinks, String prefix, Draws draws, Deadline deadline) {
        SplitMix64 rng = new SplitMix64(seed);
        String path = path(prefix);
        if (!template.fixed() && draws.firstVariant()) {
            checkBounds(template, prefix, draws, deadline);
        }
        List<String> kinks = List.of();
        int most = template.fixed() ? 1 : MAX_DRAWS; // nothing drawn: every draw is the same
        for (int attempt = 0; attempt < most; attempt++) {
            draws.take(kinks, path);
            deadline.check();
            JsonNode body = template.draw(rng);
            kinks = check(body).kinks(body, prefix, deadline); // also refuses a draw that is not a valid problem
            if (allowKinks || kinks.isEmpty()) {
                return body;
            }
        }
        throw new InvalidRequestException(List.of(new FieldError(path, "every draw puts the problem on a kink, where its derivative"
                + " is a convention (the last: " + String.join(", ", kinks) + "); widen the ranges, or set allow_kinks")));
    }

    /**
     * Refuses a template that can draw a problem that is not valid (an index or a class label out of range or not a
     * whole number), whatever the seed: the problem is read and computed with every vary at the largest value of its
     * range, then at its second value (the smallest is {@link #shape}'s). Each check is a priced draw. An index or a
     * label is valid on a range of whole numbers, so valid at both ends and one step on means valid at every draw.
     */
    private void checkBounds(Template template, String prefix, Draws draws, Deadline deadline) {
        String path = path(prefix);
        List<String> ends = List.of("the largest value of its range", "the second value of its range (min + step)");
        List<JsonNode> bodies = template.bounds();
        for (int b = 0; b < bodies.size(); b++) {
            draws.take(List.of(), path);
            deadline.check();
            JsonNode body = bodies.get(b);
            try {
                check(body).kinks(body, prefix, deadline);
            } catch (InvalidRequestException e) {
                String end = ends.get(b);
                throw new InvalidRequestException(e.errors().stream().map(f -> new FieldError(f.path(),
                        "with every vary at " + end + ", the problem is not valid: " + f.message()
                                + " (narrow the vary's range so that every draw is valid)")).toList());
            } catch (dev.chainrule.engine.NonFiniteException e) {
                // not finite at the bounds is a kink, which a draw steps off: it does not make a template invalid
            }
        }
    }

    private static String path(String prefix) {
        return prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
    }

    private VariantCheck check(JsonNode body) {
        for (VariantCheck c : checks) {
            if (c.reads(body)) {
                return c;
            }
        }
        // the network reader says what a problem needs
        return checks.stream().filter(NetworkVariantCheck.class::isInstance).findFirst().orElseThrow();
    }

    /** Reads a seed: a whole number from 0 to {@link #MAX_SEED}; null (with an error) when it is not one. */
    public static Long seed(JsonNode node, String path, List<FieldError> errors) {
        if (node != null && node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0 && node.longValue() <= MAX_SEED) {
            return node.longValue();
        }
        errors.add(new FieldError(path, "expected a whole number from 0 to " + MAX_SEED + " (2^53 − 1), but got "
                + (node == null ? "nothing" : JsonText.describe(node))));
        return null;
    }
}
