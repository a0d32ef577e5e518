package dev.chainrule.variants;

import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.JsonText;
import dev.chainrule.errors.Names;
import dev.chainrule.network.Kinds;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A problem with some of its numbers left to draw: wherever the problem has a number or an array of numbers, a
 * template may have {@code {"vary": {"min": -1, "max": 1, "step": 0.1, "shape": [3, 5], "nonzero": false}}}.
 * A variant is the template with every such object replaced by numbers drawn in document order (the order the
 * template's fields were written in), each array's entries in row-major order.
 */
public final class Template {

    /** At most this many numbers drawn for one variant. */
    static final long MAX_DRAWN = 100_000;
    /** The most axes a drawn array may have: a graph's values go up to N×C×H×W. */
    static final int MAX_RANK = dev.chainrule.graph.GraphReader.MAX_RANK;

    private static final Set<String> SPEC_FIELDS = Set.of("min", "max", "step", "shape", "nonzero");
    /**
     * Fields an example's variant keeps: the options, the reduction, and every layer's and loss's settings and
     * targets (leaky_relu's α, the margin, y, a dropout mask, an embedding's words), not values.
     */
    private static final Set<String> KEPT = kept();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private record Spec(Range range, int[] shape) {
    }

    private static Set<String> kept() {
        Set<String> kept = new java.util.HashSet<>(Set.of("options", "reduction"));
        kept.addAll(Kinds.settings());
        return Set.copyOf(kept);
    }

    private final JsonNode tree;
    private final Map<JsonNode, Spec> specs;

    private Template(JsonNode tree, Map<JsonNode, Spec> specs) {
        this.tree = tree;
        this.specs = specs;
    }

    /** True when nothing is drawn: every variant is the template itself. */
    boolean fixed() {
        return specs.isEmpty();
    }

    // ---- reading a template ----

    /** Reads a template; {@code prefix} goes before every error path (e.g. {@code template.}). */
    static Template read(JsonNode node, String prefix, List<FieldError> errors) {
        Map<JsonNode, Spec> specs = new IdentityHashMap<>();
        long[] drawn = {0};
        find(node, prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix, specs, drawn, errors);
        if (drawn[0] > MAX_DRAWN) {
            errors.add(new FieldError(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1),
                    "draws " + (drawn[0] == Long.MAX_VALUE ? "more than 10^18" : Long.toString(drawn[0])) + " numbers; a variant draws at most "
                            + MAX_DRAWN));
        }
        return new Template(node, specs);
    }

    private static void find(JsonNode node, String path, Map<JsonNode, Spec> specs, long[] drawn, List<FieldError> errors) {
        if (node.isObject()) {
            JsonNode vary = node.get("vary");
            if (node.size() == 1 && vary != null && vary.isObject()) {
                Spec spec = spec(vary, join(path, "vary"), errors);
                if (spec != null) {
                    specs.put(node, spec);
                    long n = 1;
                    for (int d : spec.shape()) {
                        n = n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d; // four sizes of 100,000 overflow a long
                    }
                    drawn[0] = drawn[0] > Long.MAX_VALUE - n ? Long.MAX_VALUE : drawn[0] + n;
                }
                return;
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                find(e.getValue(), join(path, e.getKey()), specs, drawn, errors);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                find(node.get(i), path + "[" + i + "]", specs, drawn, errors);
            }
        }
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static Spec spec(JsonNode vary, String path, List<FieldError> errors) {
        int before = errors.size();
        for (String name : vary.propertyNames()) {
            if (!SPEC_FIELDS.contains(name)) {
                errors.add(new FieldError(path + "." + name, "unknown field " + JsonText.quote(name) + Names.didYouMean(name, SPEC_FIELDS)
                        + ": a vary object has min, max, step, shape and nonzero"));
            }
        }
        BigDecimal min = decimal(vary, "min", path, true, errors);
        BigDecimal max = decimal(vary, "max", path, true, errors);
        BigDecimal step = decimal(vary, "step", path, false, errors);
        if (step == null && vary.get("step") == null) {
            step = BigDecimal.ONE;
        } else if (step != null && step.signum() <= 0) {
            errors.add(new FieldError(path + ".step", "expected a number above 0, but got " + JsonText.describe(vary.get("step"))));
        }
        if (min != null && max != null && min.compareTo(max) > 0) {
            errors.add(new FieldError(path + ".max", "is below min: expected max ≥ min"));
        }
        boolean nonzero = false;
        JsonNode nz = vary.get("nonzero");
        if (nz != null) {
            if (nz.isBoolean()) {
                nonzero = nz.booleanValue();
            } else {
                errors.add(new FieldError(path + ".nonzero", "expected true or false, but got " + JsonText.describe(nz)));
            }
        }
        int[] shape = shape(vary.get("shape"), path + ".shape", errors);
        if (errors.size() > before) {
            return null;
        }
        Range range = new Range(min, max, step, nonzero);
        if (max.subtract(min).divideToIntegralValue(step).compareTo(BigDecimal.valueOf(1L << 40)) > 0) {
            errors.add(new FieldError(path + ".step", "makes more than 2^40 values between min and max: take a larger step"));
            return null;
        }
        if (range.count() == 0) {
            errors.add(new FieldError(path + ".nonzero", "leaves no value to draw: the only value between min and max is 0"));
            return null;
        }
        return new Spec(range, shape);
    }

    private static BigDecimal decimal(JsonNode vary, String name, String path, boolean required, List<FieldError> errors) {
        JsonNode v = vary.get(name);
        if (v == null) {
            if (required) {
                errors.add(new FieldError(path + "." + name, "missing: expected a number"));
            }
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue()) || Math.abs(v.doubleValue()) > 1e9) {
            errors.add(new FieldError(path + "." + name, "expected a number from -1e9 to 1e9, but got " + JsonText.describe(v)));
            return null;
        }
        return decimal(v);
    }

    /** A JSON number as written: 0.1 is one tenth, not the double nearest it. */
    static BigDecimal decimal(JsonNode v) {
        return v.isIntegralNumber() ? new BigDecimal(v.bigIntegerValue()) : new BigDecimal(Double.toString(v.doubleValue()));
    }

    private static int[] shape(JsonNode node, String path, List<FieldError> errors) {
        if (node == null) {
            return new int[0];
        }
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_RANK) {
            errors.add(new FieldError(path, "expected [n] for a vector, [m, n] for a matrix, or up to " + MAX_RANK
                    + " sizes for a tensor (a graph's C×H×W or N×C×H×W; leave shape out for a number), but got " + JsonText.describe(node)));
            return null;
        }
        int[] shape = new int[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 1 || d.intValue() > MAX_DRAWN) {
                errors.add(new FieldError(path + "[" + i + "]", "expected a whole number from 1 to " + MAX_DRAWN + ", but got " + JsonText.describe(d)));
                return null;
            }
            shape[i] = d.intValue();
        }
        return shape;
    }

    // ---- an example's template ----

    /**
     * The template of an example: every number or array of numbers in it varies, except under {@code options},
     * {@code reduction} and the kinds' settings ({@code alpha}, {@code margin}, {@code y}: targets and class labels;
     * see {@link Kinds#settings}) (but every entry of a
     * graph problem's {@code values} varies), and the paths in {@code fixed}. An array of whole numbers (as written: {@code 2}, not {@code 2.0}) varies over the integers in
     * [−m, m], m the larger of 3 and its largest magnitude; any other over one-decimal values in [−m, m], m the
     * larger of 0.5 and its largest magnitude rounded up to a tenth. Each keeps its shape.
     */
    static Template ofExample(JsonNode body, Set<String> fixed) {
        Map<JsonNode, Spec> specs = new IdentityHashMap<>();
        JsonNode tree = derive(body, "", fixed, specs);
        return new Template(tree, specs);
    }

    private static JsonNode derive(JsonNode node, String path, Set<String> fixed, Map<JsonNode, Spec> specs) {
        if (fixed.contains(path)) {
            return node;
        }
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                // a graph problem's values are all values, whatever their names
                boolean kept = KEPT.contains(e.getKey()) && !path.equals("values");
                out.set(e.getKey(), kept ? e.getValue() : derive(e.getValue(), join(path, e.getKey()), fixed, specs));
            }
            return out;
        }
        List<Integer> dims = new ArrayList<>();
        List<JsonNode> leaves = new ArrayList<>();
        if (!tensor(node, 0, dims, leaves)) {
            if (node.isArray()) {
                ArrayNode out = NODES.arrayNode();
                for (int i = 0; i < node.size(); i++) {
                    out.add(derive(node.get(i), path + "[" + i + "]", fixed, specs));
                }
                return out;
            }
            return node;
        }
        boolean whole = leaves.stream().allMatch(JsonNode::isIntegralNumber);
        BigDecimal largest = BigDecimal.ZERO;
        for (JsonNode leaf : leaves) {
            largest = largest.max(decimal(leaf).abs());
        }
        Range range;
        if (whole) {
            BigDecimal m = largest.max(BigDecimal.valueOf(3));
            range = new Range(m.negate(), m, BigDecimal.ONE, false);
        } else {
            BigDecimal m = largest.setScale(1, java.math.RoundingMode.CEILING).max(new BigDecimal("0.5"));
            range = new Range(m.negate(), m, new BigDecimal("0.1"), false);
        }
        ObjectNode placeholder = NODES.objectNode();
        specs.put(placeholder, new Spec(range, dims.stream().mapToInt(Integer::intValue).toArray()));
        return placeholder;
    }

    /** True when node is a number or a rectangular array of numbers; collects its shape and its numbers. */
    private static boolean tensor(JsonNode node, int axis, List<Integer> dims, List<JsonNode> leaves) {
        if (node.isNumber()) {
            if (axis != dims.size()) {
                return false;
            }
            leaves.add(node);
            return true;
        }
        if (!node.isArray() || node.isEmpty()) {
            return false;
        }
        if (axis == dims.size()) {
            dims.add(node.size());
        } else if (dims.get(axis) != node.size()) {
            return false;
        }
        for (JsonNode child : node) {
            if (!tensor(child, axis + 1, dims, leaves)) {
                return false;
            }
        }
        return true;
    }

    // ---- drawing ----

    /** The template with every vary object replaced by numbers drawn from {@code rng}. */
    JsonNode draw(SplitMix64 rng) {
        return fill(tree, range -> range.draw(rng));
    }

    /**
     * The template at the bounds of its ranges, beside {@link #shape()} (every range at its first value): every range
     * at its last value, then every range at its second (its first when it has one value). A check that a problem is
     * valid at all three sees every value an index or a class label can be drawn with.
     */
    List<JsonNode> bounds() {
        return List.of(fill(tree, Range::last), fill(tree, Range::second));
    }

    /**
     * The template with every vary object replaced by its range's first value, in its shape: a variant's shapes,
     * fields and size, drawing nothing (what a request is priced on before any draw is made).
     */
    JsonNode shape() {
        return fill(tree, Range::first);
    }

    /** What a variant holds: the numbers drawn, all its numbers, and the characters of its names and strings. */
    record Size(long drawn, long numbers, long chars) {
    }

    /** The size of every variant (they differ only in the numbers drawn). */
    Size size() {
        long[] size = new long[3];
        measure(tree, size);
        return new Size(size[0], size[1], size[2]);
    }

    private void measure(JsonNode node, long[] size) {
        Spec spec = specs.get(node);
        if (spec != null) {
            long n = 1;
            for (int d : spec.shape()) {
                n *= d;
            }
            size[0] += n;
            size[1] += n;
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                size[2] += e.getKey().length();
                measure(e.getValue(), size);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                measure(child, size);
            }
        } else if (node.isNumber()) {
            size[1]++;
        } else if (node.isString()) {
            size[2] += node.asString().length();
        }
    }

    private JsonNode fill(JsonNode node, Function<Range, JsonNode> value) {
        Spec spec = specs.get(node);
        if (spec != null) {
            return values(spec.range(), spec.shape(), 0, value);
        }
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.set(e.getKey(), fill(e.getValue(), value));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (JsonNode child : node) {
                out.add(fill(child, value));
            }
            return out;
        }
        return node;
    }

    private static JsonNode values(Range range, int[] shape, int axis, Function<Range, JsonNode> value) {
        if (axis == shape.length) {
            return value.apply(range);
        }
        ArrayNode out = NODES.arrayNode();
        for (int i = 0; i < shape[axis]; i++) {
            out.add(values(range, shape, axis + 1, value));
        }
        return out;
    }
}
