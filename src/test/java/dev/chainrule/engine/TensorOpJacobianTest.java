package dev.chainrule.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tensor ops at several shapes each — broadcasting, reductions along every axis, softmax along an axis,
 * joining, reshaping, subscripts and gathers — their explicit local Jacobian against central differences of the
 * forward value, and their backward rule against that Jacobian (upstream · J for a random upstream). Index operands
 * and conditions are held fixed: no gradient is defined for them.
 */
class TensorOpJacobianTest {

    private static final double H = 1e-6;

    /** One case: an op and its operands; a null entry of {@code fixed} is a random real operand of {@code shapes[k]}. */
    private record Case(String name, Op op, int[][] shapes, Tensor[] fixed) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, Op op, int[]... shapes) {
        return new Case(name, op, shapes, new Tensor[shapes.length]);
    }

    private static Op fn(String function, Map<String, Object> keywords, int positional) {
        return Ops.build(new Ops.Call(function, java.util.Collections.nCopies(positional, (Double) null), keywords));
    }

    static Stream<Arguments> cases() {
        List<Case> out = new ArrayList<>();
        int[][][] pairs = {{{2, 3}, {3}}, {{3}, {2, 3}}, {{4, 1}, {1, 3}}, {{2, 1, 3}, {4, 1}}, {{2, 3, 2, 2}, {3, 1, 1}}};
        for (Ops.Arith a : Ops.Arith.values()) {
            for (int[][] pair : pairs) {
                out.add(c(a.opName() + " " + Arrays.deepToString(pair), a, pair));
            }
        }
        for (Reduction.Kind kind : Reduction.Kind.values()) {
            for (int[] shape : new int[][] {{5}, {3, 4}, {2, 3, 4}, {2, 2, 3, 2}}) {
                out.add(c(kind.name + " all keepdims " + Arrays.toString(shape), new Reduction(kind, null, true), shape));
                for (int axis = -1; axis < shape.length; axis++) {
                    out.add(c(kind.name + " axis " + axis + " " + Arrays.toString(shape), new Reduction(kind, axis, axis == 0), shape));
                }
            }
            if (kind != Reduction.Kind.SUM && kind != Reduction.Kind.MEAN && kind != Reduction.Kind.LOGSUMEXP) {
                out.add(c(kind.name + " all " + "[3, 4]", new Reduction(kind, null, false), new int[] {3, 4}));
            }
        }
        for (boolean log : new boolean[] {false, true}) {
            String name = log ? "log_softmax" : "softmax";
            out.add(c(name + " vector", new SoftmaxAlong(-1, log), new int[] {5}));
            for (int axis : new int[] {-1, 0, 1}) {
                out.add(c(name + " axis " + axis + " [3, 4]", new SoftmaxAlong(axis, log), new int[] {3, 4}));
                out.add(c(name + " axis " + axis + " [2, 3, 4]", new SoftmaxAlong(axis, log), new int[] {2, 3, 4}));
            }
        }
        out.add(c("concat vectors", fn("concat", Map.of(), 3), new int[] {2}, new int[] {3}, new int[] {1}));
        out.add(c("concat axis 0", fn("concat", Map.of(), 2), new int[] {2, 3}, new int[] {1, 3}));
        out.add(c("concat axis 1", fn("concat", Map.of("axis", 1.0), 2), new int[] {2, 3}, new int[] {2, 2}));
        out.add(c("concat axis -1 rank 3", fn("concat", Map.of("axis", -1.0), 2), new int[] {2, 2, 1}, new int[] {2, 2, 3}));
        out.add(c("stack scalars", fn("stack", Map.of(), 3), new int[] {}, new int[] {}, new int[] {}));
        out.add(c("stack axis 1", fn("stack", Map.of("axis", 1.0), 2), new int[] {2, 3}, new int[] {2, 3}));
        out.add(c("stack axis -1", fn("stack", Map.of("axis", -1.0), 2), new int[] {3}, new int[] {3}));
        out.add(new Case("reshape 3×-1", new Shaping.Reshape(new int[] {3, -1}), new int[][] {{2, 6}, {}, {}},
                new Tensor[] {null, Tensor.scalar(3), Tensor.scalar(-1)}));
        out.add(c("flatten", fn("flatten", Map.of(), 1), new int[] {2, 3, 2}));
        Indexing.Slice all = new Indexing.Slice(null, null);
        out.add(c("X[1]", Ops.subscript(List.of(new Indexing.At(1))), new int[] {3, 4}));
        out.add(c("X[-1, 2]", Ops.subscript(List.of(new Indexing.At(-1), new Indexing.At(2))), new int[] {3, 4}));
        out.add(c("X[:, 1:3]", Ops.subscript(List.of(all, new Indexing.Slice(1, 3))), new int[] {3, 4}));
        out.add(c("X[1:]", Ops.subscript(List.of(new Indexing.Slice(1, null))), new int[] {3, 2, 2}));
        out.add(c("X[:, -2:, 0]", Ops.subscript(List.of(all, new Indexing.Slice(-2, null), new Indexing.At(0))), new int[] {2, 3, 2}));
        Tensor rows = Tensor.vector(new double[] {2, 0, 2, -1});
        out.add(new Case("L[idx] repeated", Ops.subscript(List.of(new Indexing.Index())), new int[][] {{4, 3}, {4}},
                new Tensor[] {null, rows}));
        out.add(new Case("E[w] with w 2×3", Ops.subscript(List.of(new Indexing.Index())), new int[][] {{5, 2}, {2, 3}},
                new Tensor[] {null, Tensor.matrix(new double[][] {{0, 4, 4}, {1, 0, 3}})}));
        out.add(new Case("X[:, idx]", Ops.subscript(List.of(all, new Indexing.Index())), new int[][] {{3, 4}, {4}},
                new Tensor[] {null, rows}));
        out.add(new Case("X[i] scalar index", Ops.subscript(List.of(new Indexing.Index())), new int[][] {{3, 4}, {}},
                new Tensor[] {null, Tensor.scalar(2)}));
        out.add(new Case("X[0, :, idx] (NumPy puts the gather first)",
                Ops.subscript(List.of(new Indexing.At(0), all, new Indexing.Index())), new int[][] {{2, 3, 4}, {4}},
                new Tensor[] {null, rows}));
        out.add(new Case("pick rows", fn("pick", Map.of(), 2), new int[][] {{4, 3}, {4}},
                new Tensor[] {null, Tensor.vector(new double[] {0, 2, 1, 2})}));
        out.add(new Case("pick vector", fn("pick", Map.of(), 2), new int[][] {{5}, {}}, new Tensor[] {null, Tensor.scalar(3)}));
        Tensor mask = Tensor.matrix(new double[][] {{1, 0, 1}, {0, 0, 1}});
        out.add(new Case("where", fn("where", Map.of(), 3), new int[][] {{2, 3}, {2, 3}, {2, 3}}, new Tensor[] {mask, null, null}));
        out.add(new Case("where broadcast", fn("where", Map.of(), 3), new int[][] {{2, 3}, {3}, {}}, new Tensor[] {mask, null, null}));
        out.add(new Case("where column", fn("where", Map.of(), 3), new int[][] {{2, 1}, {2, 3}, {1, 3}},
                new Tensor[] {Tensor.of(new int[] {2, 1}, new double[] {0, 1}), null, null}));
        return out.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void localJacobianMatchesCentralDifferencesAndBackwardMatchesIt(Case c) {
        Random random = new Random(c.name().hashCode());
        Tensor[] in = new Tensor[c.shapes().length];
        String[] labels = new String[in.length];
        for (int k = 0; k < in.length; k++) {
            in[k] = c.fixed()[k] != null ? c.fixed()[k] : OpJacobianTest.random(c.shapes()[k], random, false);
            labels[k] = "x" + k;
        }
        Op op = c.op();
        assertThat(op.shapeError(in, labels)).isNull();
        Tensor out = op.forward(in);
        for (int k = 0; k < in.length; k++) {
            if (c.fixed()[k] != null || !op.carriesGradient(k)) {
                continue;
            }
            Tensor jacobian = op.jacobian(k, in, out);
            assertThat(jacobian.shape()).containsExactly(out.size(), in[k].size());
            for (int col = 0; col < in[k].size(); col++) {
                Tensor plus = op.forward(OpJacobianTest.replace(in, k, OpJacobianTest.nudge(in[k], col, H)));
                Tensor minus = op.forward(OpJacobianTest.replace(in, k, OpJacobianTest.nudge(in[k], col, -H)));
                for (int r = 0; r < out.size(); r++) {
                    double numeric = (plus.get(r) - minus.get(r)) / (2 * H);
                    assertThat(jacobian.get(r * in[k].size() + col)).as("%s: ∂out[%d]/∂in%d[%d]", c.name(), r, k, col)
                            .isCloseTo(numeric, within(1e-6 + 1e-6 * Math.abs(numeric)));
                }
            }
            Tensor upstream = OpJacobianTest.random(out.shape(), random, false);
            Tensor back = op.backward(k, in, out, upstream);
            assertThat(back.shape()).containsExactly(in[k].shape());
            for (int col = 0; col < in[k].size(); col++) {
                double expected = 0;
                for (int r = 0; r < out.size(); r++) {
                    expected += upstream.get(r) * jacobian.get(r * in[k].size() + col);
                }
                assertThat(back.get(col)).as("%s: backward of in%d[%d]", c.name(), k, col).isCloseTo(expected, within(1e-12));
            }
            assertThat(op.local(k, formulas(in.length), new Formula.Sym("y"), in).text()).isNotBlank();
        }
        assertThat(op.apply(formulas(in.length)).text()).isNotBlank();
        assertThat(op.work(in)).as("priced before it runs").isGreaterThanOrEqualTo(out.size());
    }

    private static List<Formula> formulas(int n) {
        List<Formula> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            out.add(new Formula.Sym("x" + k));
        }
        return out;
    }
}
