package dev.chainrule.network;

import dev.chainrule.engine.Step;
import dev.chainrule.engine.Tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * A seeded property test: random networks (depths, widths, every activation, every loss, single inputs and
 * batches with both reductions), each checked whole against central finite differences of J: every parameter
 * entry and every input entry. The steps are checked too: each non-parameter step's downstream is its upstream
 * times its local Jacobian, and each step's downstream is the gradient it names.
 */
class BackpropPropertyTest {

    private static final int NETWORKS = 500;
    private static final double KINK_CLEARANCE = 1e-4;
    private final GradientEngine engine = new GradientEngine();

    @Test
    void backwardPassMatchesCentralDifferencesOnRandomNetworks() {
        Random random = new Random(20261125L);
        int checked = 0;
        int entries = 0;
        while (checked < NETWORKS) {
            Problem problem = randomProblem(random);
            Gradients g = engine.compute(problem, new GradientEngine.Options(true, true));
            if (nearKink(problem, g)) {
                continue; // a numeric derivative across a kink proves nothing
            }
            entries += checkAgainstFiniteDifferences(problem, g, "network #" + checked);
            checkSteps(problem, g, "network #" + checked);
            checked++;
        }
        assertTrue(entries > NETWORKS * 10, "too few entries checked: " + entries);
    }

    private int checkAgainstFiniteDifferences(Problem p, Gradients g, String label) {
        int count = 0;
        List<LayerNames> names = LayerNames.of(p.layers());
        for (int li = 0; li < p.layers().size(); li++) {
            Layer layer = p.layers().get(li);
            final int index = li;
            for (Map.Entry<String, Tensor> parameter : layer.parameters().entrySet()) {
                String name = names.get(li).of(parameter.getKey());
                Tensor theta = parameter.getValue();
                Tensor gradient = g.gradients().get(name);
                for (int i = 0; i < theta.size(); i++) {
                    final int fi = i;
                    double numeric = central(theta.get(i), v -> {
                        double[] copy = theta.toArray();
                        copy[fi] = v;
                        Map<String, Tensor> nudged = new java.util.LinkedHashMap<>(layer.parameters());
                        nudged.put(parameter.getKey(), Tensor.of(theta.shape(), copy));
                        return loss(p, index, layer.withParameters(nudged));
                    });
                    assertClose(label + " " + name + "[" + i + "]", gradient.get(i), numeric);
                    count++;
                }
            }
        }
        // the inputs: ∂J/∂x, per example with a batch
        Tensor gx = g.gradients().get("x");
        double[][] inputs = p.inputs();
        for (int k = 0; k < inputs.length; k++) {
            for (int j = 0; j < inputs[k].length; j++) {
                final int fk = k;
                final int fj = j;
                double numeric = central(inputs[k][j], v -> {
                    double[][] copy = deepCopy(inputs);
                    copy[fk][fj] = v;
                    return engine.compute(p.withInputs(copy), new GradientEngine.Options(false, false)).loss();
                });
                assertClose(label + " x[" + k + "][" + j + "]", gx.get(k * inputs[k].length + j), numeric);
                count++;
            }
        }
        if (p.loss() instanceof MaxMargin mm) {
            Tensor gxc = g.gradients().get("x_c");
            double[][] corrupt = mm.corruptInputs();
            for (int k = 0; k < corrupt.length; k++) {
                for (int j = 0; j < corrupt[k].length; j++) {
                    final int fk = k;
                    final int fj = j;
                    double numeric = central(corrupt[k][j], v -> {
                        double[][] copy = deepCopy(corrupt);
                        copy[fk][fj] = v;
                        Problem changed = new Problem(p.layers(), p.inputs(), p.batched(), new MaxMargin(copy, mm.margin()), p.reduction());
                        return engine.compute(changed, new GradientEngine.Options(false, false)).loss();
                    });
                    assertClose(label + " x_c[" + k + "][" + j + "]", gxc.get(k * corrupt[k].length + j), numeric);
                    count++;
                }
            }
        }
        return count;
    }

    private void checkSteps(Problem p, Gradients g, String label) {
        Map<String, Tensor> gradients = g.gradients();
        for (Step step : g.steps()) {
            Tensor expected = gradients.get(step.gradient());
            Tensor down = step.downstream().value();
            assertArrayEquals(expected.toArray(), down.toArray(), 1e-12, label + " step " + step.formula());
            boolean parameter = !g.forward().containsKey(step.gradient());
            if (!p.batched() && !parameter && step.upstream().value().rank() > 0 && !(p.loss() instanceof MaxMargin)) {
                // downstream = upstream × local, literally
                double[] product = multiply(step.upstream().value(), step.local().value());
                assertArrayEquals(down.toArray(), product, 1e-12, label + " upstream × local for " + step.formula());
            }
        }
        // one step per gradient but J's own, where the chain starts
        assertEquals(gradients.size() - 1, g.steps().stream().map(Step::gradient).distinct().count(),
                label + ": one step per gradient");
        assertEquals(g.steps().size(), g.steps().stream().map(Step::gradient).distinct().count(), label + ": no gradient twice");
    }

    static double[] multiply(Tensor row, Tensor local) {
        int n = row.size();
        int cols = local.rank() == 2 ? local.dim(1) : local.size();
        int rows = local.rank() == 2 ? local.dim(0) : 1;
        assertEquals(n, rows, "upstream width vs local rows");
        double[] out = new double[cols];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < n; i++) {
                out[j] += row.get(i) * local.get(i * cols + j);
            }
        }
        return out;
    }

    private double loss(Problem p, int index, Layer replacement) {
        List<Layer> layers = new ArrayList<>(p.layers());
        layers.set(index, replacement);
        return engine.compute(p.withLayers(layers), new GradientEngine.Options(false, false)).loss();
    }

    static double central(double at, ToDoubleFunction<Double> f) {
        double h = 1e-6 * Math.max(1.0, Math.abs(at));
        return (f.applyAsDouble(at + h) - f.applyAsDouble(at - h)) / (2 * h);
    }

    private static void assertClose(String what, double analytic, double numeric) {
        double diff = Math.abs(analytic - numeric);
        double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
        assertTrue(diff <= 1e-6 * scale || diff < 1e-8,
                what + ": backprop " + analytic + " vs central difference " + numeric + " (relative error " + diff / scale + ")");
    }

    private boolean nearKink(Problem p, Gradients g) {
        return !engine.kinks(p, KINK_CLEARANCE).isEmpty();
    }

    // ---- random problems ----

    static Problem randomProblem(Random r) {
        String[] losses = {"score", "squared_error", "softmax_cross_entropy", "binary_cross_entropy", "max_margin"};
        String loss = losses[r.nextInt(losses.length)];
        boolean needsScalar = loss.equals("score") || loss.equals("max_margin") || loss.equals("binary_cross_entropy");
        boolean score = loss.equals("score") || loss.equals("max_margin") || (needsScalar && r.nextBoolean()) || r.nextInt(4) == 0;
        int depth = 1 + r.nextInt(4);
        int width = 1 + r.nextInt(6);
        List<Layer> layers = new ArrayList<>();
        int in = width;
        for (int l = 0; l < depth; l++) {
            boolean last = l == depth - 1;
            int out = last && needsScalar && !score ? 1 : 1 + r.nextInt(6);
            double scale = 1.5 / Math.sqrt(in);
            double[][] w = new double[out][in];
            for (double[] row : w) {
                for (int j = 0; j < in; j++) {
                    row[j] = r.nextGaussian() * scale;
                }
            }
            double[] b = null;
            if (r.nextInt(5) > 0) {
                b = new double[out];
                for (int i = 0; i < out; i++) {
                    b[i] = r.nextGaussian() * 0.5;
                }
            }
            Activation f = Activation.values()[r.nextInt(Activation.values().length)];
            layers.add(new Dense(w, b, f, f == Activation.LEAKY_RELU ? r.nextDouble() * 0.3 : Activation.DEFAULT_ALPHA));
            in = out;
        }
        if (score) {
            double[] u = new double[in];
            for (int i = 0; i < in; i++) {
                u[i] = r.nextGaussian();
            }
            layers.add(new Score(u));
        }
        int outWidth = score ? 1 : in;
        boolean batched = r.nextBoolean();
        int examples = batched ? 1 + r.nextInt(4) : 1;
        double[][] inputs = randomRows(r, examples, width);
        Loss l = switch (loss) {
            case "score" -> new ScoreLoss();
            case "squared_error" -> new SquaredError(randomRows(r, examples, outWidth));
            case "softmax_cross_entropy" -> {
                double[][] y = new double[examples][outWidth];
                for (double[] row : y) {
                    if (r.nextBoolean()) {
                        row[r.nextInt(outWidth)] = 1.0;
                    } else {
                        double sum = 0;
                        for (int i = 0; i < outWidth; i++) {
                            row[i] = r.nextDouble();
                            sum += row[i];
                        }
                        for (int i = 0; i < outWidth; i++) {
                            row[i] /= sum;
                        }
                    }
                }
                yield new SoftmaxCrossEntropy(y);
            }
            case "binary_cross_entropy" -> {
                double[] y = new double[examples];
                for (int k = 0; k < examples; k++) {
                    y[k] = r.nextBoolean() ? r.nextInt(2) : r.nextDouble();
                }
                yield new BinaryCrossEntropy(y);
            }
            default -> new MaxMargin(randomRows(r, examples, width), 0.5 + r.nextDouble() * 2);
        };
        return new Problem(layers, inputs, batched, l, r.nextBoolean() ? Reduction.MEAN : Reduction.SUM);
    }

    private static double[][] randomRows(Random r, int rows, int width) {
        double[][] out = new double[rows][width];
        for (double[] row : out) {
            for (int j = 0; j < width; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return out;
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }
}
