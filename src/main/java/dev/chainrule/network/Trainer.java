package dev.chainrule.network;

import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Gradient descent on a problem: {@code steps} times θ ← θ − α·∂J/∂θ for every parameter. With a batch size
 * smaller than the batch, each step uses the next mini-batch of a shuffled order of the examples (reshuffled after
 * each pass over them) drawn from {@code java.util.Random(seed)}, whose sequence Java fixes: the same request gives
 * the same answer on every machine.
 */
public final class Trainer {

    /**
     * @param batchSize examples per step, or null (or ≥ the batch) for the whole batch every step
     */
    public record Settings(double learningRate, int steps, Integer batchSize, long seed) {
    }

    /**
     * @param lossCurve J on the whole batch before training (entry 0) and after every step (entry t after t steps)
     * @param layers    the trained network
     * @param answer    the engine's answer on the whole batch with the trained network
     */
    public record Result(double[] lossCurve, List<Layer> layers, Gradients answer) {
        public Map<String, Tensor> parameters() {
            return Sgd.parameters(layers);
        }
    }

    private static final GradientEngine.Options PLAIN = new GradientEngine.Options(false, false);

    private final GradientEngine engine;

    public Trainer(GradientEngine engine) {
        this.engine = engine;
    }

    public Result train(Problem problem, Settings settings) {
        return train(problem, settings, Deadline.NONE);
    }

    /** The same, stopping between (and within) steps once {@code deadline} says so. */
    public Result train(Problem problem, Settings settings, Deadline deadline) {
        int n = problem.examples();
        boolean mini = settings.batchSize() != null && settings.batchSize() < n;
        double[] curve = new double[settings.steps() + 1];
        Random random = new Random(settings.seed());
        int[] order = identity(n);
        int next = n; // forces a shuffle before the first mini-batch
        Problem current = problem;
        for (int t = 0; t < settings.steps(); t++) {
            Gradients g;
            if (mini) {
                curve[t] = engine.compute(current, PLAIN, deadline).loss();
                if (next >= n) {
                    shuffle(order, random);
                    next = 0;
                }
                int size = Math.min(settings.batchSize(), n - next);
                int[] chosen = new int[size];
                System.arraycopy(order, next, chosen, 0, size);
                next += size;
                g = engine.compute(select(current, chosen), PLAIN, deadline);
            } else {
                g = engine.compute(current, PLAIN, deadline);
                curve[t] = g.loss();
            }
            current = current.withLayers(Sgd.update(current.layers(), g.gradients(), settings.learningRate()));
        }
        Gradients last = engine.compute(current, PLAIN, deadline);
        curve[settings.steps()] = last.loss();
        return new Result(curve, current.layers(), last);
    }

    /** The problem on the examples {@code chosen}, in that order, with their targets and per-example settings. */
    static Problem select(Problem problem, int[] chosen) {
        return problem.select(chosen);
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Fisher–Yates. */
    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
