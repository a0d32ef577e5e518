package dev.chainrule.gradients;

import dev.chainrule.network.GradientEngine;
import dev.chainrule.errors.JsonText;
import dev.chainrule.errors.Names;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What a request asks for beside forward values and gradients.
 *
 * @param steps           the backward chain step by step (default true)
 * @param jacobianForm    every gradient also in Jacobian form (default false)
 * @param latex           the derivation typeset in LaTeX (default false)
 * @param gradientCheck   compare the gradients with central differences (default false)
 * @param sgdLearningRate {@code options.sgd.learning_rate}: one step of gradient descent, or null
 */
public record RequestOptions(boolean steps, boolean jacobianForm, boolean latex, boolean gradientCheck,
        Double sgdLearningRate) {

    static final RequestOptions DEFAULT = new RequestOptions(true, false, false, false, null);
    private static final Set<String> KNOWN = Set.of("steps", "jacobian_form", "latex", "gradient_check", "sgd");

    public RequestOptions(boolean steps, boolean jacobianForm) {
        this(steps, jacobianForm, false, false, null);
    }

    public GradientEngine.Options engineOptions() {
        return new GradientEngine.Options(steps, jacobianForm);
    }

    static RequestOptions read(JsonNode node, ProblemReader.Errors errors) {
        if (node == null || node.isNull()) {
            return DEFAULT;
        }
        if (!node.isObject()) {
            errors.add("options", "expected an object such as {\"steps\": false, \"jacobian_form\": true}, but got "
                    + JsonText.kind(node));
            return DEFAULT;
        }
        for (String name : node.propertyNames()) {
            if (!KNOWN.contains(name)) {
                errors.add("options." + name, "unknown option " + JsonText.quote(name) + Names.didYouMean(name, KNOWN)
                        + ": the options are steps, jacobian_form, latex, gradient_check and sgd");
            }
        }
        return new RequestOptions(flag(node, "steps", true, errors), flag(node, "jacobian_form", false, errors),
                flag(node, "latex", false, errors), flag(node, "gradient_check", false, errors), sgd(node.get("sgd"), errors));
    }

    private static Double sgd(JsonNode sgd, ProblemReader.Errors errors) {
        if (sgd == null) {
            return null;
        }
        if (!sgd.isObject()) {
            errors.add("options.sgd", "expected an object {\"learning_rate\": α}, but got " + JsonText.kind(sgd));
            return null;
        }
        for (String name : sgd.propertyNames()) {
            if (!name.equals("learning_rate")) {
                errors.add("options.sgd." + name, "unknown field " + JsonText.quote(name)
                        + Names.didYouMean(name, Set.of("learning_rate")) + ": sgd has only learning_rate");
            }
        }
        return learningRate(sgd.get("learning_rate"), "options.sgd.learning_rate", errors);
    }

    /** A learning rate: a finite number above 0. */
    static Double learningRate(JsonNode v, String path, ProblemReader.Errors errors) {
        if (v == null) {
            errors.add(path, "missing: expected the learning rate α, a number above 0");
            return null;
        }
        Double alpha = ProblemReader.number(v, path, errors);
        if (alpha != null && !(alpha > 0)) {
            errors.add(path, "expected a number above 0, but got " + v);
            return null;
        }
        return alpha;
    }

    private static boolean flag(JsonNode options, String name, boolean fallback, ProblemReader.Errors errors) {
        JsonNode v = options.get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            errors.add("options." + name, "expected true or false, but got " + JsonText.describe(v));
            return fallback;
        }
        return v.booleanValue();
    }
}
