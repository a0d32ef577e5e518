package dev.chainrule.graph;

import dev.chainrule.budget.Cost;
import dev.chainrule.budget.CostModel;
import dev.chainrule.engine.Tensor;
import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.FieldErrors;
import dev.chainrule.errors.InvalidRequestException;
import dev.chainrule.errors.JsonText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads a {@code POST /v1/graph} body: {@code expression}, {@code values} (numbers, or nested lists of rank 1 to 4:
 * vectors, matrices as lists of rows, {@code C×H×W}, {@code N×C×H×W}; rectangular) and {@code options}. Every
 * mistake is a {@link FieldError} naming the field as written.
 */
public final class GraphReader {

    private static final Set<String> TOP_LEVEL = Set.of("expression", "values", "options");
    private static final Set<String> OPTIONS = Set.of("steps", "latex", "full_jacobians", "gradient_check");

    /** The most axes a value may have. */
    public static final int MAX_RANK = 4;
    /** The element-wise activations whose f' a grader tries leaving out, and at most how many of them per problem. */
    public static final Set<String> ACTIVATIONS = Set.of("relu", "sigmoid", "tanh", "softplus");
    public static final int LEFT_OUT = 4;

    private final GraphProperties properties;

    public GraphReader(GraphProperties properties) {
        this.properties = properties;
    }

    /**
     * A read request: the parsed statements, the values in the order given, and the options.
     *
     * @param fullJacobians every step's explicit local Jacobian, however large ({@code options.full_jacobians})
     * @param gradientCheck central differences for every input ({@code options.gradient_check})
     */
    public record Request(String expression, List<Expression.Statement> statements, Map<String, Tensor> values,
            boolean steps, boolean latex, boolean fullJacobians, boolean gradientCheck) {

        /** Steps and LaTeX as asked, large Jacobians by their rule, no gradient check. */
        public Request(String expression, List<Expression.Statement> statements, Map<String, Tensor> values, boolean steps,
                boolean latex) {
            this(expression, statements, values, steps, latex, false, false);
        }

        /** What computing it may cost, before its shapes are known (budget.CostModel). */
        public Cost cost(boolean rendered) {
            long[] size = size();
            return CostModel.graph(size[0], size[1], size[2], steps, rendered || latex, gradientCheck);
        }

        /**
         * What grading answers against it may cost besides the answers: computing it, and a backward walk for each
         * activation (up to {@link #LEFT_OUT}) whose f' a student may have left out.
         */
        public Cost gradingCost() {
            long activations = Math.min(LEFT_OUT, GraphCompiler.calls(statements, ACTIVATIONS));
            return cost(false).plusWork(passWork() * activations);
        }

        /** The work of its forward and backward pass alone, nothing written (a variant's kink check). */
        public double passWork() {
            long[] size = size();
            return CostModel.graphPass(size[0], size[1], size[2]);
        }

        /**
         * The values read as integers (index inputs: inside {@code [...]}, pick's labels, a loss's classes), from the
         * expression's text alone.
         */
        public Set<String> indexInputs() {
            Set<String> out = new java.util.LinkedHashSet<>(GraphCompiler.indexNames(statements));
            out.retainAll(values.keySet());
            return out;
        }

        /** Nodes, entries of the largest value given, entries of all the values given. */
        private long[] size() {
            long nodes = statements.size();
            for (Expression.Statement s : statements) {
                nodes += s.nodes();
            }
            long largest = 1;
            long entries = 0;
            for (Tensor t : values.values()) {
                largest = Math.max(largest, t.size());
                entries += t.size();
            }
            return new long[] {nodes, largest, entries};
        }
    }

    /** True when a body (a grading problem, say) is a graph request rather than a network's. */
    public static boolean isGraph(JsonNode body) {
        return body != null && body.isObject() && body.has("expression");
    }

    /** Reads a body; {@code prefix} is put before every path ({@code problem.} inside a grading request). */
    public Request read(JsonNode body, String prefix) {
        FieldErrors errors = new FieldErrors();
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException(List.of(new FieldError(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1),
                    "expected a JSON object with expression, values and options, but got " + (body == null ? "nothing" : JsonText.kind(body)))));
        }
        for (String name : body.propertyNames()) {
            if (!TOP_LEVEL.contains(name)) {
                errors.add(new FieldError(prefix + name, "unknown field \"" + JsonText.abbreviate(name)
                        + "\": a graph request has expression, values and options"));
            }
        }
        JsonNode e = body.get("expression");
        String expression = null;
        if (e == null || e.isNull()) {
            errors.add(new FieldError(prefix + "expression", "missing: expected statements such as \"a = x + y\\nf = a * y\""));
        } else if (!e.isString()) {
            errors.add(new FieldError(prefix + "expression", "expected a string of statements, but got " + JsonText.kind(e)));
        } else if (e.asString().length() > properties.maxExpressionChars()) {
            errors.add(new FieldError(prefix + "expression", "the expression has " + e.asString().length()
                    + " characters; at most " + properties.maxExpressionChars() + " are read (chainrule.graph.max-expression-chars)"));
        } else if (e.asString().isBlank()) {
            errors.add(new FieldError(prefix + "expression", "empty: expected statements such as \"a = x + y\\nf = a * y\""));
        } else {
            expression = e.asString();
        }
        Map<String, Tensor> values = values(body.get("values"), prefix + "values", errors);
        boolean steps = true;
        boolean latex = false;
        boolean full = false;
        boolean check = false;
        JsonNode options = body.get("options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                errors.add(new FieldError(prefix + "options", "expected an object such as {\"steps\": false, \"latex\": true}, but got "
                        + JsonText.kind(options)));
            } else {
                for (String name : options.propertyNames()) {
                    if (!OPTIONS.contains(name)) {
                        errors.add(new FieldError(prefix + "options." + name, "unknown option \"" + JsonText.abbreviate(name)
                                + "\": the options are steps, latex, full_jacobians and gradient_check"));
                    }
                }
                steps = flag(options, "steps", true, prefix, errors);
                latex = flag(options, "latex", false, prefix, errors);
                full = flag(options, "full_jacobians", false, prefix, errors);
                check = flag(options, "gradient_check", false, prefix, errors);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        List<Expression.Statement> statements;
        try {
            statements = Expression.parse(expression, properties.maxDepth(), properties.maxNodes());
        } catch (Expression.SyntaxError s) {
            throw new InvalidRequestException(List.of(new FieldError(prefix + "expression", s.getMessage())));
        } catch (Expression.TooManyNodes t) {
            throw new InvalidRequestException(List.of(new FieldError(prefix + "expression", "the expression has more than "
                    + t.max + " nodes (names, numbers and operations); at most " + t.max + " are computed (chainrule.graph.max-nodes)")));
        }
        return new Request(expression, statements, values, steps, latex, full, check);
    }

    private static boolean flag(JsonNode options, String name, boolean fallback, String prefix, FieldErrors errors) {
        JsonNode v = options.get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            errors.add(new FieldError(prefix + "options." + name, "expected true or false, but got " + JsonText.describe(v)));
            return fallback;
        }
        return v.booleanValue();
    }

    private static Map<String, Tensor> values(JsonNode node, String path, FieldErrors errors) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(path, "expected an object of values keyed by name, e.g. {\"x\": 1, \"v\": [1, 2], \"W\": [[1, 2], [3, 4]]}, but got "
                    + JsonText.kind(node)));
            return out;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            Tensor t = value(e.getValue(), path + "." + e.getKey(), errors);
            if (t != null) {
                out.put(e.getKey(), t);
            }
        }
        return out;
    }

    /** A number, or nested lists of numbers of rank 1 to 4, rectangular: a vector, a matrix (a list of rows), … */
    private static Tensor value(JsonNode v, String path, FieldErrors errors) {
        if (v.isNumber()) {
            return finite(v, path, errors) ? Tensor.scalar(v.doubleValue()) : null;
        }
        String expected = "expected a number, a vector (a list of numbers), a matrix (a list of rows) or a tensor of rank 3 or 4"
                + " (lists nested deeper)";
        if (!v.isArray() || v.isEmpty()) {
            errors.add(new FieldError(path, expected + ", but got " + (v.isArray() ? "an empty list" : JsonText.describe(v))));
            return null;
        }
        // the shape read down the first entries; every other list must match it
        int[] dims = new int[MAX_RANK];
        int rank = 0;
        JsonNode first = v;
        while (first.isArray()) {
            if (first.isEmpty()) {
                errors.add(new FieldError(path + "[0]".repeat(rank), "expected a row of numbers, but got an empty list"));
                return null;
            }
            if (rank == MAX_RANK) {
                errors.add(new FieldError(path, "a value has at most " + MAX_RANK + " axes (N×C×H×W), but this one nests deeper"));
                return null;
            }
            dims[rank++] = first.size();
            first = first.get(0);
        }
        int[] shape = java.util.Arrays.copyOf(dims, rank);
        double[] data = new double[entries(shape, 0)]; // the body's size bounds it
        long before = errors.total();
        fill(v, shape, 0, path, data, new int[] {0}, errors);
        return errors.total() > before ? null : Tensor.of(shape, data);
    }

    /** Entries of a block of {@code shape} from {@code axis} on. */
    private static int entries(int[] shape, int axis) {
        int n = 1;
        for (int a = axis; a < shape.length; a++) {
            n *= shape[a];
        }
        return n;
    }

    /** Reads the block at {@code axis} into {@code data} from {@code at[0]} on, checking each list's length. */
    private static void fill(JsonNode list, int[] shape, int axis, String path, double[] data, int[] at, FieldErrors errors) {
        if (axis == shape.length - 1) {
            double[] row = numbers(list, path, errors);
            if (row != null) {
                System.arraycopy(row, 0, data, at[0], row.length);
            }
            at[0] += shape[axis];
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode inner = list.get(i);
            String here = path + "[" + i + "]";
            if (!inner.isArray() || inner.size() != shape[axis + 1]) {
                errors.add(here, () -> "expected " + (axis + 1 == shape.length - 1 ? "a row of " + shape[axis + 1] + " numbers like row 0"
                        : "a list of " + shape[axis + 1] + " like the first") + ", but got "
                        + (inner.isArray() ? (axis + 1 == shape.length - 1 ? "a row of " : "a list of ") + inner.size() : JsonText.describe(inner)));
                at[0] += entries(shape, axis + 1);
                continue;
            }
            fill(inner, shape, axis + 1, here, data, at, errors);
        }
    }

    private static double[] numbers(JsonNode list, String path, FieldErrors errors) {
        double[] out = new double[list.size()];
        boolean ok = true;
        for (int i = 0; i < out.length; i++) {
            JsonNode n = list.get(i);
            if (!n.isNumber()) {
                errors.add(path + "[" + i + "]", () -> "expected a number, but got " + JsonText.describe(n));
                ok = false;
            } else if (finite(n, path + "[" + i + "]", errors)) {
                out[i] = n.doubleValue();
            } else {
                ok = false;
            }
        }
        return ok ? out : null;
    }

    private static boolean finite(JsonNode n, String path, FieldErrors errors) {
        if (!Double.isFinite(n.doubleValue())) {
            errors.add(path, () -> "the number " + JsonText.abbreviate(n.toString()) + " is too large for double precision");
            return false;
        }
        return true;
    }
}
