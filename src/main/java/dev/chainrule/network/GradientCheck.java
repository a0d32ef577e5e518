package dev.chainrule.network;

import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the engine's gradients with central differences (fourth order, see {@link #centralDifference}) entry by
 * entry, for every
 * parameter and the input (and max-margin's corrupt input). Each is judged by its largest relative error
 * |a − n| / max(|a|, |n|) (0 where both are 0) on CS231n's scale: ≤ 1e-7 good, ≤ 1e-4 acceptable (with kinks),
 * above suspicious. A point on a kink (an activation's or the hinge's) is flagged: there the numeric estimate
 * straddles two slopes and cannot be trusted.
 */
public final class GradientCheck {

    /** The step ε of the central difference. */
    public static final double EPSILON = 1e-3;
    public static final double GOOD = 1e-7;
    public static final double ACCEPTABLE = 1e-4;

    /** How one gradient fared. {@code worstIndex} is the index of the entry with the largest error. */
    public record Result(double maxRelativeError, String verdict, int[] worstIndex) {
    }

    /**
     * @param verdict the worst of the results' verdicts
     * @param kinks   where the point lies on a kink, e.g. {@code z[1] = 0 (relu)}; empty when it does not
     */
    public record Report(double epsilon, Map<String, Result> results, String verdict, List<String> kinks) {
        public boolean onKink() {
            return !kinks.isEmpty();
        }
    }

    private final GradientEngine engine;
    private final Deadline deadline;

    public GradientCheck(GradientEngine engine) {
        this(engine, Deadline.NONE);
    }

    private GradientCheck(GradientEngine engine, Deadline deadline) {
        this.engine = engine;
        this.deadline = deadline;
    }

    /** The verdict for a relative error. */
    public static String verdict(double relativeError) {
        return relativeError <= GOOD ? "good" : relativeError <= ACCEPTABLE ? "acceptable" : "suspicious";
    }

    /** |a − n| / max(|a|, |n|), 0 where both are 0. */
    public static double relativeError(double analytic, double numeric) {
        double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
        return scale == 0 ? 0.0 : Math.abs(analytic - numeric) / scale;
    }

    /**
     * The smallest derivative the estimate can tell from 0 at a loss of about {@code loss}: the rounding of J
     * (a few ulps) divided by the step. Below it on both sides, analytic and numeric count as both 0.
     */
    static double resolution(double loss) {
        return 8 * Math.ulp(Math.max(1.0, Math.abs(loss))) / EPSILON;
    }

    /** Evaluations of J the check needs: four per entry of every parameter and input. */
    public static long evaluations(Problem problem) {
        long entries = 0;
        for (Layer layer : problem.layers()) {
            entries += layer.parameterCount();
        }
        if (problem.differentiableInput()) {
            long inputs = (long) problem.examples() * problem.inputs()[0].length;
            entries += problem.loss().passes() * inputs;
        }
        return 4 * entries;
    }

    /** Checks {@code analytic} (the engine's answer to {@code problem}). */
    public Report check(Problem problem, Gradients analytic) {
        return check(problem, analytic, Deadline.NONE);
    }

    /** The same, stopping between evaluations of J once {@code deadline} says so. */
    public Report check(Problem problem, Gradients analytic, Deadline deadline) {
        return new GradientCheck(engine, deadline).run(problem, analytic);
    }

    private Report run(Problem problem, Gradients analytic) {
        double floor = resolution(analytic.loss());
        Map<String, Result> results = new LinkedHashMap<>();
        List<Layer> layers = new ArrayList<>(problem.layers());
        List<LayerNames> names = LayerNames.of(layers);
        for (int i = 0; i < layers.size(); i++) {
            int at = i;
            Layer layer = layers.get(i);
            Map<String, Tensor> parameters = layer.parameters();
            for (String base : parameters.keySet()) {
                double[] theta = parameters.get(base).toArray();
                String name = names.get(i).of(base);
                results.put(name, compare(analytic.gradients().get(name), theta.length, floor, (k, d) -> {
                    double original = theta[k];
                    theta[k] = original + d;
                    Map<String, Tensor> nudged = new LinkedHashMap<>(parameters);
                    nudged.put(base, Tensor.of(parameters.get(base).shape(), theta.clone()));
                    layers.set(at, layer.withParameters(nudged));
                    double j = loss(problem.withLayers(layers));
                    theta[k] = original;
                    layers.set(at, layer);
                    return j;
                }));
            }
        }
        if (problem.differentiableInput()) {
            // the input, one entry of one example at a time
            double[][] x = copy(problem.inputs());
            int width = x[0].length;
            results.put("x", compare(analytic.gradients().get("x"), x.length * width, floor, (k, d) -> {
                double original = x[k / width][k % width];
                x[k / width][k % width] = original + d;
                double j = loss(problem.withInputs(x));
                x[k / width][k % width] = original;
                return j;
            }));
            double[][] corrupt = problem.loss().corruptInputs();
            if (corrupt != null) {
                double[][] xc = copy(corrupt);
                Problem withCorrupt = new Problem(problem.layers(), problem.inputs(), problem.batched(),
                        problem.loss().withCorruptInputs(xc), problem.reduction(), problem.l2());
                results.put("x_c", compare(analytic.gradients().get("x_c"), xc.length * width, floor, (k, d) -> {
                    double original = xc[k / width][k % width];
                    xc[k / width][k % width] = original + d;
                    double j = loss(withCorrupt);
                    xc[k / width][k % width] = original;
                    return j;
                }));
            }
        }
        return new Report(EPSILON, results, worst(results.values()), kinks(problem));
    }

    /** The worst of the results' verdicts: {@code good} when there are none. */
    public static String worst(java.util.Collection<Result> results) {
        String worst = "good";
        for (Result r : results) {
            if (r.verdict().equals("suspicious") || (r.verdict().equals("acceptable") && worst.equals("good"))) {
                worst = r.verdict();
            }
        }
        return worst;
    }

    /** Where the point lies exactly on a kink of one of its ops: {@code z[1] = 0 (relu)}, a hinge at 0. */
    private List<String> kinks(Problem problem) {
        List<String> out = new ArrayList<>();
        for (NetworkGraph.Kink k : engine.kinks(problem, 0.0)) {
            out.add(k.text());
        }
        return out;
    }

    /** A number in a kink's description: {@code 0}, {@code 2.5}. */
    public static String shortNumber(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** J with entry {@code flatIndex} moved by {@code offset} (and put back afterwards). */
    public interface Shifted {
        double loss(int flatIndex, double offset);
    }

    /**
     * Checks one gradient of any function (a computational graph's output, say) whose value at the point is
     * {@code output}: each entry of {@code analytic} against the central difference of {@code shifted}.
     */
    public static Result compare(Tensor analytic, double output, Shifted shifted) {
        return compare(analytic, analytic.size(), resolution(output), shifted);
    }

    /**
     * The fourth-order central difference (8[J(θ+ε) − J(θ−ε)] − [J(θ+2ε) − J(θ−2ε)]) / 12ε: its truncation error is
     * O(ε⁴), so a step large enough to keep rounding small (ε = 1e-3) still gives about 12 correct digits.
     */
    private static double centralDifference(Shifted j, int k) {
        // differences first: a J that does not move at all gives exactly 0
        double near = j.loss(k, EPSILON) - j.loss(k, -EPSILON);
        double far = j.loss(k, 2 * EPSILON) - j.loss(k, -2 * EPSILON);
        return (8 * near - far) / (12 * EPSILON);
    }

    private static Result compare(Tensor analytic, int entries, double floor, Shifted shifted) {
        double worst = 0;
        int worstAt = 0;
        for (int k = 0; k < entries; k++) {
            double a = analytic.get(k);
            double n = centralDifference(shifted, k);
            double e = Math.max(Math.abs(a), Math.abs(n)) <= floor ? 0.0 : relativeError(a, n);
            if (e > worst) {
                worst = e;
                worstAt = k;
            }
        }
        return new Result(worst, verdict(worst), unflatten(worstAt, analytic.shape()));
    }

    private static int[] unflatten(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return index;
    }

    private double loss(Problem problem) {
        return engine.compute(problem, new GradientEngine.Options(false, false), deadline).loss();
    }

    private static double[][] copy(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
        }
        return out;
    }
}
