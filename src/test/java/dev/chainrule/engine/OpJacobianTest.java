package dev.chainrule.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op's explicit local Jacobian (and so its backward rule, which the default Jacobian is built from) against
 * central differences of its forward value, on every shape it takes, away from kinks and ties.
 */
class OpJacobianTest {

    private static final double H = 1e-6;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        int[][] shapes = {{}, {3}, {2, 3}};
        for (Ops.Fn fn : Ops.Fn.values()) {
            for (int[] s : shapes) {
                out.add(Arguments.of(fn.opName() + " " + java.util.Arrays.toString(s), fn, new int[][] {s}, positive(fn)));
            }
        }
        for (Ops.Arith a : Ops.Arith.values()) {
            for (int[][] pair : new int[][][] {{{}, {}}, {{3}, {3}}, {{2, 3}, {2, 3}}, {{}, {3}}, {{2, 3}, {}}}) {
                out.add(Arguments.of(a.opName() + " " + java.util.Arrays.deepToString(pair), a, pair, a == Ops.Arith.DIV));
            }
        }
        for (double c : new double[] {2, 3, -1, 0.5, 0}) {
            out.add(Arguments.of("pow " + c, Ops.pow(c), new int[][] {{3}}, true));
        }
        for (int[][] pair : new int[][][] {{{2, 3}, {3}}, {{2}, {2, 3}}, {{3}, {3}}, {{2, 3}, {3, 4}}}) {
            out.add(Arguments.of("matmul " + java.util.Arrays.deepToString(pair), Ops.matmul(), pair, false));
        }
        out.add(Arguments.of("transpose matrix", Ops.transpose(), new int[][] {{2, 3}}, false));
        out.add(Arguments.of("transpose vector", Ops.transpose(), new int[][] {{3}}, false));
        out.add(Arguments.of("identity", Ops.identity(), new int[][] {{3}}, false));
        for (String f : List.of("sum", "mean")) {
            for (int[] s : shapes) {
                out.add(Arguments.of(f + " " + java.util.Arrays.toString(s), Ops.FUNCTIONS.get(f), new int[][] {s}, false));
            }
        }
        out.add(Arguments.of("logsumexp", Ops.FUNCTIONS.get("logsumexp"), new int[][] {{4}}, false));
        out.add(Arguments.of("softmax", Ops.FUNCTIONS.get("softmax"), new int[][] {{4}}, false));
        out.add(Arguments.of("dot", Ops.FUNCTIONS.get("dot"), new int[][] {{3}, {3}}, false));
        out.add(Arguments.of("leaky_relu", Ops.leakyRelu(0.13), new int[][] {{2, 3}}, false));
        out.add(Arguments.of("linear vector", Ops.matmulTransposed(), new int[][] {{3}, {2, 3}}, false));
        out.add(Arguments.of("linear rows", Ops.matmulTransposed(), new int[][] {{4, 3}, {2, 3}}, false));
        out.add(Arguments.of("layer norm as a composite, one example", layerNorm(false), new int[][] {{4}, {4}, {4}}, false));
        return out.stream();
    }

    /** Shapes only a network gives its ops (a row per example), which the graph language does not write. */
    static Stream<Arguments> networkForms() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of("add a row down a batch", Ops.add(), new int[][] {{2, 3}, {3}}, false));
        out.add(Arguments.of("dot rows", Ops.dot(), new int[][] {{2, 3}, {3}}, false));
        out.add(Arguments.of("softmax rows", Ops.softmax(), new int[][] {{2, 4}}, false));
        out.add(Arguments.of("layer norm as a composite, a row per example", layerNorm(true), new int[][] {{2, 4}, {4}, {4}}, false));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networkForms")
    void networkFormsToo(String name, Op op, int[][] shapes, boolean positive) {
        Random random = new Random(name.hashCode());
        Tensor[] in = new Tensor[shapes.length];
        for (int k = 0; k < in.length; k++) {
            in[k] = random(shapes[k], random, positive);
        }
        assertJacobiansMatchCentralDifferences(name, op, in);
    }

    /** γ ⊙ (x − mean x) / √(mean (x − mean x)² + ε) + β, from the engine's ops. */
    static Composite layerNorm(boolean batched) {
        Composite.Recipe r = new Composite.Recipe("layer_norm");
        int x = r.operand(true);
        int gamma = r.operand(false);
        int beta = r.operand(false);
        int centred = r.apply(Ops.sub(), x, r.apply(Ops.mean(), x));
        int variance = r.apply(Ops.mean(), r.apply(Ops.pow(2), centred));
        int normal = r.apply(Ops.div(), centred, r.apply(Ops.elementwise("sqrt"), r.apply(Ops.add(), variance, r.constant(1e-5))));
        return r.build(r.apply(Ops.add(), r.apply(Ops.mul(), normal, gamma), beta), batched);
    }

    @org.junit.jupiter.api.Test
    void embeddingScattersIntoTheRowsLookedUpAndAddsWhereAWordRepeats() {
        Tensor table = random(new int[] {4, 3}, new Random(5), false);
        Tensor words = Tensor.of(new int[] {2, 3}, new double[] {1, 3, 1, 0, 2, 2});
        Tensor[] in = {table, words};
        Op op = Ops.embedding();
        assertThat(op.shapeError(in, new String[] {"L", "words"})).isNull();
        Tensor out = op.forward(in);
        assertThat(out.shape()).containsExactly(2, 9);
        Tensor jacobian = op.jacobian(0, in, out);
        for (int c = 0; c < table.size(); c++) {
            Tensor plus = op.forward(replace(in, 0, nudge(table, c, H)));
            Tensor minus = op.forward(replace(in, 0, nudge(table, c, -H)));
            for (int r = 0; r < out.size(); r++) {
                assertThat(jacobian.get(r * table.size() + c)).as("∂x[%d]/∂L[%d]", r, c)
                        .isCloseTo((plus.get(r) - minus.get(r)) / (2 * H), org.assertj.core.api.Assertions.within(1e-6));
            }
        }
        // row 1 is looked up twice by example 0: its gradient is the sum of both positions'
        Tensor up = Tensor.of(new int[] {2, 9}, new double[] {1, 2, 3, 10, 20, 30, 100, 200, 300, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        Tensor g = op.backward(0, in, out, up);
        assertThat(new double[] {g.get(3), g.get(4), g.get(5)}).containsExactly(101, 202, 303);
        assertThat(op.shapeError(new Tensor[] {table, Tensor.vector(new double[] {4})}, new String[] {"L", "words"}))
                .isEqualTo("words has 4.0 at entry 0: an index must be a whole number from 0 to 3");
    }

    @org.junit.jupiter.api.Test
    void aCompositeAnswersAsItsPartsDoOnAGraph() {
        Random random = new Random(11);
        Tensor x = random(new int[] {4}, random, false);
        Tensor gamma = random(new int[] {4}, random, false);
        Tensor beta = random(new int[] {4}, random, false);
        Graph.Builder b = new Graph.Builder();
        int xi = b.input("x", x);
        int gi = b.input("gamma", gamma);
        int bi = b.input("beta", beta);
        int centred = b.apply("c", Ops.sub(), List.of(xi, b.apply("m", Ops.mean(), List.of(xi), null)), null);
        int variance = b.apply("v", Ops.mean(), List.of(b.apply("sq", Ops.pow(2), List.of(centred), null)), null);
        int root = b.apply("r", Ops.elementwise("sqrt"), List.of(b.apply("ve", Ops.add(), List.of(variance, b.constant("eps", 1e-5)), null)), null);
        int normal = b.apply("n", Ops.div(), List.of(centred, root), null);
        int out = b.apply("o", Ops.add(), List.of(b.apply("g", Ops.mul(), List.of(normal, gi), null), bi), null);
        Graph graph = b.build();
        Tensor upstream = random(new int[] {4}, random, false);
        Composite ln = layerNorm(false);
        Tensor[] in = {x, gamma, beta};
        Tensor value = ln.forward(in);
        assertThat(value).isEqualTo(graph.node(out).value());
        for (int k = 0; k < 3; k++) {
            Tensor mine = ln.backward(k, in, value, upstream);
            Tensor[] walk = walk(graph, out, upstream);
            assertThat(mine.toArray()).containsExactly(walk[new int[] {xi, gi, bi}[k]].toArray(), org.assertj.core.api.Assertions.within(1e-15));
        }
        assertThat(ln.apply(List.of(Formula.sym("h"), Formula.sym("γ"), Formula.sym("β"))).text())
                .isEqualTo("(h - mean(h)) / sqrt(mean((h - mean(h))^2) + 1.0E-5) * γ + β");
    }

    /** Every node's ∂(upstream · node out)/∂node, walked back through the graph's own ops. */
    private static Tensor[] walk(Graph graph, int out, Tensor upstream) {
        Tensor[] grads = new Tensor[graph.size()];
        grads[out] = upstream;
        for (int i = out; i >= 0; i--) {
            Graph.Node n = graph.node(i);
            if (n.kind() != Graph.Kind.OP || grads[i] == null) {
                continue;
            }
            Tensor[] in = graph.operands(n);
            for (int k = 0; k < in.length; k++) {
                int to = n.inputs().get(k);
                Tensor share = n.op().backward(k, in, n.value(), grads[i]);
                grads[to] = grads[to] == null ? share : Backprop.plus(grads[to], share);
            }
        }
        return grads;
    }

    @org.junit.jupiter.api.Test
    void aBatchedCompositeTakesOneExamplesRowAsOneExample() {
        Random random = new Random(3);
        Tensor rows = random(new int[] {2, 4}, random, false);
        Tensor gamma = random(new int[] {4}, random, false);
        Tensor beta = random(new int[] {4}, random, false);
        Composite batched = layerNorm(true);
        Composite one = layerNorm(false);
        Tensor[] second = {rows.slice(1), gamma, beta};
        assertThat(batched.forward(second)).isEqualTo(one.forward(second));
        assertThat(batched.jacobian(0, second, batched.forward(second))).isEqualTo(one.jacobian(0, second, one.forward(second)));
        assertThat(batched.forward(new Tensor[] {rows, gamma, beta}).slice(1)).isEqualTo(one.forward(second));
    }

    @org.junit.jupiter.api.Test
    void aCompositeReportsItsPartsKinks() {
        Composite.Recipe r = new Composite.Recipe("hinge");
        int y = r.operand(true);
        int shifted = r.apply("y + 1", Ops.add(), y, r.constant(1.0));
        Composite hinge = r.build(r.apply(Ops.sum(), r.apply(Ops.elementwise("relu"), shifted)), true);
        Tensor in = Tensor.of(new int[] {2, 2}, new double[] {0.5, -1, -1, 2});
        List<Op.Kink> kinks = hinge.kinks(new Tensor[] {in}, hinge.forward(new Tensor[] {in}), 0);
        assertThat(kinks).containsExactly(new Op.Kink(-1, 1, "0", "y + 1", "relu"), new Op.Kink(-1, 2, "0", "y + 1", "relu"));
    }

    private static boolean positive(Ops.Fn fn) {
        return fn == Ops.Fn.LOG || fn == Ops.Fn.SQRT;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void localJacobianMatchesCentralDifferences(String name, Op op, int[][] shapes, boolean positive) {
        Random random = new Random(name.hashCode());
        Tensor[] in = new Tensor[shapes.length];
        for (int k = 0; k < in.length; k++) {
            in[k] = random(shapes[k], random, positive);
        }
        assertThat(op.shapeError(in, new String[] {"a", "b"})).isNull();
        assertJacobiansMatchCentralDifferences(name, op, in);
    }

    /** Every operand's explicit Jacobian against central differences of the op's forward value. */
    private static void assertJacobiansMatchCentralDifferences(String name, Op op, Tensor[] in) {
        Tensor out = op.forward(in);
        for (int k = 0; k < in.length; k++) {
            Tensor jacobian = op.jacobian(k, in, out);
            assertThat(jacobian.shape()).containsExactly(out.size(), in[k].size());
            for (int c = 0; c < in[k].size(); c++) {
                Tensor plus = op.forward(replace(in, k, nudge(in[k], c, H)));
                Tensor minus = op.forward(replace(in, k, nudge(in[k], c, -H)));
                for (int r = 0; r < out.size(); r++) {
                    double numeric = (plus.get(r) - minus.get(r)) / (2 * H);
                    assertThat(jacobian.get(r * in[k].size() + c)).as("%s: ∂out[%d]/∂in%d[%d]", name, r, k, c)
                            .isCloseTo(numeric, org.assertj.core.api.Assertions.within(1e-6 + 1e-6 * Math.abs(numeric)));
                }
            }
        }
    }

    static Tensor random(int[] shape, Random random, boolean positive) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        double[] data = new double[size];
        for (int i = 0; i < size; i++) {
            double v = random.nextDouble() * 2 - 1;
            // away from 0 (kinks of relu and abs), and positive where the op needs it
            data[i] = positive ? 0.5 + Math.abs(v) : Math.signum(v) * (0.2 + Math.abs(v));
        }
        return Tensor.of(shape, data);
    }

    private static Tensor nudge(Tensor t, int i, double h) {
        double[] d = t.toArray();
        d[i] += h;
        return Tensor.of(t.shape(), d);
    }

    private static Tensor[] replace(Tensor[] in, int k, Tensor t) {
        Tensor[] out = in.clone();
        out[k] = t;
        return out;
    }
}
