package dev.chainrule.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Runs the forward pass, recording every intermediate value, then the backward pass as a chain of local
 * Jacobians: upstream gradient × local Jacobian = downstream gradient. Examples are the rows of each
 * activation matrix (B × n), so a batch costs a few matrix products per layer. Holds no state: one instance
 * serves every thread.
 */
public final class GradientEngine {

    /**
     * What to compute beside forward values and shape-convention gradients.
     *
     * @param withoutDerivativeOf the index of a dense layer whose local Jacobian ∂h/∂z is replaced by I in the
     *                            backward pass (δ = ∂J/∂h there), or -1 for none: the chain a student gets when they
     *                            leave that layer's f'(z) out, which the grader diagnoses. Only with steps off.
     */
    public record Options(boolean steps, boolean jacobianForm, int withoutDerivativeOf) {
        public static final Options DEFAULT = new Options(true, false);

        public Options {
            if (withoutDerivativeOf >= 0 && steps) {
                throw new IllegalArgumentException("a chain without a layer's f'(z) has no steps to show");
            }
        }

        public Options(boolean steps, boolean jacobianForm) {
            this(steps, jacobianForm, -1);
        }

        /** The true gradients, steps off, except that dense layer {@code layer}'s f'(z) is left out. */
        public static Options withoutDerivativeOf(int layer) {
            return new Options(false, false, layer);
        }
    }

    /** The forward record of one layer: its input and output rows (one row per example). */
    private record Cache(Layer layer, LayerNames names, double[][] in, double[][] z, double[][] out) {
    }

    /** One run of the network: the true input, or max-margin's corrupt one ({@code suffix} "_c"). */
    private record Pass(String suffix, double[][] input, List<Cache> caches) {
        double[][] output() {
            return caches.get(caches.size() - 1).out();
        }
    }

    /** ∂J/∂ of the quantities of one pass, rows per example, filled in from the top down. */
    private static final class PassGradients {
        final Map<String, double[][]> byName = new LinkedHashMap<>();
        double[][] upstream; // ∂J/∂(output of the layer being walked)
    }

    public Gradients compute(Problem problem) {
        return compute(problem, Options.DEFAULT);
    }

    public Gradients compute(Problem problem, Options options) {
        return compute(problem, options, Deadline.NONE);
    }

    /** The same, stopping between layers once {@code deadline} says so ({@link Deadline.Exceeded}). */
    public Gradients compute(Problem problem, Options options, Deadline deadline) {
        List<LayerNames> names = LayerNames.of(problem.layers());
        int examples = problem.examples();
        List<Pass> passes = new ArrayList<>();
        passes.add(run(problem.layers(), names, problem.inputs(), "", deadline));
        double[] corruptScores = null;
        if (problem.loss() instanceof Loss.MaxMargin mm) {
            Pass corrupt = run(problem.layers(), names, mm.corruptInputs(), "_c", deadline);
            passes.add(corrupt);
            corruptScores = column(corrupt.output(), 0);
        }

        // J = Σₖ Jₖ, or (1/N) Σₖ Jₖ with a batch's mean
        double scale = problem.batched() && problem.reduction() == Reduction.MEAN ? 1.0 / examples : 1.0;
        double[][] output = passes.get(0).output();
        double loss = 0;
        for (int k = 0; k < examples; k++) {
            loss += problem.loss().value(output[k], k, corruptScores == null ? 0 : corruptScores[k]);
        }
        loss *= scale;

        Map<String, Tensor> forward = new LinkedHashMap<>();
        for (Pass pass : passes) {
            record(forward, "x" + pass.suffix, pass.input, problem.batched(), false);
            for (Cache cache : pass.caches) {
                recordLayer(forward, cache, pass.suffix, problem.batched());
            }
        }
        forward.put("J", Tensor.scalar(loss));
        requireFinite("forward", forward);

        StepRecorder steps = options.steps() ? new StepRecorder(problem.batched(), examples) : null;
        List<PassGradients> grads = new ArrayList<>();
        for (Pass pass : passes) {
            grads.add(new PassGradients());
        }
        seedLoss(problem, passes, grads, corruptScores, scale, steps);

        Map<String, Tensor> parameterGradients = new LinkedHashMap<>();
        for (int i = problem.layers().size() - 1; i >= 0; i--) {
            deadline.check();
            backwardLayer(i, problem.layers().get(i), names.get(i), passes, grads, parameterGradients, steps,
                    i == options.withoutDerivativeOf());
        }

        Map<String, Tensor> gradients = new LinkedHashMap<>();
        gradients.put("J", Tensor.scalar(1.0));
        for (int p = 0; p < passes.size(); p++) {
            Pass pass = passes.get(p);
            Map<String, double[][]> g = grads.get(p).byName;
            record(gradients, "x" + pass.suffix, g.get("x" + pass.suffix), problem.batched(), false);
            for (Cache cache : pass.caches) {
                LayerNames n = cache.names;
                if (cache.layer instanceof Layer.Dense) {
                    record(gradients, n.z() + pass.suffix, g.get(n.z() + pass.suffix), problem.batched(), false);
                    record(gradients, n.h() + pass.suffix, g.get(n.h() + pass.suffix), problem.batched(), false);
                } else {
                    record(gradients, "s" + pass.suffix, g.get("s" + pass.suffix), problem.batched(), true);
                }
            }
        }
        // parameters in layer order
        for (LayerNames n : names) {
            for (String parameter : n.parameters()) {
                Tensor t = parameterGradients.get(parameter);
                if (t != null) {
                    gradients.put(parameter, t);
                }
            }
        }
        requireFinite("gradients", gradients);

        Map<String, Tensor> jacobian = options.jacobianForm() ? jacobianForm(gradients, forward, problem.batched()) : null;
        return new Gradients(forward, gradients, jacobian, steps == null ? null : steps.steps());
    }

    // ---- forward ----

    private static Pass run(List<Layer> layers, List<LayerNames> names, double[][] input, String suffix,
            Deadline deadline) {
        List<Cache> caches = new ArrayList<>(layers.size());
        double[][] a = input;
        for (int i = 0; i < layers.size(); i++) {
            deadline.check();
            Layer layer = layers.get(i);
            if (layer instanceof Layer.Dense dense) {
                // z = W·a + b for each example: Z = A·Wᵀ + 1bᵀ
                double[][] z = multiplyTransposed(a, dense.weights());
                if (dense.hasBias()) {
                    for (double[] row : z) {
                        for (int j = 0; j < row.length; j++) {
                            row[j] += dense.biasAt(j);
                        }
                    }
                }
                double[][] h = new double[z.length][z[0].length];
                for (int k = 0; k < z.length; k++) {
                    dense.activation().forward(z[k], h[k], dense.alpha());
                }
                caches.add(new Cache(layer, names.get(i), a, z, h));
                a = h;
            } else {
                Layer.Score score = (Layer.Score) layer;
                // s = uᵀ·a for each example
                double[][] s = new double[a.length][1];
                for (int k = 0; k < a.length; k++) {
                    double sum = 0;
                    for (int j = 0; j < a[k].length; j++) {
                        sum += score.uAt(j) * a[k][j];
                    }
                    s[k][0] = sum;
                }
                caches.add(new Cache(layer, names.get(i), a, null, s));
                a = s;
            }
        }
        return new Pass(suffix, input, caches);
    }

    /** A·Wᵀ (rows of A are examples): W's rows are read straight from its Commons Math matrix. */
    private static double[][] multiplyTransposed(double[][] a, RealMatrix w) {
        return Kernels.multiply(a, Kernels.transpose(rows(w)));
    }

    /** The rows of W without a copy where Commons Math keeps them as an array. */
    private static double[][] rows(RealMatrix w) {
        return w instanceof Array2DRowRealMatrix array ? array.getDataRef() : w.getData();
    }

    // ---- backward ----

    private static void seedLoss(Problem problem, List<Pass> passes, List<PassGradients> grads, double[] corruptScores,
            double scale, StepRecorder steps) {
        Pass main = passes.get(0);
        double[][] output = main.output();
        int k = output.length;
        int width = output[0].length;
        double[][] g = new double[k][width];
        for (int e = 0; e < k; e++) {
            problem.loss().gradient(output[e], e, corruptScores == null ? 0 : corruptScores[e], g[e]);
            for (int j = 0; j < width; j++) {
                g[e][j] *= scale;
            }
        }
        String outName = outputName(main);
        grads.get(0).upstream = g;
        grads.get(0).byName.put(outName, g);
        if (steps != null) {
            steps.loss(problem, outName, g, scale, "");
        }
        if (passes.size() > 1) {
            Pass corrupt = passes.get(1);
            // ∂J/∂s_c = −∂J/∂s: J = max(0, margin − s + s_c)
            double[][] gc = new double[k][1];
            for (int e = 0; e < k; e++) {
                gc[e][0] = 0.0 - g[e][0]; // 0.0 − g, not −g: no −0.0 where the hinge is flat
            }
            String cName = outputName(corrupt);
            grads.get(1).upstream = gc;
            grads.get(1).byName.put(cName, gc);
            if (steps != null) {
                steps.loss(problem, cName, gc, scale, "_c");
            }
        }
    }

    private static String outputName(Pass pass) {
        Cache last = pass.caches.get(pass.caches.size() - 1);
        return (last.layer instanceof Layer.Score ? "s" : last.names.h()) + pass.suffix;
    }

    private static void backwardLayer(int index, Layer layer, LayerNames names, List<Pass> passes,
            List<PassGradients> grads, Map<String, Tensor> parameterGradients, StepRecorder steps,
            boolean withoutDerivative) {
        List<Cache> caches = new ArrayList<>();
        for (Pass pass : passes) {
            caches.add(pass.caches.get(index));
        }
        if (layer instanceof Layer.Dense dense) {
            List<double[][]> deltas = new ArrayList<>();
            for (int p = 0; p < passes.size(); p++) {
                Cache c = caches.get(p);
                double[][] upstream = grads.get(p).upstream;
                // δ = ∂J/∂z = ∂J/∂h · ∂h/∂z
                double[][] delta = new double[upstream.length][upstream[0].length];
                for (int e = 0; e < upstream.length; e++) {
                    if (withoutDerivative) {
                        System.arraycopy(upstream[e], 0, delta[e], 0, delta[e].length); // ∂h/∂z taken as I
                    } else {
                        dense.activation().backward(c.z[e], c.out[e], upstream[e], delta[e], dense.alpha());
                    }
                }
                grads.get(p).byName.put(names.z() + passes.get(p).suffix, delta);
                deltas.add(delta);
                if (steps != null) {
                    steps.activation(dense, names, passes.get(p).suffix, c.z, c.out, upstream, delta);
                }
            }
            // ∂J/∂W = Σ δᵀxᵀ over examples and passes; ∂J/∂b = Σ δ
            int m = dense.outputSize();
            int d = dense.inputSize();
            double[][] gw = new double[m][d];
            double[] gb = new double[m];
            for (int p = 0; p < passes.size(); p++) {
                Kernels.addTransposeMultiply(deltas.get(p), caches.get(p).in, gw);
                for (double[] row : deltas.get(p)) {
                    for (int j = 0; j < m; j++) {
                        gb[j] += row[j];
                    }
                }
            }
            parameterGradients.put(names.w(), Tensor.matrix(gw));
            if (dense.hasBias()) {
                parameterGradients.put(names.b(), Tensor.vector(gb));
            }
            if (steps != null) {
                steps.weights(names, inputs(caches), deltas, parameterGradients.get(names.w()));
                if (dense.hasBias()) {
                    steps.bias(names, deltas, gb);
                }
            }
            // ∂J/∂in = δ · W
            for (int p = 0; p < passes.size(); p++) {
                double[][] down = Kernels.multiply(deltas.get(p), rows(dense.weights()));
                String inName = names.input() + passes.get(p).suffix;
                grads.get(p).byName.put(inName, down);
                grads.get(p).upstream = down;
                if (steps != null) {
                    steps.input(names, passes.get(p).suffix, inName, deltas.get(p), dense.weights(), down);
                }
            }
        } else {
            Layer.Score score = (Layer.Score) layer;
            int n = score.inputSize();
            double[] gu = new double[n];
            List<double[][]> downs = new ArrayList<>();
            List<double[][]> scoreGradients = new ArrayList<>();
            for (int p = 0; p < passes.size(); p++) {
                double[][] gs = grads.get(p).upstream;
                scoreGradients.add(gs);
                double[][] in = caches.get(p).in;
                // ∂J/∂h = ∂J/∂s · uᵀ
                double[][] down = new double[gs.length][n];
                for (int e = 0; e < gs.length; e++) {
                    for (int j = 0; j < n; j++) {
                        down[e][j] = gs[e][0] * score.uAt(j);
                        gu[j] += gs[e][0] * in[e][j]; // ∂J/∂u = Σ ∂J/∂s · h
                    }
                }
                downs.add(down);
            }
            parameterGradients.put("u", Tensor.vector(gu));
            for (int p = 0; p < passes.size(); p++) {
                String inName = names.input() + passes.get(p).suffix;
                grads.get(p).byName.put(inName, downs.get(p));
                if (steps != null) {
                    steps.scoreInput(passes.get(p).suffix, inName, grads.get(p).upstream, score.u(), downs.get(p));
                }
                grads.get(p).upstream = downs.get(p);
            }
            if (steps != null) {
                steps.scoreWeights(names, inputs(caches), scoreGradients, gu);
            }
        }
    }

    private static List<double[][]> inputs(List<Cache> caches) {
        List<double[][]> inputs = new ArrayList<>(caches.size());
        for (Cache c : caches) {
            inputs.add(c.in);
        }
        return inputs;
    }

    // ---- recording ----

    private static void recordLayer(Map<String, Tensor> forward, Cache cache, String suffix, boolean batched) {
        if (cache.layer instanceof Layer.Dense) {
            record(forward, cache.names.z() + suffix, cache.z, batched, false);
            record(forward, cache.names.h() + suffix, cache.out, batched, false);
        } else {
            record(forward, "s" + suffix, cache.out, batched, true);
        }
    }

    /** Rows per example as a tensor: [n] (or a scalar) alone, [B, n] (or [B]) with a batch. */
    static void record(Map<String, Tensor> into, String name, double[][] rows, boolean batched, boolean scalar) {
        if (rows == null) {
            return;
        }
        into.put(name, rowsTensor(rows, batched, scalar));
    }

    static Tensor rowsTensor(double[][] rows, boolean batched, boolean scalar) {
        int width = rows[0].length;
        double[] data = new double[rows.length * width];
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(rows[k], 0, data, k * width, width);
        }
        if (batched) {
            return scalar ? Tensor.of(new int[] {rows.length}, data) : Tensor.of(new int[] {rows.length, width}, data);
        }
        return scalar ? Tensor.of(new int[0], data) : Tensor.of(new int[] {width}, data);
    }

    private static double[] column(double[][] rows, int j) {
        double[] c = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            c[k] = rows[k][j];
        }
        return c;
    }

    private static void requireFinite(String section, Map<String, Tensor> values) {
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            if (e.getValue().firstNonFinite() >= 0) {
                throw new NonFiniteException(section + "." + e.getKey());
            }
        }
    }

    /**
     * Jacobian form: ∂J/∂v for a vector v of n entries is a 1×n row; for an m×n matrix the 1×(m·n) row of its
     * row-major entries; a scalar's stays a number. With a batch, per-example quantities keep one entry per example.
     */
    private static Map<String, Tensor> jacobianForm(Map<String, Tensor> gradients, Map<String, Tensor> forward,
            boolean batched) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : gradients.entrySet()) {
            Tensor g = e.getValue();
            boolean perExample = batched && forward.containsKey(e.getKey()) && !e.getKey().equals("J");
            if (perExample) {
                int examples = g.dim(0);
                int width = g.size() / examples;
                out.put(e.getKey(), g.rank() == 1 ? g : g.reshape(examples, 1, width));
            } else {
                out.put(e.getKey(), g.rank() == 0 ? g : g.reshape(1, g.size()));
            }
        }
        return out;
    }
}
