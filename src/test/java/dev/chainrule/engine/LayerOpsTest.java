package dev.chainrule.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The layer and loss ops' values and gradients on small cases worked by hand, their tie rules and their messages. */
class LayerOpsTest {

    private static final String[] LABELS = {"x", "w", "b"};

    private static Tensor t(int[] shape, double... values) {
        return Tensor.of(shape, values);
    }

    private static int[] shape(int... dims) {
        return dims;
    }

    private static void assertValues(Tensor actual, int[] shape, double... expected) {
        assertThat(actual.shape()).containsExactly(shape);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual.get(i)).as("entry %d of %s", i, actual).isCloseTo(expected[i], within(1e-12));
        }
    }

    private static Tensor ones(Tensor like) {
        return like.map(v -> 1.0);
    }

    @Test
    void conv1dSlidesTheFilterAlongTheSequence() {
        Tensor x = t(shape(1, 4), 1, 2, 3, 4);
        Tensor w = t(shape(1, 1, 3), 1, 0, -1);
        // x[j] − x[j+2]
        assertValues(new Conv(1, 1, 0, false).forward(new Tensor[] {x, w}), shape(1, 2), -2, -2);
        // padded [0, 1, 2, 3, 4, 0]: −2, −2, −2, 3
        assertValues(new Conv(1, 1, 1, false).forward(new Tensor[] {x, w}), shape(1, 4), -2, -2, -2, 3);
        // stride 2 keeps output positions 0 and 2
        assertValues(new Conv(1, 2, 1, false).forward(new Tensor[] {x, w}), shape(1, 2), -2, -2);
    }

    @Test
    void conv2dAddsEachFiltersBiasAndRoutesTheUpstreamBack() {
        Tensor x = t(shape(1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Tensor w = t(shape(1, 1, 2, 2), 1, 0, 0, 1);
        Tensor b = t(shape(1), 1);
        Conv conv = new Conv(2, 1, 0, true);
        Tensor[] in = {x, w, b};
        Tensor y = conv.forward(in);
        // x[i,j] + x[i+1,j+1] + 1
        assertValues(y, shape(1, 2, 2), 7, 9, 13, 15);
        // with every upstream 1: ∂f/∂x counts the windows that read each entry through a 1 of w
        assertValues(conv.backward(0, in, y, ones(y)), shape(1, 3, 3), 1, 1, 0, 1, 2, 1, 0, 1, 1);
        // ∂f/∂w[p,q] = Σ over the windows of x[i+p, j+q]
        assertValues(conv.backward(1, in, y, ones(y)), shape(1, 1, 2, 2), 12, 16, 24, 28);
        assertValues(conv.backward(2, in, y, ones(y)), shape(1), 4);
    }

    /**
     * Layers wide enough for the kernel to work a block of output rows at a time (the last block ragged), with
     * strides, paddings and a batch, against the definition summed entry by entry.
     */
    @Test
    void convMatchesItsDefinitionBlockByBlock() {
        java.util.Random random = new java.util.Random(28);
        int[][] cases = { // dims, N (0: unbatched), C, H, W, F, kh, kw, stride, padding
            {2, 2, 3, 9, 45, 4, 3, 3, 1, 1},
            {2, 0, 2, 11, 70, 3, 3, 2, 2, 2},
            {2, 3, 1, 5, 5, 2, 5, 5, 1, 0},
            {1, 0, 2, 1, 300, 3, 1, 5, 1, 2},
            {1, 2, 3, 1, 260, 2, 1, 4, 3, 0},
        };
        for (int[] c : cases) {
            int dims = c[0];
            int n = Math.max(1, c[1]);
            int[] xShape = dims == 2 ? (c[1] == 0 ? shape(c[2], c[3], c[4]) : shape(c[1], c[2], c[3], c[4]))
                    : (c[1] == 0 ? shape(c[2], c[4]) : shape(c[1], c[2], c[4]));
            int[] wShape = dims == 2 ? shape(c[5], c[2], c[6], c[7]) : shape(c[5], c[2], c[7]);
            Tensor[] in = {randomTensor(xShape, random), randomTensor(wShape, random), randomTensor(shape(c[5]), random)};
            Conv conv = new Conv(dims, c[8], c[9], true);
            assertThat(conv.shapeError(in, LABELS)).isNull();
            Tensor y = conv.forward(in);
            Tensor up = randomTensor(y.shape(), random);
            Reference ref = new Reference(n, c[2], c[3], c[4], c[5], c[6], c[7], dims == 2 ? c[8] : 1, c[8], dims == 2 ? c[9] : 0, c[9]);
            double[][] expected = ref.run(in[0].data(), in[1].data(), in[2].data(), up.data());
            String what = java.util.Arrays.toString(c);
            assertClose(what + " forward", y.data(), expected[0]);
            assertClose(what + " ∂x", conv.backward(0, in, y, up).data(), expected[1]);
            assertClose(what + " ∂w", conv.backward(1, in, y, up).data(), expected[2]);
            assertClose(what + " ∂b", conv.backward(2, in, y, up).data(), expected[3]);
        }
    }

    /** Convolution by its definition, one product at a time: the value and the three gradients for an upstream. */
    private record Reference(int n, int c, int h, int w, int f, int kh, int kw, int sh, int sw, int ph, int pw) {
        double[][] run(double[] x, double[] wt, double[] b, double[] up) {
            int ho = (h + 2 * ph - kh) / sh + 1;
            int wo = (w + 2 * pw - kw) / sw + 1;
            double[] y = new double[n * f * ho * wo];
            double[] dx = new double[x.length];
            double[] dw = new double[wt.length];
            double[] db = new double[f];
            for (int e = 0; e < n; e++) {
                for (int o = 0; o < f; o++) {
                    for (int i = 0; i < ho; i++) {
                        for (int j = 0; j < wo; j++) {
                            int at = ((e * f + o) * ho + i) * wo + j;
                            double s = b[o];
                            db[o] += up[at];
                            for (int ch = 0; ch < c; ch++) {
                                for (int p = 0; p < kh; p++) {
                                    for (int q = 0; q < kw; q++) {
                                        int r = i * sh + p - ph;
                                        int col = j * sw + q - pw;
                                        if (r < 0 || r >= h || col < 0 || col >= w) {
                                            continue;
                                        }
                                        int xi = ((e * c + ch) * h + r) * w + col;
                                        int wi = ((o * c + ch) * kh + p) * kw + q;
                                        s += wt[wi] * x[xi];
                                        dx[xi] += up[at] * wt[wi];
                                        dw[wi] += up[at] * x[xi];
                                    }
                                }
                            }
                            y[at] = s;
                        }
                    }
                }
            }
            return new double[][] {y, dx, dw, db};
        }
    }

    private static Tensor randomTensor(int[] shape, java.util.Random random) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        double[] data = new double[size];
        for (int i = 0; i < size; i++) {
            // a third of them zero, as an upstream after ReLU and max-pool has many
            data[i] = random.nextInt(3) == 0 ? 0.0 : random.nextGaussian();
        }
        return Tensor.of(shape, data);
    }

    private static void assertClose(String what, double[] actual, double[] expected) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("%s entry %d", what, i).isCloseTo(expected[i], within(1e-11));
        }
    }

    @Test
    void convNamesTheFunctionAndTheShapesThatDoNotFit() {
        Conv conv = new Conv(2, 1, 0, false);
        Tensor x = Tensor.of(shape(3, 8, 8), new double[192]);
        Tensor w = Tensor.of(shape(4, 2, 3, 3), new double[72]);
        assertThat(conv.shapeError(new Tensor[] {x, w}, LABELS)).isEqualTo("conv2d: x is 3×8×8 but w expects 2 input channels");
        Tensor small = Tensor.of(shape(2, 2, 2), new double[8]);
        assertThat(conv.shapeError(new Tensor[] {small, w}, LABELS)).isEqualTo("conv2d: w's 3×3 window is larger than x's 2×2");
        assertThat(new Conv(2, 1, 1, true).shapeError(new Tensor[] {small, w, Tensor.vector(new double[3])}, LABELS))
                .isEqualTo("conv2d: b is 3 but w has 4 filters");
        assertThat(new Conv(1, 1, 0, false).shapeError(new Tensor[] {x, w}, LABELS))
                .isEqualTo("conv1d: w is a 4×2×3×3 tensor but takes F×C×k");
    }

    @Test
    void maxPoolGivesATiesWholeGradientToItsFirstEntryInRowMajorOrder() {
        // windows [[1, 1], [1, 0]] and [[2, 2], [2, 2]]: the top-left entry wins both
        Tensor x = t(shape(1, 2, 4), 1, 1, 2, 2, 1, 0, 2, 2);
        Pool pool = new Pool(true, 2, 2);
        Tensor[] in = {x, Tensor.scalar(2)};
        Tensor y = pool.forward(in);
        assertValues(y, shape(1, 1, 2), 1, 2);
        Tensor up = t(shape(1, 1, 2), 3, 5);
        assertValues(pool.backward(0, in, y, up), shape(1, 2, 4), 3, 0, 5, 0, 0, 0, 0, 0);
        // a gradient check there straddles the tie: every tied entry is a kink
        assertThat(pool.kinks(in, y)).extracting(Op.Kink::entry).containsExactly(0, 1, 4, 2, 3, 6, 7);
    }

    @Test
    void maxPoolRoutesAWindowHoldingNaNToItsLastNaNAsPyTorchDoes() {
        // PyTorch's scan takes a later entry when it is greater or NaN: the NaN at (1, 0) wins the first window
        Tensor x = t(shape(1, 2, 4), Double.NaN, 1, 2, 1, Double.NaN, 0, 0, 3);
        Pool pool = new Pool(true, 2, 2);
        Tensor[] in = {x, Tensor.scalar(2)};
        Tensor y = pool.forward(in);
        assertThat(y.get(0)).isNaN();
        assertThat(y.get(1)).isEqualTo(3.0);
        Tensor dx = pool.backward(0, in, y, t(shape(1, 1, 2), 1, 1));
        assertThat(dx.toArray()).containsExactly(0, 0, 0, 0, 1, 0, 0, 1);
    }

    @Test
    void avgPoolSpreadsEachWindowsUpstreamEvenly() {
        Tensor x = t(shape(1, 2, 4), 1, 2, 3, 4, 5, 6, 7, 8);
        Pool pool = new Pool(false, 2, 2);
        Tensor[] in = {x, Tensor.scalar(2)};
        Tensor y = pool.forward(in);
        assertValues(y, shape(1, 1, 2), 3.5, 5.5);
        assertValues(pool.backward(0, in, y, t(shape(1, 1, 2), 4, 8)), shape(1, 2, 4), 1, 1, 2, 2, 1, 1, 2, 2);
        assertThat(pool.shapeError(new Tensor[] {Tensor.of(shape(3, 1, 1), new double[3]), Tensor.scalar(2)}, LABELS))
                .isEqualTo("avgpool2d: the 2×2 window is larger than x's 1×1");
    }

    @Test
    void layerNormNormalisesEachRowThenScalesAndShifts() {
        Tensor x = t(shape(2, 3), 1, 2, 3, 0, 0, 6);
        Tensor gamma = t(shape(3), 1, 2, 1);
        Tensor beta = t(shape(3), 0, 0, 10);
        Norm norm = new Norm(true, 0);
        // row 1: μ 2, var 2/3; row 2: μ 2, var 8
        double s1 = Math.sqrt(1.5);
        double s2 = 1 / Math.sqrt(8);
        assertValues(norm.forward(new Tensor[] {x, gamma, beta}), shape(2, 3), -s1, 0, 10 + s1, -2 * s2, -4 * s2, 10 + 4 * s2);
        assertThat(norm.shapeError(new Tensor[] {x, t(shape(2), 1, 1), beta}, new String[] {"X", "gamma", "beta"}))
                .isEqualTo("layer_norm: gamma is 2 but X's last axis has 3 entries");
    }

    @Test
    void batchNormNormalisesEachFeatureOverTheBatch() {
        Tensor x = t(shape(2, 2), 1, 10, 3, 30);
        Tensor[] in = {x, t(shape(2), 1, 1), t(shape(2), 0, 0)};
        Norm norm = new Norm(false, 0);
        Tensor y = norm.forward(in);
        assertValues(y, shape(2, 2), -1, -1, 1, 1);
        // ∂(Σ y)/∂x = 0: the mean is taken out; ∂(Σ y)/∂β = N per feature
        assertValues(norm.backward(0, in, y, ones(y)), shape(2, 2), 0, 0, 0, 0);
        assertValues(norm.backward(2, in, y, ones(y)), shape(2), 2, 2);
        assertThat(norm.shapeError(new Tensor[] {t(shape(1, 2), 1, 2), in[1], in[2]}, new String[] {"X", "gamma", "beta"}))
                .isEqualTo("batch_norm: X is 1×2: one value per feature has no variance over the batch");
    }

    @Test
    void crossEntropyOfEqualScoresIsLogOfTheClassCount() {
        Tensor s = t(shape(2, 4), new double[8]);
        Tensor y = t(shape(2), 1, 3);
        Tensor[] in = {s, y};
        Tensor loss = ClassLoss.CROSS_ENTROPY.forward(in);
        assertThat(loss.item()).isCloseTo(Math.log(4), within(1e-15));
        // (softmax − onehot) / N
        assertValues(ClassLoss.CROSS_ENTROPY.backward(0, in, loss, Tensor.scalar(1)), shape(2, 4),
                0.125, -0.375, 0.125, 0.125, 0.125, 0.125, 0.125, -0.375);
        assertThat(ClassLoss.CROSS_ENTROPY.isIndex(1)).isTrue();
        assertThat(ClassLoss.CROSS_ENTROPY.shapeError(new Tensor[] {s, t(shape(2), 1, 4)}, new String[] {"S", "y"}))
                .isEqualTo("cross_entropy: y[1] is 4 but S has 4 classes (0 to 3)");
        assertThat(ClassLoss.CROSS_ENTROPY.shapeError(new Tensor[] {s, t(shape(2), 1.5, 0)}, new String[] {"S", "y"}))
                .isEqualTo("cross_entropy: y[0] is 1.5, not a class index");
    }

    @Test
    void svmCountsTheClassesInsideTheMarginAndAZeroMarginGivesNoGradient() {
        // row 1 (label 1): 3 − 2 + 1 = 2 counts, 0 − 2 + 1 = −1 does not; row 2 (label 0): 2 − 3 + 1 = 0 exactly
        Tensor s = t(shape(2, 3), 3, 2, 0, 3, 2, -5);
        Tensor y = t(shape(2), 1, 0);
        Tensor[] in = {s, y};
        ClassLoss svm = ClassLoss.svm(1);
        Tensor loss = svm.forward(in);
        assertThat(loss.item()).isEqualTo(1.0);
        assertValues(svm.backward(0, in, loss, Tensor.scalar(1)), shape(2, 3), 0.5, -0.5, 0, 0, 0, 0);
        assertThat(ClassLoss.svm(2).forward(in).item()).isEqualTo((3 + 1 + 0) / 2.0);
        // row 2's margin of exactly 0 is a kink, at its score and at its label
        assertThat(svm.kinks(in, loss)).extracting(Op.Kink::entry).containsExactly(4, 3);
    }

    @Test
    void entryLossesAverageOverEveryEntry() {
        Tensor a = t(shape(2), 1, 3);
        Tensor b = t(shape(2), 0, 0);
        Tensor[] in = {a, b};
        assertThat(EntryLoss.mse().forward(in).item()).isEqualTo(5.0);
        assertValues(EntryLoss.mse().backward(0, in, null, Tensor.scalar(1)), shape(2), 1, 3);
        // ½·1² and 1·(3 − ½)
        assertThat(EntryLoss.huber(1).forward(in).item()).isEqualTo(1.5);
        assertValues(EntryLoss.huber(1).backward(1, in, null, Tensor.scalar(1)), shape(2), -0.5, -0.5);
        Tensor[] logits = {t(shape(1), 0), t(shape(1), 0.5)};
        assertThat(EntryLoss.bceWithLogits().forward(logits).item()).isCloseTo(Math.log(2), within(1e-15));
        assertThat(EntryLoss.mse().shapeError(new Tensor[] {a, t(shape(1), 0)}, new String[] {"a", "b"}))
                .isEqualTo("mse: a is a 2-vector but b is a 1-vector: it compares two tensors of one shape, entry by entry");
    }

    @Test
    void theFunctionTableBuildsEachOpFromItsCallAndRefusesWhatDoesNotFit() {
        assertThat(call("conv2d", List.of(0.0, 0.0, 0.0), Map.of("stride", 2.0, "padding", 1.0))).isEqualTo(new Conv(2, 2, 1, true));
        assertThat(call("conv1d", List.of(0.0, 0.0), Map.of())).isEqualTo(new Conv(1, 1, 0, false));
        assertThat(call("maxpool2d", List.of(0.0, 3.0), Map.of())).isEqualTo(new Pool(true, 3, 3));
        assertThat(call("avgpool2d", List.of(0.0, 2.0), Map.of("stride", 1.0))).isEqualTo(new Pool(false, 2, 1));
        assertThat(call("layer_norm", List.of(0.0, 0.0, 0.0), Map.of("eps", 0.1))).isEqualTo(new Norm(true, 0.1));
        assertThat(call("svm", List.of(0.0, 0.0), Map.of("margin", 2.0))).isEqualTo(ClassLoss.svm(2));
        assertThat(call("huber", List.of(0.0, 0.0), Map.of("delta", 0.5))).isEqualTo(EntryLoss.huber(0.5));
        assertThat(call("cross_entropy", List.of(0.0, 0.0), Map.of()).isIndex(1)).isTrue();
        assertRefused("conv2d", List.of(0.0, 0.0), Map.of("stride", 0.0), "conv2d: stride must be at least 1, not 0");
        assertRefused("conv2d", List.of(0.0), Map.of(), "conv2d: takes x, w and an optional bias b (conv2d(x, w, b, stride=1, padding=0)), not 1 argument");
        assertRefused("maxpool2d", List.of(0.0, 1.5), Map.of(), "maxpool2d: takes x and its window k, a whole-number constant at least 1 (maxpool2d(x, 2))");
        assertRefused("huber", List.of(0.0, 0.0), Map.of("delta", 0.0), "huber: delta must be above 0, not 0");
        assertRefused("batch_norm", List.of(0.0, 0.0, 0.0), Map.of("eps", -1.0), "batch_norm: eps must be a number at least 0, not -1");
        assertRefused("svm", List.of(0.0, 0.0), Map.of("delta", 1.0), "svm: delta is not a keyword of svm; it takes margin");
    }

    private static Op call(String function, List<Double> constants, Map<String, Object> keywords) {
        return Ops.build(new Ops.Call(function, constants, keywords));
    }

    private static void assertRefused(String function, List<Double> constants, Map<String, Object> keywords, String message) {
        assertThatThrownBy(() -> call(function, constants, keywords)).isInstanceOf(Ops.BadCall.class).hasMessage(message);
    }

    @Test
    void callsAreWrittenWithTheKeywordsThatDifferFromTheirDefaults() {
        List<Formula> xw = List.of(Formula.sym("x"), Formula.sym("w"));
        assertThat(new Conv(2, 2, 1, false).apply(xw).text()).isEqualTo("conv2d(x, w, stride=2, padding=1)");
        assertThat(new Conv(1, 1, 0, false).apply(xw).text()).isEqualTo("conv1d(x, w)");
        assertThat(new Pool(true, 2, 2).apply(List.of(Formula.sym("x"), Formula.num(2))).text()).isEqualTo("maxpool2d(x, 2)");
        assertThat(new Pool(true, 2, 1).apply(List.of(Formula.sym("x"), Formula.num(2))).text()).isEqualTo("maxpool2d(x, 2, stride=1)");
        assertThat(ClassLoss.svm(2).apply(List.of(Formula.sym("S"), Formula.sym("y"))).text()).isEqualTo("svm(S, y, margin=2)");
        assertThat(EntryLoss.huber(0.5).apply(xw).text()).isEqualTo("huber(x, w, delta=0.5)");
        assertThat(new Norm(true, 1e-3).apply(List.of(Formula.sym("X"), Formula.sym("g"), Formula.sym("b"))).text())
                .isEqualTo("layer_norm(X, g, b, eps=0.001)");
    }
}
