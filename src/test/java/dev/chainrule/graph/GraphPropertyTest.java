package dev.chainrule.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 600 random expressions from a seeded generator — every operator and function, scalars, vectors and matrices,
 * repeated names (branches), several statements — each gradient against central differences of the output.
 */
class GraphPropertyTest {

    private static final double H = 1e-6;
    private static final int EXPRESSIONS = 600;

    /** A random expression of a given shape over a growing set of named values. */
    private static final class Generator {
        final Random random;
        final Map<String, int[]> shapes = new LinkedHashMap<>();
        final List<String> statements = new ArrayList<>();
        final java.util.Set<String> ops = new java.util.TreeSet<>();

        Generator(Random random) {
            this.random = random;
        }

        String leaf(int[] shape) {
            List<String> fitting = new ArrayList<>();
            shapes.forEach((n, s) -> {
                if (java.util.Arrays.equals(s, shape)) {
                    fitting.add(n);
                }
            });
            if (!fitting.isEmpty() && random.nextDouble() < 0.6) {
                return fitting.get(random.nextInt(fitting.size())); // a name used again: a branch
            }
            if (shape.length == 0 && random.nextDouble() < 0.2) {
                return String.valueOf(1 + random.nextInt(3));
            }
            String name = "v" + shapes.size();
            shapes.put(name, shape);
            return name;
        }

        /** A strictly positive expression (for /, log, sqrt and fractional powers). */
        String positive(int[] shape, int depth) {
            return switch (random.nextInt(3)) {
                case 0 -> "(2 + sin(" + gen(shape, depth) + "))";
                case 1 -> "(1 + " + gen(shape, depth) + "^2)";
                default -> "exp(tanh(" + gen(shape, depth) + "))";
            };
        }

        String gen(int[] shape, int depth) {
            if (depth == 0 || random.nextDouble() < 0.25) {
                return leaf(shape);
            }
            int d = depth - 1;
            int kind = random.nextInt(14);
            switch (kind) {
                case 0: case 1: {
                    String[] symbols = {"+", "-", "*"};
                    String s = symbols[random.nextInt(3)];
                    ops.add(s);
                    boolean broadcast = shape.length > 0 && random.nextBoolean();
                    String left = gen(shape, d);
                    String right = broadcast ? gen(new int[0], d) : gen(shape, d);
                    return random.nextBoolean() ? "(" + left + " " + s + " " + right + ")" : "(" + right + " " + s + " " + left + ")";
                }
                case 2:
                    ops.add("/");
                    return "(" + gen(shape, d) + " / " + positive(random.nextBoolean() ? shape : new int[0], d) + ")";
                case 3: {
                    String[] fns = {"exp", "sin", "cos", "relu", "sigmoid", "tanh", "softplus", "abs"};
                    String f = fns[random.nextInt(fns.length)];
                    ops.add(f);
                    return f + "(" + (f.equals("exp") ? "tanh(" + gen(shape, d) + ")" : gen(shape, d)) + ")";
                }
                case 4: {
                    String f = random.nextBoolean() ? "log" : "sqrt";
                    ops.add(f);
                    return f + "(" + positive(shape, d) + ")";
                }
                case 5: {
                    String f = random.nextBoolean() ? "max" : "min";
                    ops.add(f);
                    return f + "(" + gen(shape, d) + ", " + gen(random.nextBoolean() ? shape : new int[0], d) + ")";
                }
                case 6: {
                    ops.add("^");
                    double[] exponents = {2, 3, -1, 0.5};
                    double c = exponents[random.nextInt(4)];
                    String base = c == 2 || c == 3 ? "(" + gen(shape, d) + ")" : positive(shape, d);
                    return base + "^" + (c == (int) c ? String.valueOf((int) c) : String.valueOf(c));
                }
                case 7:
                    ops.add("neg");
                    return "(-" + gen(shape, d) + ")";
                case 8:
                    if (shape.length == 2) {
                        ops.add(".T");
                        return random.nextBoolean() ? "(" + gen(new int[] {shape[1], shape[0]}, d) + ").T"
                                : "transpose(" + gen(new int[] {shape[1], shape[0]}, d) + ")";
                    }
                    return gen(shape, d);
                case 9: case 10: {
                    ops.add("@");
                    int k = 2 + random.nextInt(2);
                    if (shape.length == 0) {
                        return "(" + gen(new int[] {k}, d) + " @ " + gen(new int[] {k}, d) + ")";
                    }
                    if (shape.length == 1) {
                        return random.nextBoolean() ? "(" + gen(new int[] {shape[0], k}, d) + " @ " + gen(new int[] {k}, d) + ")"
                                : "(" + gen(new int[] {k}, d) + " @ " + gen(new int[] {k, shape[0]}, d) + ")";
                    }
                    return "(" + gen(new int[] {shape[0], k}, d) + " @ " + gen(new int[] {k, shape[1]}, d) + ")";
                }
                case 11:
                    if (shape.length == 0) {
                        String f = new String[] {"sum", "mean", "logsumexp", "dot"}[random.nextInt(4)];
                        ops.add(f);
                        int n = 2 + random.nextInt(3);
                        if (f.equals("dot")) {
                            return "dot(" + gen(new int[] {n}, d) + ", " + gen(new int[] {n}, d) + ")";
                        }
                        int[] inner = f.equals("logsumexp") || random.nextBoolean() ? new int[] {n} : new int[] {2, n};
                        return f + "(" + gen(inner, d) + ")";
                    }
                    return gen(shape, d);
                case 12:
                    if (shape.length == 1) {
                        ops.add("softmax");
                        return "softmax(" + gen(shape, d) + ")";
                    }
                    return gen(shape, d);
                default:
                    return gen(shape, d);
            }
        }

        /** One to three statements, the last a scalar. */
        String expression() {
            int intermediate = random.nextInt(3);
            List<String> named = new ArrayList<>();
            for (int i = 0; i < intermediate; i++) {
                int[] shape = randomShape();
                String name = "n" + i;
                statements.add(name + " = " + gen(shape, 3));
                shapes.put(name, shape);
                named.add(name);
            }
            String last = gen(new int[0], 3);
            for (String n : named) {
                int[] s = shapes.get(n);
                last = "(" + last + " + " + (s.length == 0 ? n : "sum(" + n + ")") + ")";
            }
            statements.add("J = " + last);
            return String.join(random.nextBoolean() ? "\n" : "; ", statements);
        }

        int[] randomShape() {
            return switch (random.nextInt(3)) {
                case 0 -> new int[0];
                case 1 -> new int[] {2 + random.nextInt(2)};
                default -> new int[] {2, 2 + random.nextInt(2)};
            };
        }

        Map<String, Tensor> values() {
            Map<String, Tensor> values = new LinkedHashMap<>();
            shapes.forEach((name, shape) -> {
                if (!name.startsWith("n")) {
                    int size = 1;
                    for (int d : shape) {
                        size *= d;
                    }
                    double[] data = new double[size];
                    for (int i = 0; i < size; i++) {
                        double v = random.nextDouble() * 2 - 1;
                        data[i] = Math.signum(v) * (0.1 + Math.abs(v)); // away from relu's and abs's kink
                    }
                    values.put(name, Tensor.of(shape, data));
                }
            });
            return values;
        }
    }

    private static GraphReader.Request request(String expression, Map<String, Tensor> values) {
        List<Expression.Statement> statements = Expression.parse(expression, 100, 2_000);
        return new GraphReader.Request(expression, statements, values, false, false);
    }

    @Test
    void everyGradientOfSixHundredRandomExpressionsMatchesCentralDifferences() {
        Random random = new Random(20261126L);
        java.util.Set<String> seen = new java.util.TreeSet<>();
        int branched = 0;
        for (int e = 0; e < EXPRESSIONS; e++) {
            Generator g = new Generator(random);
            String expression = g.expression();
            Map<String, Tensor> values = g.values();
            GraphSolver.Solution s = GraphCases.SOLVER.solve(request(expression, values));
            seen.addAll(g.ops);
            branched += s.backward().branches().isEmpty() ? 0 : 1;
            for (Map.Entry<String, Tensor> v : values.entrySet()) {
                Tensor gradient = s.gradients().get(v.getKey());
                for (int i = 0; i < v.getValue().size(); i++) {
                    double numeric = (output(expression, values, v.getKey(), i, H) - output(expression, values, v.getKey(), i, -H)) / (2 * H);
                    assertThat(gradient.get(i)).as("%s\n∂J/∂%s[%d]", expression, v.getKey(), i)
                            .isCloseTo(numeric, within(1e-5 + 1e-5 * Math.abs(numeric)));
                }
            }
        }
        assertThat(seen).contains("+", "-", "*", "/", "@", "^", "neg", ".T", "exp", "log", "sqrt", "abs", "sin", "cos",
                "relu", "sigmoid", "tanh", "softplus", "max", "min", "sum", "mean", "dot", "softmax", "logsumexp");
        assertThat(branched).as("expressions with a branch").isGreaterThan(EXPRESSIONS / 4);
    }

    private static double output(String expression, Map<String, Tensor> values, String name, int i, double h) {
        Map<String, Tensor> nudged = new LinkedHashMap<>(values);
        double[] d = values.get(name).toArray();
        d[i] += h;
        nudged.put(name, Tensor.of(values.get(name).shape(), d));
        return GraphCases.SOLVER.solve(request(expression, nudged)).outputNode().value().item();
    }
}
