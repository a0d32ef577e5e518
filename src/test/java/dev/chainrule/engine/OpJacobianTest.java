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
                out.add(Arguments.of(f + " " + java.util.Arrays.toString(s), Ops.build(f, 1), new int[][] {s}, false));
            }
        }
        out.add(Arguments.of("logsumexp", Ops.build("logsumexp", 1), new int[][] {{4}}, false));
        out.add(Arguments.of("softmax", Ops.build("softmax", 1), new int[][] {{4}}, false));
        out.add(Arguments.of("dot", Ops.build("dot", 2), new int[][] {{3}, {3}}, false));
        out.add(Arguments.of("leaky_relu", Ops.leakyRelu(0.13), new int[][] {{2, 3}}, false));
        out.add(Arguments.of("linear vector", Ops.matmulTransposed(), new int[][] {{3}, {2, 3}}, false));
        out.add(Arguments.of("linear rows", Ops.matmulTransposed(), new int[][] {{4, 3}, {2, 3}}, false));
        return out.stream();
    }

    /** Shapes only a network gives its ops (a row per example), which the graph language does not write. */
    static Stream<Arguments> networkForms() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of("add a row down a batch", Ops.add(), new int[][] {{2, 3}, {3}}, false));
        out.add(Arguments.of("dot rows", Ops.dot(), new int[][] {{2, 3}, {3}}, false));
        out.add(Arguments.of("softmax rows", Ops.softmax(), new int[][] {{2, 4}}, false));
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
        assertJacobianMatches(name, op, in);
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
        assertJacobianMatches(name, op, in);
    }

    /** Each explicit Jacobian of an operand that carries a gradient against central differences of the forward value. */
    static void assertJacobianMatches(String name, Op op, Tensor[] in) {
        Tensor out = op.forward(in);
        for (int k = 0; k < in.length; k++) {
            if (!op.carriesGradient(k)) {
                continue;
            }
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

    static Tensor nudge(Tensor t, int i, double h) {
        double[] d = t.toArray();
        d[i] += h;
        return Tensor.of(t.shape(), d);
    }

    static Tensor[] replace(Tensor[] in, int k, Tensor t) {
        Tensor[] out = in.clone();
        out[k] = t;
        return out;
    }
}
