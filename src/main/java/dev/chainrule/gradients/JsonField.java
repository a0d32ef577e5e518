package dev.chainrule.gradients;

import dev.chainrule.errors.JsonText;
import dev.chainrule.errors.Names;
import dev.chainrule.network.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A value of the request's JSON tree as the network's kinds read it ({@link Field}): its path as the user wrote
 * it, and the readings of {@link ProblemReader} (nothing coerced, every problem reported at its path). A missing
 * value is a field whose node is null.
 */
final class JsonField implements Field {

    private final JsonNode node;
    private final String path;
    private final ProblemReader.Errors errors;

    JsonField(JsonNode node, String path, ProblemReader.Errors errors) {
        this.node = node;
        this.path = path;
        this.errors = errors;
    }

    @Override public String path() { return path; }
    @Override public boolean present() { return node != null && !node.isMissingNode(); }
    @Override public boolean isNull() { return present() && node.isNull(); }
    @Override public boolean isNumber() { return present() && node.isNumber(); }
    @Override public boolean isIntegral() { return present() && node.isIntegralNumber(); }
    @Override public boolean isString() { return present() && node.isString(); }
    @Override public boolean isArray() { return present() && node.isArray(); }
    @Override public boolean isObject() { return present() && node.isObject(); }
    @Override public int size() { return present() && (node.isArray() || node.isObject()) ? node.size() : 0; }
    @Override public double number() { return node.numberValue().doubleValue(); }
    @Override public boolean isInt() { return isIntegral() && node.canConvertToInt(); }
    @Override public String string() { return isString() ? node.asString() : null; }
    @Override public String text() { return present() ? node.toString() : "nothing"; }
    @Override public String kind() { return present() ? JsonText.kind(node) : "nothing"; }
    @Override public String describe() { return present() ? JsonText.describe(node) : "nothing"; }

    @Override
    public Field at(int i) {
        return new JsonField(isArray() && i < node.size() ? node.get(i) : null, path + "[" + i + "]", errors);
    }

    @Override
    public Field at(String name) {
        return new JsonField(isObject() ? node.get(name) : null, path.isEmpty() ? name : path + "." + name, errors);
    }

    @Override
    public List<String> names() {
        return isObject() ? new ArrayList<>(node.propertyNames()) : List.of();
    }

    @Override
    public void error(String message) {
        errors.add(path, message);
    }

    @Override
    public void errorAt(String at, String message) {
        errors.add(at, message);
    }

    @Override
    public void only(Collection<String> known, String hint) {
        if (isObject()) {
            ProblemReader.unknownFields(node, known, path, hint, errors);
        }
    }

    @Override
    public String unknown(String what, List<String> choices) {
        return Names.unknown(what, node, choices);
    }

    @Override
    public Double readNumber() {
        return ProblemReader.number(present() ? node : null, path, errors);
    }

    @Override
    public double[] readVector() {
        return ProblemReader.vector(present() ? node : null, path, errors);
    }

    @Override
    public double[][] readMatrix() {
        return ProblemReader.matrix(present() ? node : null, path, errors);
    }

    @Override
    public double[][] readRows(String what) {
        if (!present()) {
            errors.add(path, "missing: expected a list of " + what);
            return null;
        }
        return ProblemReader.vectorList(node, path, errors, what);
    }
}
