package dev.chainrule.variants;

import dev.chainrule.examples.Examples;
import dev.chainrule.http.Work;
import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.FieldErrors;
import dev.chainrule.errors.InvalidRequestException;
import dev.chainrule.errors.JsonText;
import dev.chainrule.errors.Names;
import java.util.List;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code GET /v1/examples/{id}?seed=N}, an example's variant, and {@code POST /v1/variants}, a template's; both
 * answer a body to post to {@code /v1/gradients} (or {@code /v1/graph}) as it is. Each draw is checked by a pass of
 * the problem, so both hand the drawing over as {@link Work} priced for every draw it may make.
 */
@RestController
class VariantsController {

    private static final Set<String> FIELDS = Set.of("template", "seed", "allow_kinks");

    private final Variants variants;
    private final Examples examples;

    VariantsController(Variants variants, Examples examples) {
        this.variants = variants;
        this.examples = examples;
    }

    /** Work, or the 404 of an unknown example. */
    @GetMapping(path = "/v1/examples/{id}", params = "seed", produces = MediaType.APPLICATION_JSON_VALUE)
    Object example(@PathVariable("id") String id, @RequestParam("seed") String seedText) {
        Template template = variants.exampleTemplate(id);
        if (template == null) {
            return examples.notFound(id);
        }
        List<FieldError> errors = new FieldErrors();
        Long seed = Variants.seed(number(seedText), "seed", errors);
        if (seed == null) {
            throw new InvalidRequestException(errors);
        }
        return variants.variant(template, seed, false, "");
    }

    @PostMapping(path = "/v1/variants", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    Work variant(@RequestBody JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException(List.of(new FieldError("", "expected a JSON object with template, seed and allow_kinks, but got "
                    + (body == null ? "nothing" : JsonText.kind(body)))));
        }
        List<FieldError> errors = new FieldErrors();
        for (String name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(name, "unknown field " + JsonText.quote(name) + Names.didYouMean(name, FIELDS)
                        + ": a variant request has template, seed and allow_kinks"));
            }
        }
        Long seed = Variants.seed(body.get("seed"), "seed", errors);
        boolean allowKinks = false;
        JsonNode k = body.get("allow_kinks");
        if (k != null) {
            if (k.isBoolean()) {
                allowKinks = k.booleanValue();
            } else {
                errors.add(new FieldError("allow_kinks", "expected true or false, but got " + JsonText.describe(k)));
            }
        }
        Template template = null;
        try {
            template = variants.template(body.get("template"), "template.");
        } catch (InvalidRequestException e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return variants.variant(template, seed, allowKinks, "template.");
    }

    /** The query's seed as a JSON number when it is written as a whole number, else as the text it is. */
    private static JsonNode number(String text) {
        if (text.matches("\\d{1,19}")) {
            try {
                return JsonNodeFactory.instance.numberNode(Long.parseLong(text));
            } catch (NumberFormatException tooLarge) {
                // falls through: described as the text
            }
        }
        return JsonNodeFactory.instance.stringNode(text);
    }
}
