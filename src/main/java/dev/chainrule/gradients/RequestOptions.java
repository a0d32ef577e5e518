package dev.chainrule.gradients;

import dev.chainrule.network.GradientEngine;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What a request asks for beside forward values and gradients.
 *
 * @param steps        the backward chain step by step (default true)
 * @param jacobianForm every gradient also in Jacobian form (default false)
 */
public record RequestOptions(boolean steps, boolean jacobianForm) {

    static final RequestOptions DEFAULT = new RequestOptions(true, false);
    private static final Set<String> KNOWN = Set.of("steps", "jacobian_form");

    public GradientEngine.Options engineOptions() {
        return new GradientEngine.Options(steps, jacobianForm);
    }

    static RequestOptions read(JsonNode node, ProblemReader.Errors errors) {
        if (node == null || node.isNull()) {
            return DEFAULT;
        }
        if (!node.isObject()) {
            errors.add("options", "expected an object such as {\"steps\": false, \"jacobian_form\": true}, but got "
                    + ProblemReader.kind(node));
            return DEFAULT;
        }
        for (String name : node.propertyNames()) {
            if (!KNOWN.contains(name)) {
                errors.add("options." + name, "unknown option \"" + name + "\": the options are steps and jacobian_form");
            }
        }
        return new RequestOptions(flag(node, "steps", true, errors), flag(node, "jacobian_form", false, errors));
    }

    private static boolean flag(JsonNode options, String name, boolean fallback, ProblemReader.Errors errors) {
        JsonNode v = options.get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            errors.add("options." + name, "expected true or false, but got " + ProblemReader.describe(v));
            return fallback;
        }
        return v.booleanValue();
    }
}
