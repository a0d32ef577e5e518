package dev.chainrule.network;

import dev.chainrule.engine.Backprop;
import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.NonFiniteException;
import dev.chainrule.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes a network's forward values, gradients and steps on the computational graph: the network is compiled
 * onto it ({@link NetworkGraph}, with the lecture's names), the one backward walk ({@link Backprop}) accumulates
 * every gradient, and the walk's edges are written as the lecture's steps: upstream gradient × local Jacobian =
 * downstream gradient. Examples are the rows of each node (B × n), so a batch costs a few matrix products per
 * layer. Holds no state: one instance serves every thread.
 */
public final class GradientEngine {

    /**
     * What to compute beside forward values and shape-convention gradients.
     *
     * @param withoutDerivativeOf the index of a layer whose derivative a student may leave out ({@link Layer#leftOut}:
     *                            a dense layer's ∂h/∂z) that is replaced by I in the backward pass (δ = ∂J/∂h there),
     *                            or -1 for none: the chain a student gets when they leave that factor out, which the
     *                            grader diagnoses. Only with steps off.
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

        /** The true gradients, steps off, except that layer {@code layer}'s derivative is left out. */
        public static Options withoutDerivativeOf(int layer) {
            return new Options(false, false, layer);
        }
    }

    public Gradients compute(Problem problem) {
        return compute(problem, Options.DEFAULT);
    }

    public Gradients compute(Problem problem, Options options) {
        return compute(problem, options, Deadline.NONE);
    }

    /** The same, stopping between layers and between the backward walk's nodes once {@code deadline} says so. */
    public Gradients compute(Problem problem, Options options, Deadline deadline) {
        return solve(problem, options, deadline).gradients();
    }

    /** What was computed, with the graph's backward walk it came from (the grader reads the walk's edges). */
    public record Solved(Gradients gradients, Backprop.Result backward) {
    }

    public Solved solve(Problem problem, Options options, Deadline deadline) {
        NetworkGraph network = new NetworkGraph(problem, options.withoutDerivativeOf(), deadline);
        Map<String, Tensor> forward = network.forward();
        requireFinite("forward", forward);
        Backprop.Result result = Backprop.run(network.graph(), network.output(), deadline);
        Map<String, Tensor> gradients = network.gradients(result);
        requireFinite("gradients", gradients);
        Map<String, Tensor> jacobian = options.jacobianForm() ? jacobianForm(gradients, forward, problem.batched()) : null;
        return new Solved(new Gradients(forward, gradients, jacobian, options.steps() ? network.steps(result) : null), result);
    }

    /**
     * Where the point sits on a kink of one of the problem's ops, within {@code tolerance}: an activation's input
     * exactly at relu's 0 or hardtanh's ±1, a hinge exactly at 0 (see {@link NetworkGraph#kinks}).
     */
    public List<NetworkGraph.Kink> kinks(Problem problem, double tolerance) {
        return kinks(problem, tolerance, Deadline.NONE);
    }

    /** The same, stopping between layers once {@code deadline} says so. */
    public List<NetworkGraph.Kink> kinks(Problem problem, double tolerance, Deadline deadline) {
        return new NetworkGraph(problem, -1, deadline).kinks(tolerance);
    }

    /** Rows per example as a tensor: [n] (or a scalar) alone, [B, n] (or [B]) with a batch. */
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
            boolean perExample = batched && g.rank() > 0 && forward.containsKey(e.getKey()); // J and R are one number
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
