package dev.chainrule.gradients;

import dev.chainrule.network.Activation;
import dev.chainrule.network.Layer;
import dev.chainrule.network.LayerNames;
import dev.chainrule.network.Loss;
import dev.chainrule.network.Problem;
import dev.chainrule.network.Reduction;
import dev.chainrule.errors.FieldError;
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
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import tools.jackson.databind.JsonNode;

/**
 * Reads a {@code /v1/gradients} request body into a {@link Problem}, checking everything the contract asks of it.
 * Every problem found is reported with the path of its field as the user wrote it ({@code network.layers[1].W[2]});
 * nothing is coerced ({@code "1.5"} is not a number). Stateless: one instance serves all threads.
 */
public final class ProblemReader {

    /** The fields of a {@code /v1/gradients} body, in the order error messages list them. */
    public static final List<String> GRADIENTS_FIELDS = List.of("network", "x", "batch", "loss", "reduction", "regularization", "options");
    private static final List<String> LAYER_TYPES = List.of("dense", "score");
    private static final Set<String> DENSE_FIELDS = Set.of("type", "W", "b", "activation", "alpha");
    private static final Set<String> SCORE_FIELDS = Set.of("type", "u");
    private static final Map<String, Set<String>> LOSS_FIELDS = Map.of(
            "score", Set.of("type"),
            "squared_error", Set.of("type", "y"),
            "softmax_cross_entropy", Set.of("type", "y"),
            "binary_cross_entropy", Set.of("type", "y"),
            "max_margin", Set.of("type", "x_c", "batch_c", "margin"));
    private static final double DISTRIBUTION_TOLERANCE = 1e-6;

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
        unknownFields(body, fields, "", "a request has " + and(fields), errors);

        // the input first: layer shapes are checked against its width
        double[][] inputs = null;
        boolean batched = body.has("batch");
        if (body.has("x") && body.has("batch")) {
            errors.add("batch", "give either x (one input) or batch (a list of inputs), not both");
        } else if (!body.has("x") && !batched) {
            errors.add("x", "missing: give x (one input vector) or batch (a list of input vectors)");
        } else if (batched) {
            inputs = vectorList(body.get("batch"), "batch", errors, "input vectors");
            if (inputs != null && inputs.length > limits.maxBatch()) {
                throw new LimitExceededException("chainrule.limits.max-batch", limits.maxBatch(), inputs.length,
                        errors.path("batch"), "examples in the batch:");
            }
        } else {
            double[] x = vector(body.get("x"), "x", errors);
            inputs = x == null ? null : new double[][] {x};
        }
        int inputWidth = inputs == null ? -1 : inputs[0].length;

        List<Layer> layers = layers(body.get("network"), inputWidth, errors);
        Loss loss = null;
        if (layers != null) {
            int outputWidth = layers.isEmpty() ? -1 : layers.get(layers.size() - 1).outputSize();
            boolean endsInScore = !layers.isEmpty() && layers.get(layers.size() - 1) instanceof Layer.Score;
            int examples = inputs == null ? -1 : inputs.length;
            loss = loss(body.get("loss"), outputWidth, endsInScore, batched, examples, inputWidth, errors);
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

    private List<Layer> layers(JsonNode network, int inputWidth, Errors errors) {
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
        List<Layer> layers = new ArrayList<>();
        int width = inputWidth;
        long parameters = 0;
        boolean ok = true;
        int denseLayers = 0;
        for (JsonNode node : list) {
            denseLayers += node.path("type").isString() && node.path("type").asString().equals("dense") ? 1 : 0;
        }
        int dense = 0;
        for (int i = 0; i < list.size(); i++) {
            String path = "network.layers[" + i + "]";
            JsonNode node = list.get(i);
            // the lecture's names of this layer, for messages: W or W2, its input x or h1
            String n = denseLayers == 1 ? "" : Integer.toString(dense + 1);
            LayerNames names = new LayerNames("W" + n, "b" + n, "z" + n, "h" + n,
                    dense == 0 ? "x" : denseLayers == 1 ? "h" : "h" + dense);
            dense += node.path("type").isString() && node.path("type").asString().equals("dense") ? 1 : 0;
            Layer layer = layer(node, path, width, i == list.size() - 1, names, errors);
            if (layer == null) {
                ok = false;
                // keep checking later layers against the width this layer declares, where it can be read
                width = declaredOutputs(node, width);
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

    private Layer layer(JsonNode node, String path, int inputWidth, boolean last, LayerNames names, Errors errors) {
        if (!node.isObject()) {
            errors.add(path, "expected a layer object ({\"type\": \"dense\", ...} or {\"type\": \"score\", ...}), but got " + JsonText.kind(node));
            return null;
        }
        JsonNode type = node.get("type");
        if (type == null) {
            errors.add(path + ".type", "missing: expected \"dense\" or \"score\"");
            return null;
        }
        String t = type.isString() ? type.asString() : null;
        if ("dense".equals(t)) {
            return dense(node, path, inputWidth, names, errors);
        }
        if ("score".equals(t)) {
            unknownFields(node, SCORE_FIELDS, path, "a score layer has type and u", errors);
            if (!last) {
                errors.add(path, "a score layer (s = uᵀh, a scalar) can only be the last layer");
            }
            double[] u = vector(node.get("u"), path + ".u", errors);
            if (u == null) {
                return null;
            }
            if (inputWidth >= 0 && u.length != inputWidth) {
                errors.add(path + ".u", "has " + u.length + " entries but its input " + inputDescription(path, inputWidth));
                return null;
            }
            return last ? new Layer.Score(u) : null;
        }
        errors.add(path + ".type", Names.unknown("layer type", type, LAYER_TYPES));
        return null;
    }

    private Layer dense(JsonNode node, String path, int inputWidth, LayerNames names, Errors errors) {
        unknownFields(node, DENSE_FIELDS, path, "a dense layer has type, W, b, activation and alpha", errors);
        double[][] w = matrix(node.get("W"), path + ".W", errors);
        double[] b = null;
        if (node.has("b") && !node.get("b").isNull()) {
            b = vector(node.get("b"), path + ".b", errors);
        } else if (node.has("b")) {
            errors.add(path + ".b", "expected a vector of numbers, but got null (leave b out for no bias)");
        }
        Activation activation = Activation.IDENTITY;
        JsonNode a = node.get("activation");
        if (a != null) {
            activation = a.isString() ? Activation.fromWireName(a.asString()) : null;
            if (activation == null) {
                errors.add(path + ".activation", Names.unknown("activation", a, Activation.wireNames()));
            }
        }
        double alpha = Activation.DEFAULT_ALPHA;
        JsonNode al = node.get("alpha");
        if (al != null) {
            Double v = number(al, path + ".alpha", errors);
            if (v != null && v < 0) {
                errors.add(path + ".alpha", "must be 0 or more (the slope of leaky_relu below 0), but got " + v);
            } else if (v != null) {
                alpha = v;
            }
        }
        if (w == null) {
            return null;
        }
        boolean ok = activation != null;
        boolean transposed = false;
        if (inputWidth >= 0 && w[0].length != inputWidth) {
            transposed = w.length == inputWidth;
            if (transposed) {
                // one error for the cause; b and the next layer are then read against the W that was meant
                errors.add(path + ".W", names.w() + " is " + w.length + "×" + w[0].length + " but " + names.input() + " has "
                        + inputWidth + " entries: " + names.w() + " must be outputs × inputs, " + w[0].length + "×" + w.length
                        + " — transposed?");
            } else {
                errors.add(path + ".W", "has " + w[0].length + " columns but its input " + inputDescription(path, inputWidth));
            }
            ok = false;
        }
        if (b != null && b.length != w.length && !(transposed && b.length == w[0].length)) {
            errors.add(path + ".b", "has " + b.length + " entries but W has " + w.length + " rows");
            ok = false;
        }
        if (node.has("b") && b == null) {
            ok = false;
        }
        return ok ? new Layer.Dense(new Array2DRowRealMatrix(w, false), b, activation, alpha) : null;
    }

    /**
     * The outputs a layer that failed to read declares: W's rows, or W's columns when W is the transpose of what
     * its input needs (that error is reported once, not again at the next layer); -1 where it cannot be read.
     */
    private static int declaredOutputs(JsonNode node, int inputWidth) {
        JsonNode w = node != null && node.isObject() ? node.get("W") : null;
        if (w == null || !w.isArray() || w.isEmpty()) {
            return -1;
        }
        JsonNode row = w.get(0);
        if (inputWidth >= 0 && w.size() == inputWidth && row.isArray() && row.size() != inputWidth) {
            return row.size();
        }
        return w.size();
    }

    private static String inputDescription(String layerPath, int width) {
        return layerPath.endsWith("[0]") ? "(x) has " + width + " entries" : "(the previous layer's output) has " + width + " entries";
    }

    // ---- loss ----

    private Loss loss(JsonNode node, int outputWidth, boolean endsInScore, boolean batched, int examples,
            int inputWidth, Errors errors) {
        if (node == null || node.isNull()) {
            if (!endsInScore) {
                errors.add("loss", "missing: a loss is needed when the network does not end in a score layer");
                return null;
            }
            return new Loss.Score();
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
        if (!LOSS_FIELDS.containsKey(type)) {
            errors.add("loss.type", Names.unknown("loss", typeNode, lossNames()));
            return null;
        }
        unknownFields(node, LOSS_FIELDS.get(type), "loss", "a " + type + " loss has " + String.join(", ", sorted(LOSS_FIELDS.get(type))), errors);
        boolean scalarOutput = outputWidth == 1;
        if ((type.equals("score") || type.equals("binary_cross_entropy") || type.equals("max_margin"))
                && outputWidth > 1) {
            errors.add("loss.type", type + " needs a scalar output (a score layer or one output), but the network's output has "
                    + outputWidth + " entries");
            return null;
        }
        if (type.equals("softmax_cross_entropy") && outputWidth == 1) {
            errors.add("loss.type", "softmax_cross_entropy over one " + (endsInScore ? "score (the network ends in a score layer)" : "output")
                    + " is always 0: the softmax of a single number is 1, so J = 0 and every gradient is 0 whatever the weights."
                    + " For one score or output use binary_cross_entropy (y in [0, 1]) or max_margin; for classes, end in a dense"
                    + " layer with one output per class");
            return null;
        }
        if (outputWidth < 0 || (examples < 0 && !type.equals("score"))) {
            return null; // the network or input is already reported
        }
        switch (type) {
            case "score":
                return new Loss.Score();
            case "squared_error": {
                double[][] y = targets(node.get("y"), batched, examples, (t, p) -> squaredTarget(t, p, outputWidth, errors), errors);
                return y == null ? null : new Loss.SquaredError(y);
            }
            case "softmax_cross_entropy": {
                double[][] y = targets(node.get("y"), batched, examples, (t, p) -> classTarget(t, p, outputWidth, errors), errors);
                return y == null ? null : new Loss.SoftmaxCrossEntropy(y);
            }
            case "binary_cross_entropy": {
                double[][] y = targets(node.get("y"), batched, examples, (t, p) -> binaryTarget(t, p, errors), errors);
                if (y == null) {
                    return null;
                }
                double[] flat = new double[y.length];
                for (int k = 0; k < y.length; k++) {
                    flat[k] = y[k][0];
                }
                return new Loss.BinaryCrossEntropy(flat);
            }
            default: {
                double margin = Loss.MaxMargin.DEFAULT_MARGIN;
                if (node.has("margin")) {
                    Double m = number(node.get("margin"), "loss.margin", errors);
                    if (m == null) {
                        return null;
                    }
                    margin = m;
                }
                double[][] corrupt = corruptInputs(node, batched, examples, inputWidth, errors);
                return corrupt == null || !scalarOutput ? null : new Loss.MaxMargin(corrupt, margin);
            }
        }
    }

    private double[][] corruptInputs(JsonNode node, boolean batched, int examples, int inputWidth, Errors errors) {
        String field = batched ? "batch_c" : "x_c";
        String other = batched ? "x_c" : "batch_c";
        if (node.has(other)) {
            errors.add("loss." + other, batched ? "with batch, give the corrupt inputs as loss.batch_c (one per example)"
                    : "with x, give the corrupt input as loss.x_c");
            return null;
        }
        JsonNode c = node.get(field);
        if (c == null) {
            errors.add("loss." + field, "missing: max_margin needs the corrupt input" + (batched ? "s, one per example of batch" : " x_c"));
            return null;
        }
        double[][] rows;
        if (batched) {
            rows = vectorList(c, "loss.batch_c", errors, "corrupt input vectors");
            if (rows != null && rows.length != examples) {
                errors.add("loss.batch_c", "has " + rows.length + " corrupt inputs but batch has " + examples + " examples");
                return null;
            }
        } else {
            double[] xc = vector(c, "loss.x_c", errors);
            rows = xc == null ? null : new double[][] {xc};
        }
        if (rows != null && inputWidth >= 0 && rows[0].length != inputWidth) {
            errors.add("loss." + field + (batched ? "[0]" : ""), "has " + rows[0].length + " entries but "
                    + (batched ? "each input of batch" : "x") + " has " + inputWidth);
            return null;
        }
        return rows;
    }

    private interface TargetReader {
        double[] read(JsonNode target, String path);
    }

    private static double[][] targets(JsonNode y, boolean batched, int examples, TargetReader reader, Errors errors) {
        if (y == null || y.isNull()) {
            errors.add("loss.y", "missing: expected the target" + (batched ? "s, one per example of batch" : ""));
            return null;
        }
        if (!batched) {
            double[] t = reader.read(y, "loss.y");
            return t == null ? null : new double[][] {t};
        }
        if (!y.isArray()) {
            errors.add("loss.y", "with batch, expected a list of " + examples + " targets (one per example), but got " + JsonText.kind(y));
            return null;
        }
        if (y.size() != examples) {
            errors.add("loss.y", "has " + y.size() + " targets but batch has " + examples + " examples");
            return null;
        }
        double[][] out = new double[examples][];
        boolean ok = true;
        for (int k = 0; k < examples; k++) {
            out[k] = reader.read(y.get(k), "loss.y[" + k + "]");
            ok &= out[k] != null;
        }
        return ok ? out : null;
    }

    private static double[] squaredTarget(JsonNode t, String path, int width, Errors errors) {
        if (t.isNumber() && width == 1) {
            Double v = number(t, path, errors);
            return v == null ? null : new double[] {v};
        }
        if (t.isNumber()) {
            errors.add(path, "expected a vector of " + width + " numbers (the network's output has " + width + " entries), but got a number");
            return null;
        }
        double[] v = vector(t, path, errors);
        if (v != null && v.length != width) {
            errors.add(path, "has " + v.length + " entries but the network's output has " + width);
            return null;
        }
        return v;
    }

    private static double[] classTarget(JsonNode t, String path, int classes, Errors errors) {
        if (t.isNumber()) {
            if (!t.isIntegralNumber()) {
                errors.add(path, "a class index must be a whole number from 0 to " + (classes - 1) + ", but got " + t);
                return null;
            }
            if (!t.canConvertToInt() || t.intValue() < 0 || t.intValue() >= classes) {
                errors.add(path, "class index " + t + " is out of range: the output has " + classes
                        + " classes, so it must be from 0 to " + (classes - 1));
                return null;
            }
            double[] onehot = new double[classes];
            onehot[t.intValue()] = 1.0;
            return onehot;
        }
        if (!t.isArray()) {
            errors.add(path, "expected a class index (0 to " + (classes - 1) + ") or a probability vector of " + classes
                    + " entries, but got " + JsonText.kind(t));
            return null;
        }
        double[] p = vector(t, path, errors);
        if (p == null) {
            return null;
        }
        if (p.length != classes) {
            errors.add(path, "has " + p.length + " probabilities but the output has " + classes + " classes");
            return null;
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] < 0) {
                errors.add(path + "[" + i + "]", "a probability cannot be negative, but got " + p[i]);
                return null;
            }
            sum += p[i];
        }
        if (Math.abs(sum - 1.0) > DISTRIBUTION_TOLERANCE) {
            errors.add(path, "the probabilities must sum to 1, but they sum to " + sum);
            return null;
        }
        return p;
    }

    private static double[] binaryTarget(JsonNode t, String path, Errors errors) {
        JsonNode value = t;
        String p = path;
        if (t.isArray() && t.size() == 1) {
            value = t.get(0);
            p = path + "[0]";
        }
        Double v = number(value, p, errors);
        if (v == null) {
            return null;
        }
        if (v < 0 || v > 1) {
            errors.add(p, "a binary target must be a number from 0 to 1, but got " + v);
            return null;
        }
        return new double[] {v};
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

    private static double[][] vectorList(JsonNode node, String path, Errors errors, String what) {
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

    private static void unknownFields(JsonNode node, Collection<String> known, String path, String hint, Errors errors) {
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
        return List.of("score", "squared_error", "softmax_cross_entropy", "binary_cross_entropy", "max_margin");
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
        private final List<FieldError> list = new FieldErrors(); // bounded: a million bad entries cost fifty

        Errors(String prefix) {
            this.prefix = prefix;
        }

        void add(String path, String message) {
            list.add(new FieldError(path(path), message));
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
