package dev.chainrule.variants;

import dev.chainrule.examples.Examples;
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
 * drawn again from the same stream, up to {@value #MAX_DRAWS} times.
 */
@Component
public class Variants {

    /** Seeds are whole numbers from 0 to 2^53 − 1, so that every JSON client (JavaScript too) holds them exactly. */
    public static final long MAX_SEED = (1L << 53) - 1;
    static final int MAX_DRAWS = 100;

    private final Examples examples;
    private final List<VariantCheck> checks;

    public Variants(Examples examples, List<VariantCheck> checks) {
        this.examples = examples;
        this.checks = List.copyOf(checks);
    }

    /** An example's body (seed null) or its variant for a seed; null when there is no such example. */
    public JsonNode example(String id, Long seed) {
        Examples.Example e = examples.get(id);
        if (e == null) {
            return null;
        }
        return seed == null ? e.body() : draw(Template.ofExample(e.body(), e.fixed()), seed, false, "");
    }

    public boolean hasExample(String id) {
        return examples.get(id) != null;
    }

    /** "There is no example "x"; the examples are a, b, c." */
    public String unknownExample(String id) {
        return examples.unknown(id);
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
     * The variant of a template for a seed: a {@code /v1/gradients} body. Unless {@code allowKinks}, a draw on a
     * kink is drawn again; after {@value #MAX_DRAWS} such draws, a 400 at {@code prefix} says which kink.
     */
    public JsonNode draw(Template template, long seed, boolean allowKinks, String prefix) {
        SplitMix64 rng = new SplitMix64(seed);
        List<String> kinks = List.of();
        for (int attempt = 0; attempt < MAX_DRAWS; attempt++) {
            JsonNode body = template.draw(rng);
            kinks = check(body).kinks(body, prefix); // also refuses a draw that is not a valid problem
            if (allowKinks || kinks.isEmpty()) {
                return body;
            }
            if (template.fixed()) {
                break; // nothing drawn: every draw is the same
            }
        }
        String path = prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
        throw new InvalidRequestException(List.of(new FieldError(path, "every draw puts the problem on a kink, where its derivative"
                + " is a convention (the last: " + String.join(", ", kinks) + "); widen the ranges, or set allow_kinks")));
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
