package dev.chainrule.network;

import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.RealMatrix;

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
        long inputs = (long) problem.examples() * problem.inputs()[0].length;
        entries += problem.loss().passes() * inputs;
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
        List<Notation.Names> names = Notation.of(layers);
        for (int i = 0; i < layers.size(); i++) {
            Notation.Names n = names.get(i);
            int at = i;
            if (layers.get(i) instanceof Layer.Dense dense) {
                RealMatrix w = dense.weights().copy();
                int cols = w.getColumnDimension();
                double[] b = dense.bias();
                layers.set(i, new Layer.Dense(w, b, dense.activation(), dense.alpha()));
                results.put(n.w(), compare(analytic.gradients().get(n.w()), w.getRowDimension() * cols, floor, (k, d) -> {
                    double original = w.getEntry(k / cols, k % cols);
                    w.setEntry(k / cols, k % cols, original + d);
                    double j = loss(problem.withLayers(layers));
                    w.setEntry(k / cols, k % cols, original);
                    return j;
                }));
                if (b != null) {
                    results.put(n.b(), compare(analytic.gradients().get(n.b()), b.length, floor, (k, d) -> {
                        double original = b[k];
                        b[k] = original + d;
                        layers.set(at, new Layer.Dense(w, b, dense.activation(), dense.alpha()));
                        double j = loss(problem.withLayers(layers));
                        b[k] = original;
                        layers.set(at, new Layer.Dense(w, b, dense.activation(), dense.alpha()));
                        return j;
                    }));
                }
            } else {
                double[] u = ((Layer.Score) layers.get(i)).u();
                results.put("u", compare(analytic.gradients().get("u"), u.length, floor, (k, d) -> {
                    double original = u[k];
                    u[k] = original + d;
                    layers.set(at, new Layer.Score(u));
                    double j = loss(problem.withLayers(layers));
                    u[k] = original;
                    layers.set(at, new Layer.Score(u));
                    return j;
                }));
            }
        }
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
        if (problem.loss() instanceof Loss.MaxMargin mm) {
            double[][] xc = copy(mm.corruptInputs());
            Problem withCorrupt = new Problem(problem.layers(), problem.inputs(), problem.batched(),
                    new Loss.MaxMargin(xc, mm.margin()), problem.reduction(), problem.l2());
            results.put("x_c", compare(analytic.gradients().get("x_c"), xc.length * width, floor, (k, d) -> {
                double original = xc[k / width][k % width];
                xc[k / width][k % width] = original + d;
                double j = loss(withCorrupt);
                xc[k / width][k % width] = original;
                return j;
            }));
        }
        return new Report(EPSILON, results, worst(results.values()), kinks(problem, analytic.forward()));
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

    /** Where the point lies on a kink: an activation's input exactly at a kink, or the hinge exactly at 0. */
    public static List<String> kinks(Problem problem, Map<String, Tensor> forward) {
        List<String> out = new ArrayList<>();
        List<Notation.Names> names = Notation.of(problem.layers());
        List<String> suffixes = problem.loss() instanceof Loss.MaxMargin ? List.of("", "_c") : List.of("");
        for (String suffix : suffixes) {
            for (int i = 0; i < problem.layers().size(); i++) {
                if (!(problem.layers().get(i) instanceof Layer.Dense dense)) {
                    continue;
                }
                String zName = names.get(i).z() + suffix;
                Tensor z = forward.get(zName);
                int width = dense.outputSize();
                for (int k = 0; k < z.size(); k++) {
                    if (dense.activation().kink(z.get(k), dense.alpha())) {
                        String index = problem.batched() ? "[" + k / width + "][" + k % width + "]" : "[" + k + "]";
                        out.add(zName + index + " = " + shortNumber(z.get(k)) + " (" + dense.activation().wireName() + ")");
                    }
                }
            }
        }
        if (problem.loss() instanceof Loss.MaxMargin mm) {
            Tensor s = forward.get("s");
            Tensor sc = forward.get("s_c");
            for (int k = 0; k < s.size(); k++) {
                if (mm.margin() - s.get(k) + sc.get(k) == 0) {
                    out.add("margin − s + s_c" + (problem.batched() ? "[" + k + "]" : "") + " = 0 (max-margin hinge)");
                }
            }
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
