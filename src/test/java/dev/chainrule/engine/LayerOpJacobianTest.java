package dev.chainrule.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layer and loss ops (convolution, pooling, normalisation, the losses) at several shapes, strides and paddings:
 * each operand's local Jacobian against central differences of the forward value, and the backward rule against
 * the Jacobian (upstream · J) for a random upstream, since conv fills its Jacobian in directly rather than from
 * the backward rule.
 */
class LayerOpJacobianTest {

    /** One case: the op and its operands' shapes; an index operand holds class labels below {@code classes}. */
    private record Case(String name, Op op, int[][] shapes, int classes) {
        Arguments arguments() {
            return Arguments.of(name, this);
        }
    }

    static Stream<Arguments> cases() {
        List<Case> out = new ArrayList<>();
        // conv1d: x (N×)C×L, w F×C×k, b F
        out.add(new Case("conv1d", new Conv(1, 1, 0, false), new int[][] {{2, 7}, {3, 2, 3}}, 0));
        out.add(new Case("conv1d bias", new Conv(1, 1, 0, true), new int[][] {{2, 7}, {3, 2, 3}, {3}}, 0));
        out.add(new Case("conv1d stride 2 padding 1", new Conv(1, 2, 1, false), new int[][] {{2, 7}, {3, 2, 3}}, 0));
        out.add(new Case("conv1d batched stride 3 padding 2", new Conv(1, 3, 2, true), new int[][] {{2, 2, 5}, {2, 2, 2}, {2}}, 0));
        // conv2d: x (N×)C×H×W, w F×C×kh×kw
        out.add(new Case("conv2d padding 1 bias", new Conv(2, 1, 1, true), new int[][] {{2, 5, 5}, {3, 2, 3, 3}, {3}}, 0));
        out.add(new Case("conv2d batched stride 2", new Conv(2, 2, 0, false), new int[][] {{2, 1, 4, 4}, {2, 1, 2, 2}}, 0));
        out.add(new Case("conv2d 3×2 window stride 2 padding 1", new Conv(2, 2, 1, true), new int[][] {{1, 3, 6, 5}, {2, 3, 3, 2}, {2}}, 0));
        out.add(new Case("conv2d 1×1", new Conv(2, 1, 0, false), new int[][] {{2, 3, 3}, {4, 2, 1, 1}}, 0));
        // pooling: x (N×)C×H×W
        for (boolean max : new boolean[] {true, false}) {
            String p = max ? "maxpool2d" : "avgpool2d";
            out.add(new Case(p + " 2", new Pool(max, 2, 2), new int[][] {{1, 4, 4}, {}}, 0));
            out.add(new Case(p + " 2 stride 1 (overlapping)", new Pool(max, 2, 1), new int[][] {{2, 2, 5, 5}, {}}, 0));
            out.add(new Case(p + " 3 stride 2, a ragged edge", new Pool(max, 3, 2), new int[][] {{2, 7, 6}, {}}, 0));
        }
        // norms: x, gamma, beta
        out.add(new Case("layer_norm vector", new Norm(true, Norm.EPS), new int[][] {{4}, {4}, {4}}, 0));
        out.add(new Case("layer_norm rows", new Norm(true, Norm.EPS), new int[][] {{4, 3}, {3}, {3}}, 0));
        out.add(new Case("layer_norm 2×3×4 eps 0.1", new Norm(true, 0.1), new int[][] {{2, 3, 4}, {4}, {4}}, 0));
        out.add(new Case("batch_norm N×D", new Norm(false, Norm.EPS), new int[][] {{4, 3}, {3}, {3}}, 0));
        out.add(new Case("batch_norm N×C×L", new Norm(false, Norm.EPS), new int[][] {{3, 2, 4}, {2}, {2}}, 0));
        out.add(new Case("batch_norm N×C×H×W eps 0.01", new Norm(false, 0.01), new int[][] {{2, 2, 3, 3}, {2}, {2}}, 0));
        // classification losses: scores and labels
        out.add(new Case("cross_entropy batch", ClassLoss.CROSS_ENTROPY, new int[][] {{4, 3}, {4}}, 3));
        out.add(new Case("cross_entropy one", ClassLoss.CROSS_ENTROPY, new int[][] {{5}, {}}, 5));
        out.add(new Case("svm batch", ClassLoss.svm(1), new int[][] {{4, 5}, {4}}, 5));
        out.add(new Case("svm margin 0.5", ClassLoss.svm(0.5), new int[][] {{3, 4}, {3}}, 4));
        out.add(new Case("svm one", ClassLoss.svm(2), new int[][] {{4}, {}}, 4));
        // losses of two tensors of one shape
        for (int[] s : new int[][] {{}, {3}, {2, 3}, {2, 2, 2}}) {
            String shape = Arrays.toString(s);
            out.add(new Case("mse " + shape, EntryLoss.mse(), new int[][] {s, s}, 0));
            out.add(new Case("huber " + shape, EntryLoss.huber(1), new int[][] {s, s}, 0));
            out.add(new Case("huber delta 0.3 " + shape, EntryLoss.huber(0.3), new int[][] {s, s}, 0));
            out.add(new Case("bce_with_logits " + shape, EntryLoss.bceWithLogits(), new int[][] {s, s}, 0));
        }
        return out.stream().map(Case::arguments);
    }

    private static Tensor[] operands(Case c) {
        Random random = new Random(c.name().hashCode());
        Tensor[] in = new Tensor[c.shapes().length];
        for (int k = 0; k < in.length; k++) {
            if (c.op().isIndex(k)) {
                int[] shape = c.shapes()[k];
                double[] labels = new double[shape.length == 0 ? 1 : shape[0]];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = random.nextInt(c.classes());
                }
                in[k] = Tensor.of(shape, labels);
            } else {
                in[k] = OpJacobianTest.random(c.shapes()[k], random, false);
            }
        }
        return in;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void localJacobianMatchesCentralDifferences(String name, Case c) {
        Tensor[] in = operands(c);
        assertThat(c.op().shapeError(in, new String[] {"x", "w", "b"})).isNull();
        assertThat(c.op().arity()).isEqualTo(in.length);
        OpJacobianTest.assertJacobianMatches(name, c.op(), in);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardIsTheUpstreamTimesTheJacobian(String name, Case c) {
        Tensor[] in = operands(c);
        Tensor out = c.op().forward(in);
        Random random = new Random(~name.hashCode());
        Tensor upstream = out.map(v -> random.nextDouble() * 2 - 1);
        for (int k = 0; k < in.length; k++) {
            Tensor jacobian = c.op().jacobian(k, in, out);
            Tensor back = c.op().backward(k, in, out, upstream);
            assertThat(back.shape()).containsExactly(in[k].shape());
            for (int col = 0; col < in[k].size(); col++) {
                double expected = 0;
                for (int row = 0; row < out.size(); row++) {
                    expected += upstream.get(row) * jacobian.get(row * in[k].size() + col);
                }
                double want = c.op().carriesGradient(k) ? expected : 0.0;
                assertThat(back.get(col)).as("%s: operand %d entry %d", name, k, col).isCloseTo(want, within(1e-12));
            }
        }
    }
}
