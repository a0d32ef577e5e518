package dev.chainrule.gradients;

import dev.chainrule.network.Kinds;
import dev.chainrule.network.Layer;
import dev.chainrule.network.Loss;
import dev.chainrule.network.LayerNames;
import dev.chainrule.network.Problem;
import dev.chainrule.network.Reduction;
import dev.chainrule.network.ScoreLoss;
import dev.chainrule.errors.FieldErrors;
import dev.chainrule.errors.InvalidRequestException;
import dev.chainrule.errors.JsonText;
import dev.chainrule.errors.LimitExceededException;
import dev.chainrule.wire.NumberArrayNode;
import dev.chainrule.config.Limits;
import dev.chainrule.errors.Names;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads a {@code /v1/gradients} request body into a {@link Problem}, checking everything the contract asks of it:
 * the request's own fields here, each layer and loss by its kind ({@link Layer.Kind}, {@link Loss.Kind}) through
 * {@link JsonField}. Every problem found is reported with the path of its field as the user wrote it
 * ({@code network.layers[1].W[2]}); nothing is coerced ({@code "1.5"} is not a number). Stateless: one instance
 * serves all threads.
 */
public final class ProblemReader {

    /** The fields of a {@code /v1/gradients} body, in the order error messages list them. */
    public static final List<String> GRADIENTS_FIELDS = List.of("network", "x", "batch", "loss", "reduction", "regularization", "options");

    private final Limits limits;

    public ProblemReader(Limits limits) {
        this.limits = limits;
    }

    /** A request read: the problem and what else was asked for. */
    public record Request(Problem problem, RequestOptions options) {
    }

    /**
     * Reads a whole {@code /v1/gradients} body; {@code prefix} is put before every path (e.g. {@code problem.} when
     * the request is nested in a grading request).
     *
     * @throws InvalidRequestException with every problem found
     * @throws LimitExceededException  when the request is over a configured limit of size (layers, parameters, batch)
     */
    public Request read(JsonNode body, String prefix) {
        return read(body, prefix, GRADIENTS_FIELDS);
    }

    /**
     * The same for a body that has more fields than a {@code /v1/gradients} body (e.g. {@code /v1/train}'s
     * {@code learning_rate}): {@code fields} lists every field of that body, so that an unknown one is reported with
     * the whole list and a near miss of any of them ({@code learning_rat}) is suggested. Fields beyond
     * {@link #GRADIENTS_FIELDS} are the caller's to read; {@code options} is read only when listed.
     */
    public Request read(JsonNode body, String prefix, List<String> fields) {
        Errors errors = new Errors(prefix);
        if (body == null || body.isMissingNode() || body.isNull()) {
            errors.add("", "the body is empty: expected a JSON object with network, x (or batch) and loss");
            throw errors.exception();
        }
        if (!body.isObject()) {
            errors.add("", "expected a JSON object with network, x (or batch) and loss, but got " + JsonText.kind(body));
            throw errors.exception();
        }
        // the kinds' own input fields (an embedding's words) beside x and batch
        List<String> known = new ArrayList<>(fields);
        known.addAll(known.indexOf("batch") + 1, Kinds.inputFields());
        unknownFields(body, known, "", "a request has " + and(known), errors);
        JsonField root = new JsonField(body, "", errors);

        // the input first: layer shapes are checked against its width. A first layer of a kind that reads the
        // request's input itself (an embedding's words) reads it in place of x and batch
        Layer.Kind first = firstKind(body.get("network"));
        List<String> own = first == null ? List.of() : first.inputFields();
        for (String field : Kinds.inputFields()) {
            if (body.has(field) && !own.contains(field)) {
                errors.add(field, "is read only by a network whose first layer reads it (" + owner(field)
                        + "); this one reads x or batch");
            }
        }
        double[][] inputs = null;
        boolean batched = body.has("batch");
        if (!own.isEmpty()) {
            for (String field : List.of("x", "batch")) {
                if (body.has(field)) {
                    errors.add(field, "the first layer is " + article(first.type()) + " " + first.type() + " layer, which reads "
                            + String.join(" or ", own) + ", not " + field);
                }
            }
            Layer.Input input = first.readInput(root);
            batched = input == null ? body.has(own.get(own.size() - 1)) : input.batched();
            inputs = input == null ? null : input.rows();
        } else if (body.has("x") && body.has("batch")) {
            errors.add("batch", "give either x (one input) or batch (a list of inputs), not both");
        } else if (!body.has("x") && !batched) {
            errors.add("x", "missing: give x (one input vector) or batch (a list of input vectors)");
        } else if (batched) {
            inputs = vectorList(body.get("batch"), "batch", errors, "input vectors");
        } else {
            double[] x = vector(body.get("x"), "x", errors);
            inputs = x == null ? null : new double[][] {x};
        }
        if (inputs != null && inputs.length > limits.maxBatch()) {
            throw new LimitExceededException("chainrule.limits.max-batch", limits.maxBatch(), inputs.length,
                    errors.path(own.isEmpty() ? "batch" : own.get(own.size() - 1)), "examples in the batch:");
        }
        int inputWidth = inputs == null ? -1 : inputs[0].length;

        List<Layer> layers = layers(body.get("network"), inputWidth, inputs, batched, root, errors);
        Loss loss = null;
        if (layers != null) {
            int outputWidth = layers.isEmpty() ? -1 : layers.get(layers.size() - 1).outputSize();
            boolean endsInScore = !layers.isEmpty() && layers.get(layers.size() - 1).scalarOutput();
            int examples = inputs == null ? -1 : inputs.length;
            String inputName = layers.isEmpty() ? "x" : layers.get(0).inputName();
            loss = loss(body.get("loss"), new Loss.Context(outputWidth, batched, examples, inputWidth, inputName), endsInScore, errors);
        }

        Reduction reduction = Reduction.MEAN;
        JsonNode r = body.get("reduction");
        if (r != null) {
            if (r.isString() && r.asString().equals("mean")) {
                reduction = Reduction.MEAN;
            } else if (r.isString() && r.asString().equals("sum")) {
                reduction = Reduction.SUM;
            } else {
                errors.add("reduction", Names.unknown("reduction", r, List.of("mean", "sum")));
            }
        }
        double l2 = regularization(body.get("regularization"), errors);
        RequestOptions options = RequestOptions.read(fields.contains("options") ? body.get("options") : null, errors);
        if (!errors.isEmpty()) {
            throw errors.exception();
        }
        // what computing it will cost is the endpoint's to ask (budget.CostModel): the same problem costs differently
        // graded, trained or with options
        return new Request(new Problem(layers, inputs, batched, loss, reduction, l2), options);
    }

    /** {@code {"l2": λ}}: R = λ Σ ‖W‖²_F over every weight matrix and u, λ ≥ 0; 0 when absent. */
    private static double regularization(JsonNode node, Errors errors) {
        if (node == null) {
            return 0.0;
        }
        if (!node.isObject()) {
            errors.add("regularization", "expected {\"l2\": λ} with λ ≥ 0, but got " + JsonText.kind(node));
            return 0.0;
        }
        for (String name : node.propertyNames()) {
            if (!name.equals("l2")) {
                errors.add("regularization." + name, "unknown field " + JsonText.quote(name) + ": regularization has only l2");
            }
        }
        JsonNode l2 = node.get("l2");
        if (l2 == null) {
            errors.add("regularization.l2", "missing: expected λ ≥ 0, the strength of R = λ Σ ‖W‖²_F");
            return 0.0;
        }
        Double lambda = number(l2, "regularization.l2", errors);
        if (lambda == null) {
            return 0.0;
        }
        if (lambda < 0) {
            errors.add("regularization.l2", "expected λ ≥ 0 (a penalty λ Σ ‖W‖²_F), but got " + JsonText.describe(l2));
            return 0.0;
        }
        return lambda;
    }

    // ---- network ----

    /** The kind the network's first layer names, or null when it names none that is known. */
    private static Layer.Kind firstKind(JsonNode network) {
        JsonNode list = network != null && network.isObject() ? network.get("layers") : null;
        JsonNode type = list != null && list.isArray() && !list.isEmpty() ? list.get(0).path("type") : null;
        return type != null && type.isString() ? Kinds.layer(type.asString()) : null;
    }

    /** The kinds that read a request field of their own, for a message. */
    private static String owner(String field) {
        List<String> owners = new ArrayList<>();
        for (Layer.Kind k : Kinds.layers()) {
            if (k.inputFields().contains(field)) {
                owners.add(article(k.type()) + " " + k.type() + " layer");
            }
        }
        return String.join(" or ", owners);
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    private List<Layer> layers(JsonNode network, int inputWidth, double[][] inputs, boolean batched, JsonField root, Errors errors) {
        if (network == null) {
            errors.add("network", "missing: expected {\"layers\": [...]}");
            return null;
        }
        if (!network.isObject()) {
            errors.add("network", "expected an object {\"layers\": [...]}, but got " + JsonText.kind(network));
            return null;
        }
        unknownFields(network, List.of("layers"), "network", "a network has only layers", errors);
        JsonNode list = network.get("layers");
        if (list == null) {
            errors.add("network.layers", "missing: expected a non-empty list of layers");
            return null;
        }
        if (!list.isArray()) {
            errors.add("network.layers", "expected a list of layers, but got " + JsonText.kind(list));
            return null;
        }
        if (list.isEmpty()) {
            errors.add("network.layers", "is empty: a network needs at least one layer");
            return null;
        }
        if (list.size() > limits.maxLayers()) {
            throw new LimitExceededException("chainrule.limits.max-layers", limits.maxLayers(), list.size(),
                    errors.path("network.layers"), "layers in the network:");
        }
        List<Layer.Kind> kinds = new ArrayList<>();
        for (JsonNode node : list) {
            JsonNode type = node.path("type");
            kinds.add(type.isString() ? Kinds.layer(type.asString()) : null);
        }
        // the lecture's names of each layer, for messages: W or W2, its input x or h1
        List<LayerNames> names = LayerNames.ofKinds(kinds);
        List<Layer> layers = new ArrayList<>();
        int width = inputWidth;
        long parameters = 0;
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            String path = "network.layers[" + i + "]";
            JsonNode node = list.get(i);
            Layer.Context context = new Layer.Context(i, list.size(), width, names.get(i), batched, inputs, root);
            Layer layer = layer(node, path, kinds.get(i), context, errors);
            if (layer == null) {
                ok = false;
                // keep checking later layers against the width this layer declares, where it can be read
                width = kinds.get(i) == null ? -1 : kinds.get(i).declaredOutputs(new JsonField(node, path, errors), width);
                continue;
            }
            parameters += layer.parameterCount();
            if (parameters > limits.maxParameters()) {
                throw new LimitExceededException("chainrule.limits.max-parameters", limits.maxParameters(), parameters,
                        errors.path("network.layers"), "parameters in the network, counted so far:");
            }
            layers.add(layer);
            width = layer.outputSize();
        }
        return ok ? layers : null;
    }

    private static Layer layer(JsonNode node, String path, Layer.Kind kind, Layer.Context context, Errors errors) {
        List<String> quoted = new ArrayList<>();
        List<String> objects = new ArrayList<>();
        for (Layer.Kind k : Kinds.layers()) {
            quoted.add("\"" + k.type() + "\"");
            objects.add("{\"type\": \"" + k.type() + "\", ...}");
        }
        if (!node.isObject()) {
            errors.add(path, "expected a layer object (" + or(objects) + "), but got " + JsonText.kind(node));
            return null;
        }
        JsonNode type = node.get("type");
        if (type == null) {
            errors.add(path + ".type", "missing: expected " + or(quoted));
            return null;
        }
        if (kind == null) {
            errors.add(path + ".type", Names.unknown("layer type", type, Kinds.layers().stream().map(Layer.Kind::type).toList()));
            return null;
        }
        return kind.read(new JsonField(node, path, errors), context);
    }

    /** "a or b", "a, b or c". */
    private static String or(List<String> names) {
        int n = names.size();
        return n == 1 ? names.get(0) : String.join(", ", names.subList(0, n - 1)) + " or " + names.get(n - 1);
    }

    // ---- loss ----

    private static Loss loss(JsonNode node, Loss.Context context, boolean endsInScore, Errors errors) {
        if (node == null || node.isNull()) {
            if (!endsInScore) {
                errors.add("loss", "missing: a loss is needed when the network does not end in a score layer");
                return null;
            }
            return new ScoreLoss();
        }
        if (!node.isObject()) {
            errors.add("loss", "expected an object such as {\"type\": \"squared_error\", \"y\": [...]}, but got " + JsonText.kind(node));
            return null;
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null) {
            errors.add("loss.type", "missing: expected one of " + String.join(", ", lossNames()));
            return null;
        }
        String type = typeNode.isString() ? typeNode.asString() : "";
        Loss.Kind kind = Kinds.loss(type);
        if (kind == null) {
            errors.add("loss.type", Names.unknown("loss", typeNode, lossNames()));
            return null;
        }
        unknownFields(node, kind.fields(), "loss", "a " + type + " loss has " + String.join(", ", sorted(kind.fields())), errors);
        int outputWidth = context.outputWidth();
        if (kind.scalarOutput() && outputWidth > 1) {
            errors.add("loss.type", type + " needs a scalar output (a score layer or one output), but the network's output has "
                    + outputWidth + " entries");
            return null;
        }
        String refused = kind.refuse(outputWidth, endsInScore);
        if (refused != null) {
            errors.add("loss.type", refused);
            return null;
        }
        if (outputWidth < 0 || (context.examples() < 0 && kind.needsExamples())) {
            return null; // the network or input is already reported
        }
        return kind.read(new JsonField(node, "loss", errors), context);
    }

    // ---- JSON values ----

    static Double number(JsonNode node, String path, Errors errors) {
        if (node == null) {
            errors.add(path, "missing: expected a number");
            return null;
        }
        if (!node.isNumber()) {
            errors.add(path, "expected a number, but got " + JsonText.describe(node));
            return null;
        }
        double v = node.numberValue().doubleValue();
        if (!Double.isFinite(v)) {
            errors.add(path, "the number " + JsonText.abbreviate(node.toString()) + " is too large for a double");
            return null;
        }
        return v;
    }

    static double[] vector(JsonNode node, String path, Errors errors) {
        double[] numbers = NumberArrayNode.values(node); // read compactly: finite numbers, at least one
        if (numbers != null) {
            return numbers;
        }
        if (node == null) {
            errors.add(path, "missing: expected a vector (a list of numbers)");
            return null;
        }
        if (!node.isArray()) {
            errors.add(path, "expected a vector (a list of numbers), but got " + JsonText.describe(node));
            return null;
        }
        if (node.isEmpty()) {
            errors.add(path, "is empty: expected at least one number");
            return null;
        }
        if (node.get(0).isArray()) {
            String name = path.substring(path.lastIndexOf('.') + 1);
            boolean column = true;
            for (JsonNode e : node) {
                column &= e.isArray() && e.size() == 1 && e.get(0).isNumber();
            }
            errors.add(path, column
                    ? "is written as a column [[a], [b], …]: write " + name + " as a flat list [a, b, …] (a vector is a column by convention)"
                    : "expected a vector (a flat list of numbers), but got a list of lists");
            return null;
        }
        double[] out = new double[node.size()];
        boolean ok = true;
        for (int i = 0; i < out.length; i++) {
            JsonNode e = node.get(i);
            if (e.isNumber() && Double.isFinite(e.numberValue().doubleValue())) {
                out[i] = e.numberValue().doubleValue();
            } else {
                number(e, path + "[" + i + "]", errors);
                ok = false;
            }
        }
        return ok ? out : null;
    }

    static double[][] matrix(JsonNode node, String path, Errors errors) {
        if (node == null) {
            errors.add(path, "missing: expected a matrix (a list of rows of numbers)");
            return null;
        }
        if (!node.isArray()) {
            errors.add(path, "expected a matrix (a list of rows of numbers), but got " + JsonText.describe(node));
            return null;
        }
        if (node.isEmpty()) {
            errors.add(path, "is empty: expected at least one row");
            return null;
        }
        double[][] rows = new double[node.size()][];
        boolean ok = true;
        int width = -1;
        for (int i = 0; i < rows.length; i++) {
            JsonNode row = node.get(i);
            if (row.isNumber()) {
                errors.add(path, "expected a matrix (a list of rows), but got a flat list of numbers; write a single row as [[...]]");
                return null;
            }
            rows[i] = vector(row, path + "[" + i + "]", errors);
            if (rows[i] == null) {
                ok = false;
            } else if (width < 0) {
                width = rows[i].length;
            } else if (rows[i].length != width) {
                errors.add(path + "[" + i + "]", "has " + rows[i].length + " entries but row 0 has " + width
                        + ": every row of a matrix must have the same length");
                ok = false;
            }
        }
        return ok ? rows : null;
    }

    static double[][] vectorList(JsonNode node, String path, Errors errors, String what) {
        if (!node.isArray()) {
            errors.add(path, "expected a list of " + what + ", but got " + JsonText.describe(node));
            return null;
        }
        if (node.isEmpty()) {
            errors.add(path, "is empty: expected at least one of the " + what);
            return null;
        }
        return matrix(node, path, errors);
    }

    static void unknownFields(JsonNode node, Collection<String> known, String path, String hint, Errors errors) {
        Iterator<String> names = node.propertyNames().iterator();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                String p = path.isEmpty() ? name : path + "." + name;
                errors.add(p, "unknown field " + JsonText.quote(name) + Names.didYouMean(name, known) + ": " + hint);
            }
        }
    }

    /** "a, b and c". */
    private static String and(List<String> names) {
        int n = names.size();
        return n == 1 ? names.get(0) : String.join(", ", names.subList(0, n - 1)) + " and " + names.get(n - 1);
    }

    private static List<String> lossNames() {
        return Kinds.losses().stream().map(Loss.Kind::type).toList();
    }

    private static List<String> sorted(Set<String> names) {
        List<String> list = new ArrayList<>(names);
        list.sort(null);
        list.remove("type");
        list.add(0, "type");
        return list;
    }

    /** Collects problems; paths get the reader's prefix. */
    static final class Errors {
        private final String prefix;
        private final FieldErrors list = new FieldErrors(); // bounded: a million bad entries cost fifty

        Errors(String prefix) {
            this.prefix = prefix;
        }

        /** Past the fifty listed, a problem is only counted: no FieldError is built (nor its text cut and checked). */
        void add(String path, String message) {
            list.add(path(path), () -> message);
        }

        String path(String path) {
            if (prefix.isEmpty()) {
                return path;
            }
            return path.isEmpty() ? prefix.substring(0, prefix.length() - 1) : prefix + path;
        }

        boolean isEmpty() {
            return list.isEmpty();
        }

        InvalidRequestException exception() {
            return new InvalidRequestException(list);
        }
    }
}
