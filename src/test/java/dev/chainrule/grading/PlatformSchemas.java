package dev.chainrule.grading;

import com.github.fge.jackson.JsonLoader;
import com.github.fge.jsonschema.core.exceptions.ProcessingException;
import com.github.fge.jsonschema.core.report.ProcessingReport;
import com.github.fge.jsonschema.main.JsonSchema;
import com.github.fge.jsonschema.main.JsonSchemaFactory;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON Schemas of Gradescope's results.json and PrairieLearn's external-grading results, written from the
 * platforms' documentation ({@code src/test/resources/platforms}), checked with the JSON Schema validator that
 * swagger-request-validator already brings (java-json-tools, draft 4).
 */
final class PlatformSchemas {

    static final JsonSchema GRADESCOPE = load("/platforms/gradescope-results.schema.json");
    static final JsonSchema PRAIRIELEARN = load("/platforms/prairielearn-results.schema.json");

    private PlatformSchemas() {
    }

    private static JsonSchema load(String resource) {
        try {
            return JsonSchemaFactory.byDefault().getJsonSchema(JsonLoader.fromResource(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ProcessingException e) {
            throw new IllegalStateException(resource + " is not a valid schema: " + e.getMessage(), e);
        }
    }

    /** Null when {@code json} is valid, else the validator's report. */
    static String violations(JsonSchema schema, String json) {
        try {
            ProcessingReport report = schema.validate(JsonLoader.fromString(json), true);
            return report.isSuccess() ? null : report.toString();
        } catch (IOException | ProcessingException e) {
            return e.toString();
        }
    }
}
