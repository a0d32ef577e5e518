package dev.chainrule.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.engine.Step;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A seeded property test over random networks that mix every kind of layer (an embedding first or not, then dense,
 * layer_norm and dropout layers in any order, a score last or not) under every loss, single inputs and batches with
 * both reductions, with and without L2: each checked whole against central differences of J for every parameter
 * entry and every input entry, away from kinks. The steps too: one per gradient, each downstream the gradient it
 * names, and (one example) each non-parameter product step's downstream its upstream times its local Jacobian.
 */
class MixedNetworksPropertyTest {

    private static final int NETWORKS = 300;
    private static final double KINK_CLEARANCE = 1e-4;
    private final GradientEngine engine = new GradientEngine();

    @Test
    void backwardPassMatchesCentralDifferencesOnRandomNetworksOfEveryKind() {
        Random random = new Random(20261206L);
        int checked = 0;
        int entries = 0;
        Set<String> kinds = new java.util.TreeSet<>();
        Set<String> losses = new java.util.TreeSet<>();
        while (checked < NETWORKS) {
            Problem problem = randomProblem(random);
            if (!engine.kinks(problem, KINK_CLEARANCE).isEmpty() || flat(problem)) {
                continue; // a numeric derivative across a kink, or of a normalisation of near-equal entries, proves nothing
            }
            Gradients g = engine.compute(problem, new GradientEngine.Options(true, true));
            String label = "network #" + checked + " " + problem.layers().stream().map(Layer::type).toList() + " " + problem.loss().wireName();
            entries += checkAgainstFiniteDifferences(problem, g, label);
            checkSteps(problem, g, label);
            problem.layers().forEach(l -> kinds.add(l.type()));
            losses.add(problem.loss().wireName());
            checked++;
        }
        assertTrue(entries > NETWORKS * 10, "too few entries checked: " + entries);
        assertEquals(Set.of("dense", "dropout", "embedding", "layer_norm", "score"), kinds);
        assertEquals(7, losses.size(), losses.toString());
    }

    private int checkAgainstFiniteDifferences(Problem p, Gradients g, String label) {
        int count = 0;
        List<LayerNames> names = LayerNames.of(p.layers());
        for (int li = 0; li < p.layers().size(); li++) {
            Layer layer = p.layers().get(li);
            int index = li;
            for (Map.Entry<String, Tensor> parameter : layer.parameters().entrySet()) {
                String name = names.get(li).of(parameter.getKey());
                Tensor theta = parameter.getValue();
                for (int i = 0; i < theta.size(); i++) {
                    int fi = i;
                    double numeric = BackpropPropertyTest.central(theta.get(i), v -> {
                        double[] copy = theta.toArray();
                        copy[fi] = v;
                        Map<String, Tensor> nudged = new LinkedHashMap<>(layer.parameters());
                        nudged.put(parameter.getKey(), Tensor.of(theta.shape(), copy));
                        List<Layer> layers = new ArrayList<>(p.layers());
                        layers.set(index, layer.withParameters(nudged));
                        return loss(p.withLayers(layers));
                    });
                    assertClose(label + " " + name + "[" + i + "]", g.gradients().get(name).get(i), numeric);
                    count++;
                }
            }
        }
        if (p.differentiableInput()) {
            count += inputs(p.inputs(), g.gradients().get("x"), label + " x", rows -> loss(p.withInputs(rows)));
            if (p.loss().corruptInputs() != null) {
                count += inputs(p.loss().corruptInputs(), g.gradients().get("x_c"), label + " x_c", rows -> loss(
                        new Problem(p.layers(), p.inputs(), p.batched(), p.loss().withCorruptInputs(rows), p.reduction(), p.l2())));
            }
        }
        return count;
    }

    private int inputs(double[][] rows, Tensor gradient, String label, java.util.function.ToDoubleFunction<double[][]> j) {
        int count = 0;
        for (int k = 0; k < rows.length; k++) {
            for (int i = 0; i < rows[k].length; i++) {
                int fk = k;
                int fi = i;
                double numeric = BackpropPropertyTest.central(rows[k][i], v -> {
                    double[][] copy = new double[rows.length][];
                    for (int r = 0; r < rows.length; r++) {
                        copy[r] = rows[r].clone();
                    }
                    copy[fk][fi] = v;
                    return j.applyAsDouble(copy);
                });
                assertClose(label + "[" + k + "][" + i + "]", gradient.get(k * rows[k].length + i), numeric);
                count++;
            }
        }
        return count;
    }

    private void checkSteps(Problem p, Gradients g, String label) {
        Map<String, Tensor> gradients = g.gradients();
        for (Step step : g.steps()) {
            Tensor expected = gradients.get(step.gradient());
            boolean penalised = g.steps().stream().anyMatch(s -> s.gradient().equals(step.gradient()) && s.kind() == Step.Kind.SUM);
            if (!penalised || step.kind() == Step.Kind.SUM) {
                assertArrayEquals(expected.toArray(), step.downstream().value().toArray(), 1e-12, label + " step " + step.formula());
            }
            boolean parameter = !g.forward().containsKey(step.gradient());
            if (!p.batched() && !parameter && step.kind() == Step.Kind.PRODUCT && step.upstream().value().rank() > 0) {
                assertArrayEquals(step.downstream().value().toArray(), BackpropPropertyTest.multiply(step.upstream().value(), step.local().value()),
                        1e-12, label + " upstream × local for " + step.formula());
            }
        }
        long distinct = g.steps().stream().map(Step::gradient).distinct().count();
        assertEquals(gradients.size() - 1 - (p.regularized() ? 1 : 0), distinct, label + ": one step per gradient but J's (and R's)");
    }

    private double loss(Problem p) {
        return engine.compute(p, new GradientEngine.Options(false, false)).loss();
    }

    private static void assertClose(String what, double analytic, double numeric) {
        double diff = Math.abs(analytic - numeric);
        double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
        assertTrue(diff <= 2e-6 * scale || diff < 1e-7,
                what + ": backprop " + analytic + " vs central difference " + numeric + " (relative error " + diff / scale + ")");
    }

    /** True when a layer_norm normalises entries so close together that its derivative is all but singular. */
    private boolean flat(Problem p) {
        Gradients g = engine.compute(p, new GradientEngine.Options(false, false));
        List<LayerNames> names = LayerNames.of(p.layers());
        for (int i = 0; i < p.layers().size(); i++) {
            if (p.layers().get(i) instanceof LayerNorm) {
                Tensor in = g.forward().get(names.get(i).input());
                if (in == null) {
                    continue;
                }
                int w = p.layers().get(i).inputSize();
                for (int e = 0; e < in.size() / w; e++) {
                    double mean = 0;
                    double square = 0;
                    for (int j = 0; j < w; j++) {
                        mean += in.get(e * w + j) / w;
                    }
                    for (int j = 0; j < w; j++) {
                        square += Math.pow(in.get(e * w + j) - mean, 2) / w;
                    }
                    if (square < 0.01) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // ---- random problems ----

    private static final List<String> LOSSES = List.of("score", "squared_error", "softmax_cross_entropy",
            "binary_cross_entropy", "max_margin", "mse", "multiclass_svm");

    static Problem randomProblem(Random r) {
        String loss = LOSSES.get(r.nextInt(LOSSES.size()));
        boolean embedding = !loss.equals("max_margin") && r.nextInt(3) == 0;
        boolean scalar = loss.equals("score") || loss.equals("max_margin") || loss.equals("binary_cross_entropy");
        boolean classes = loss.equals("softmax_cross_entropy") || loss.equals("multiclass_svm");
        boolean score = loss.equals("score") || loss.equals("max_margin") || (!classes && r.nextInt(4) == 0);
        boolean batched = r.nextBoolean();
        int examples = batched ? 1 + r.nextInt(3) : 1;
        List<Layer> layers = new ArrayList<>();
        double[][] inputs;
        int width;
        if (embedding) {
            int vocabulary = 3 + r.nextInt(4);
            int dim = 1 + r.nextInt(3);
            int window = 1 + r.nextInt(3);
            layers.add(new Embedding(Tensor.matrix(gaussian(r, vocabulary, dim, 1)), window));
            inputs = new double[examples][window];
            for (double[] row : inputs) {
                for (int i = 0; i < window; i++) {
                    row[i] = r.nextInt(vocabulary);
                }
            }
            width = window * dim;
        } else {
            width = 2 + r.nextInt(4);
            inputs = gaussian(r, examples, width, 1);
        }
        int middle = 1 + r.nextInt(4);
        EnumSet<Activation> smooth = EnumSet.complementOf(EnumSet.of(Activation.RELU, Activation.LEAKY_RELU, Activation.HARDTANH));
        for (int l = 0; l < middle; l++) {
            boolean last = l == middle - 1;
            int kind = last && !score ? 0 : r.nextInt(3);
            if (kind == 1 && width >= 2) {
                layers.add(new LayerNorm(r.nextBoolean() ? Tensor.vector(gaussian(r, 1, width, 0.5)[0]).map(v -> 1 + v) : null,
                        r.nextBoolean() ? Tensor.vector(gaussian(r, 1, width, 0.5)[0]) : null, r.nextBoolean() ? 1e-5 : 1e-3, width));
            } else if (kind == 2) {
                double[][] mask = new double[examples][width];
                for (double[] row : mask) {
                    for (int i = 0; i < width; i++) {
                        row[i] = r.nextInt(4) == 0 ? 0 : 1;
                    }
                }
                layers.add(new Dropout(batched ? Tensor.matrix(mask) : Tensor.vector(mask[0]), r.nextDouble() * 0.6, width));
            } else {
                int out = last && !score ? (scalar ? 1 : classes ? 2 + r.nextInt(3) : 1 + r.nextInt(4)) : 1 + r.nextInt(5);
                if (out == 1 && classes) {
                    out = 2;
                }
                Activation f = Activation.values()[r.nextInt(Activation.values().length)];
                if (r.nextInt(3) > 0 && !smooth.contains(f)) {
                    f = Activation.TANH; // kinked activations, but less often: most of their draws land near no kink
                }
                layers.add(new Dense(gaussian(r, out, width, 1.5 / Math.sqrt(width)), r.nextInt(5) > 0 ? gaussian(r, 1, out, 0.5)[0] : null,
                        f, f == Activation.LEAKY_RELU ? r.nextDouble() * 0.3 : Activation.DEFAULT_ALPHA));
                width = out;
            }
        }
        if (score) {
            layers.add(new Score(gaussian(r, 1, width, 1)[0]));
            width = 1;
        }
        int outWidth = width;
        Loss l = switch (loss) {
            case "score" -> new ScoreLoss();
            case "squared_error" -> new SquaredError(gaussian(r, examples, outWidth, 1));
            case "mse" -> new Mse(gaussian(r, examples, outWidth, 1));
            case "softmax_cross_entropy" -> {
                double[][] y = new double[examples][outWidth];
                for (double[] row : y) {
                    row[r.nextInt(outWidth)] = 1.0;
                }
                yield new SoftmaxCrossEntropy(y);
            }
            case "multiclass_svm" -> {
                int[] y = new int[examples];
                for (int k = 0; k < examples; k++) {
                    y[k] = r.nextInt(outWidth);
                }
                yield new MulticlassSvm(y, r.nextBoolean() ? 1.0 : r.nextDouble() * 2);
            }
            case "binary_cross_entropy" -> {
                double[] y = new double[examples];
                for (int k = 0; k < examples; k++) {
                    y[k] = r.nextDouble();
                }
                yield new BinaryCrossEntropy(y);
            }
            default -> new MaxMargin(gaussian(r, examples, inputs[0].length, 1), 0.5 + r.nextDouble() * 2);
        };
        return new Problem(layers, inputs, batched, l, r.nextBoolean() ? Reduction.MEAN : Reduction.SUM,
                r.nextInt(4) == 0 ? 0.01 + r.nextDouble() * 0.1 : 0.0);
    }

    private static double[][] gaussian(Random r, int rows, int cols, double scale) {
        double[][] out = new double[rows][cols];
        for (double[] row : out) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextGaussian() * scale;
            }
        }
        return out;
    }
}
