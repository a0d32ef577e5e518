package dev.chainrule.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chainrule.engine.NonFiniteException;
import dev.chainrule.gradients.KatexStructure;
import dev.chainrule.render.Numbers;
import dev.chainrule.errors.InvalidRequestException;
import dev.chainrule.errors.LimitExceededException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random tensor programs from a seeded generator — broadcasting, reductions along axes, softmax along an axis,
 * concat, stack, reshape, slices, gathers with index inputs, pick, where over comparisons, method calls and names
 * assigned again, on values of rank 0 to 3 — each gradient of a non-index input against central differences of the
 * output; then the same programs broken (a value reshaped, an index fractional or out of range or used in
 * arithmetic, an axis or keyword wrong, a character deleted, inserted or replaced), each answered as a request error
 * (400 or 422), never as anything that would be a 500.
 */
class TensorPropertyTest {

    private static final double H = 1e-6;
    private static final int PROGRAMS = 300;

    /** A random program over a growing set of named inputs. */
    private static final class Generator {
        final Random random;
        final Map<String, int[]> shapes = new LinkedHashMap<>();
        /** Index inputs: their shape and the size of the axis they index. */
        final Map<String, int[]> indexShapes = new LinkedHashMap<>();
        final Map<String, Integer> indexRange = new LinkedHashMap<>();
        final List<String> statements = new ArrayList<>();
        final Set<String> forms = new TreeSet<>();

        Generator(Random random) {
            this.random = random;
        }

        int dim() {
            return 1 + random.nextInt(3);
        }

        String leaf(int[] shape) {
            List<String> fitting = new ArrayList<>();
            shapes.forEach((n, s) -> {
                if (java.util.Arrays.equals(s, shape)) {
                    fitting.add(n);
                }
            });
            if (!fitting.isEmpty() && random.nextDouble() < 0.5) {
                return fitting.get(random.nextInt(fitting.size()));
            }
            if (shape.length == 0 && random.nextDouble() < 0.2) {
                return String.valueOf(1 + random.nextInt(3));
            }
            String name = "v" + shapes.size();
            shapes.put(name, shape);
            return name;
        }

        String index(int[] shape, int range) {
            String name = "k" + indexShapes.size();
            indexShapes.put(name, shape);
            indexRange.put(name, range);
            return name;
        }

        /** {@code shape} with {@code n} inserted at {@code axis}. */
        static int[] insert(int[] shape, int axis, int n) {
            int[] out = new int[shape.length + 1];
            for (int a = 0, j = 0; a < out.length; a++) {
                out[a] = a == axis ? n : shape[j++];
            }
            return out;
        }

        static int[] remove(int[] shape, int axis) {
            int[] out = new int[shape.length - 1];
            for (int a = 0, j = 0; a < shape.length; a++) {
                if (a != axis) {
                    out[j++] = shape[a];
                }
            }
            return out;
        }

        /** The axis written as NumPy allows: from the start or from the end. */
        String axis(int a, int rank) {
            return String.valueOf(random.nextBoolean() ? a : a - rank);
        }

        /** A shape {@code shape} broadcasts from: some axes 1, some leading ones left out. */
        int[] stretchable(int[] shape) {
            int drop = shape.length == 0 ? 0 : random.nextInt(shape.length + 1);
            int[] out = new int[shape.length - drop];
            for (int a = 0; a < out.length; a++) {
                out[a] = random.nextDouble() < 0.4 ? 1 : shape[a + drop];
            }
            return out;
        }

        String call(String function, String receiver, String rest) {
            if (random.nextBoolean()) {
                forms.add("method");
                return "(" + receiver + ")." + function + "(" + rest + ")";
            }
            return function + "(" + receiver + (rest.isEmpty() ? "" : ", " + rest) + ")";
        }

        String gen(int[] shape, int depth) {
            if (depth == 0 || random.nextDouble() < 0.2) {
                return leaf(shape);
            }
            int d = depth - 1;
            int rank = shape.length;
            switch (random.nextInt(15)) {
                case 0: {
                    String op = new String[] {"+", "-", "*"}[random.nextInt(3)];
                    forms.add("broadcast");
                    String a = gen(shape, d);
                    String b = gen(stretchable(shape), d);
                    return random.nextBoolean() ? "(" + a + " " + op + " " + b + ")" : "(" + b + " " + op + " " + a + ")";
                }
                case 1: {
                    forms.add("divide");
                    return "(" + gen(shape, d) + " / (1.5 + sin(" + gen(stretchable(shape), d) + ")))";
                }
                case 2: {
                    String f = new String[] {"sin", "cos", "tanh", "sigmoid", "softplus", "exp"}[random.nextInt(6)];
                    forms.add(f);
                    return f.equals("exp") ? "exp(tanh(" + gen(shape, d) + "))" : call(f, gen(shape, d), "");
                }
                case 3: {
                    if (rank >= 3) { // a value has at most 4 axes
                        return gen(shape, d);
                    }
                    int a = random.nextInt(rank + 1);
                    String f = new String[] {"sum", "mean", "var", "max", "min", "logsumexp"}[random.nextInt(6)];
                    forms.add(f + " axis");
                    boolean keep = rank > 0 && a < rank && shape[a] == 1 && random.nextBoolean();
                    int[] source = keep ? shape.clone() : insert(shape, a, 2 + random.nextInt(2));
                    if (keep) {
                        source[a] = 2 + random.nextInt(2);
                    }
                    return call(f, gen(source, d), "axis=" + axis(a, source.length) + (keep ? ", keepdims=true" : ""));
                }
                case 4: {
                    if (rank == 0) {
                        return gen(shape, d);
                    }
                    String f = random.nextBoolean() ? "softmax" : "log_softmax";
                    forms.add(f);
                    return call(f, gen(shape, d), random.nextBoolean() ? "" : "axis=" + axis(random.nextInt(rank), rank));
                }
                case 5: {
                    int a = rank == 0 ? -1 : random.nextInt(rank);
                    if (a < 0 || shape[a] < 2) {
                        return gen(shape, d);
                    }
                    forms.add("concat");
                    int first = 1 + random.nextInt(shape[a] - 1);
                    int[] left = shape.clone();
                    int[] right = shape.clone();
                    left[a] = first;
                    right[a] = shape[a] - first;
                    return "concat(" + gen(left, d) + ", " + gen(right, d) + ", axis=" + axis(a, rank) + ")";
                }
                case 6: {
                    int a = rank == 0 ? -1 : random.nextInt(rank);
                    if (a < 0 || shape[a] > 3) {
                        return gen(shape, d);
                    }
                    forms.add("stack");
                    int[] piece = remove(shape, a);
                    List<String> parts = new ArrayList<>();
                    for (int i = 0; i < shape[a]; i++) {
                        parts.add(gen(piece, d));
                    }
                    return "stack(" + String.join(", ", parts) + ", axis=" + axis(a, rank) + ")";
                }
                case 7: {
                    if (rank == 0) {
                        return gen(shape, d);
                    }
                    int size = 1;
                    for (int s : shape) {
                        size *= s;
                    }
                    if (rank == 1 && random.nextBoolean()) {
                        forms.add("flatten");
                        int[] source = size % 2 == 0 ? new int[] {2, size / 2} : new int[] {size, 1};
                        return call("flatten", gen(source, d), "");
                    }
                    forms.add("reshape");
                    List<String> dims = new ArrayList<>();
                    int free = random.nextInt(rank + 1);
                    for (int a = 0; a < rank; a++) {
                        dims.add(a == free ? "-1" : String.valueOf(shape[a]));
                    }
                    return "reshape(" + gen(new int[] {size}, d) + ", " + String.join(", ", dims) + ")";
                }
                case 8: {
                    forms.add("slice");
                    if (random.nextBoolean() && rank < 3) { // an integer drops an axis
                        int n = dim() + 1;
                        int i = random.nextInt(2 * n) - n;
                        return "(" + gen(insert(shape, 0, n), d) + ")[" + i + "]";
                    }
                    if (rank == 0) {
                        return gen(shape, d);
                    }
                    int a = random.nextInt(Math.min(rank, 2));
                    int extra = 1 + random.nextInt(2);
                    int[] source = shape.clone();
                    source[a] += extra;
                    int from = random.nextInt(extra + 1);
                    String slice = from + ":" + (from + shape[a] == source[a] && random.nextBoolean() ? "" : String.valueOf(from + shape[a]));
                    return "(" + gen(source, d) + ")[" + (a == 0 ? slice : ":, " + slice) + "]";
                }
                case 9: {
                    if (rank == 0) {
                        return gen(shape, d);
                    }
                    forms.add("gather");
                    int m = 2 + random.nextInt(3);
                    int[] table = insert(remove(shape, 0), 0, m);
                    return leaf(table) + "[" + index(new int[] {shape[0]}, m) + "]";
                }
                case 10: {
                    if (rank != 1) {
                        return gen(shape, d);
                    }
                    forms.add("pick");
                    int c = 2 + random.nextInt(3);
                    return "pick(" + gen(new int[] {shape[0], c}, d) + ", " + index(new int[] {shape[0]}, c) + ")";
                }
                case 11: {
                    forms.add("where");
                    String cmp = new String[] {">", "<", ">=", "<="}[random.nextInt(4)];
                    return "where(" + gen(stretchable(shape), d) + " " + cmp + " 0, " + gen(shape, d) + ", " + gen(stretchable(shape), d) + ")";
                }
                case 12: {
                    if (rank != 2) {
                        return gen(shape, d);
                    }
                    forms.add("@");
                    int k = dim();
                    return "(" + gen(new int[] {shape[0], k}, d) + " @ " + gen(new int[] {k, shape[1]}, d) + ")";
                }
                case 13: {
                    if (rank != 2) {
                        return gen(shape, d);
                    }
                    forms.add(".T");
                    return "(" + gen(new int[] {shape[1], shape[0]}, d) + ").T";
                }
                default: {
                    String f = random.nextBoolean() ? "max" : "min";
                    forms.add(f + "(a, b)");
                    return f + "(" + gen(shape, d) + ", " + gen(stretchable(shape), d) + ")";
                }
            }
        }

        int[] randomShape() {
            int rank = random.nextInt(4);
            int[] shape = new int[rank];
            for (int a = 0; a < rank; a++) {
                shape[a] = dim();
            }
            return shape;
        }

        /** One to three statements, a name sometimes assigned again, the last a scalar. */
        String program() {
            List<String> named = new ArrayList<>();
            int intermediate = random.nextInt(3);
            for (int i = 0; i < intermediate; i++) {
                int[] shape = randomShape();
                String name = "n" + i;
                statements.add(name + " = " + gen(shape, 3));
                if (random.nextDouble() < 0.3) {
                    forms.add("+=");
                    statements.add(name + " " + new String[] {"+=", "-=", "*="}[random.nextInt(3)] + " " + gen(shape, 2));
                }
                named.add(name);
            }
            String last = "sum(" + gen(randomShape(), 3) + ")";
            for (String n : named) {
                last = "(" + last + " + sum(" + n + "))";
            }
            statements.add("J = " + last);
            return String.join(random.nextBoolean() ? "\n" : "; ", statements);
        }

        ObjectNode values() {
            ObjectNode values = GraphCases.JSON.createObjectNode();
            shapes.forEach((name, shape) -> values.set(name, tensor(shape, () -> {
                double v = random.nextDouble() * 2 - 1;
                return Math.signum(v) * (0.1 + Math.abs(v)); // away from relu's and abs's kink
            })));
            indexShapes.forEach((name, shape) -> {
                int range = indexRange.get(name);
                values.set(name, tensor(shape, () -> random.nextInt(2 * range) - range));
            });
            return values;
        }

        JsonNode tensor(int[] shape, java.util.function.DoubleSupplier entry) {
            if (shape.length == 0) {
                return GraphCases.JSON.getNodeFactory().numberNode(entry.getAsDouble());
            }
            ArrayNode list = GraphCases.JSON.createArrayNode();
            int[] inner = remove(shape, 0);
            for (int i = 0; i < shape[0]; i++) {
                list.add(tensor(inner, entry));
            }
            return list;
        }
    }

    private static ObjectNode request(String program, ObjectNode values) {
        ObjectNode body = GraphCases.JSON.createObjectNode();
        body.put("expression", program);
        body.set("values", values);
        return body;
    }

    private static double output(String program, ObjectNode values, String name, int entry, double h) {
        ObjectNode nudged = values.deepCopy();
        JsonNode value = nudged.get(name);
        if (value.isNumber()) {
            nudged.put(name, value.doubleValue() + h);
        } else {
            Place place = places(value).get(entry);
            place.array().set(place.at(), place.array().get(place.at()).doubleValue() + h);
        }
        return GraphCases.solve(request(program, nudged)).outputNode().value().item();
    }

    /** Each number's place, row-major: the array holding it and its position there. */
    private record Place(ArrayNode array, int at) {
    }

    private static List<Place> places(JsonNode n) {
        List<Place> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (n.get(i).isArray()) {
                out.addAll(places(n.get(i)));
            } else {
                out.add(new Place((ArrayNode) n, i));
            }
        }
        return out;
    }

    @Test
    void everyGradientOfRandomTensorProgramsMatchesCentralDifferences() {
        Random random = new Random(20261206L);
        Set<String> seen = new TreeSet<>();
        int checked = 0;
        for (int p = 0; p < PROGRAMS; p++) {
            Generator g = new Generator(random);
            String program = g.program();
            ObjectNode values = g.values();
            GraphSolver.Solution s = GraphCases.solve(request(program, values));
            seen.addAll(g.forms);
            if (p % 10 == 0) { // the answer as written: every LaTeX string renders, the text reads
                var latex = GraphAnswer.json(s, true, true, Numbers.FULL).latex();
                latex.forward().values().forEach(KatexStructure::assertSound);
                latex.steps().forEach(KatexStructure::assertSound);
                assertThat(GraphText.render(s, true, Numbers.of("3"))).contains("Backward pass");
            }
            for (String k : g.indexShapes.keySet()) {
                assertThat(s.gradients()).as(program).doesNotContainKey(k);
                assertThat(s.forward()).as(program).containsKey(k);
            }
            for (String name : g.shapes.keySet()) {
                var gradient = s.gradients().get(name);
                for (int i = 0; i < gradient.size(); i++) {
                    double numeric = (output(program, values, name, i, H) - output(program, values, name, i, -H)) / (2 * H);
                    assertThat(gradient.get(i)).as("%s\nvalues %s\n∂J/∂%s[%d]", program, values, name, i)
                            .isCloseTo(numeric, within(1e-5 + 1e-5 * Math.abs(numeric)));
                    checked++;
                }
            }
        }
        assertThat(seen).contains("broadcast", "divide", "sum axis", "mean axis", "var axis", "max axis", "min axis",
                "logsumexp axis", "softmax", "log_softmax", "concat", "stack", "reshape", "flatten", "slice", "gather", "pick",
                "where", "@", ".T", "method", "+=", "max(a, b)");
        assertThat(checked).isGreaterThan(2_000);
    }

    @Test
    void brokenTensorProgramsAreRequestErrorsNeverServerErrors() {
        Random random = new Random(20261207L);
        String alphabet = "()[],:=+-*/@^.<>!#axiskeepdmTtrue0123456789 ";
        int refused = 0;
        for (int p = 0; p < PROGRAMS * 4; p++) {
            Generator g = new Generator(random);
            String program = g.program();
            ObjectNode values = g.values();
            switch (p % 8) {
                case 0 -> program = mutate(program, random, alphabet);
                case 1 -> program = program.replaceFirst("axis=-?\\d", "axis=" + (random.nextBoolean() ? 7 : -9));
                case 2 -> program = program.replaceFirst("axis=", random.nextBoolean() ? "axes=" : "keepdims=");
                case 3 -> {
                    if (!g.indexShapes.isEmpty()) {
                        String k = g.indexShapes.keySet().iterator().next();
                        values.set(k, random.nextBoolean() ? GraphCases.JSON.getNodeFactory().numberNode(0.5)
                                : g.tensor(g.indexShapes.get(k), () -> 99));
                    }
                }
                case 4 -> {
                    if (!g.indexShapes.isEmpty()) {
                        program = program + " + sum(" + g.indexShapes.keySet().iterator().next() + ")";
                    }
                }
                case 5 -> {
                    if (g.shapes.isEmpty()) {
                        continue;
                    }
                    String v = g.shapes.keySet().iterator().next();
                    int[] shape = g.shapes.get(v);
                    values.set(v, g.tensor(Generator.insert(shape, random.nextInt(shape.length + 1), 5), () -> 0.5));
                }
                case 6 -> values.set(g.shapes.isEmpty() ? "v0" : g.shapes.keySet().iterator().next(),
                        GraphCases.JSON.readTree(random.nextBoolean() ? "[[1, 2], [3]]" : "[[[[[1]]]]]"));
                default -> program = program.replaceFirst("sum\\(", random.nextBoolean() ? "summ(" : "sum(inf * ");
            }
            try {
                GraphCases.solve(request(program, values));
            } catch (InvalidRequestException | NonFiniteException | LimitExceededException e) {
                refused++; // a 400, or a 422
            } catch (RuntimeException e) {
                throw new AssertionError("a server error for\n" + program + "\nvalues " + values, e);
            }
        }
        assertThat(refused).as("broken programs refused").isGreaterThan(PROGRAMS * 2);
    }

    /** The program with one character deleted, inserted or replaced. */
    private static String mutate(String program, Random random, String alphabet) {
        int at = random.nextInt(program.length());
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        return switch (random.nextInt(3)) {
            case 0 -> program.substring(0, at) + program.substring(at + 1);
            case 1 -> program.substring(0, at) + c + program.substring(at);
            default -> program.substring(0, at) + c + program.substring(at + 1);
        };
    }
}
