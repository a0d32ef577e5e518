package dev.chainrule.grading;

import dev.chainrule.network.Gradients;
import dev.chainrule.network.Layer;
import dev.chainrule.network.LayerNames;
import dev.chainrule.network.Loss;
import dev.chainrule.network.Problem;
import dev.chainrule.network.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The links of the backward chain, each as a function of the gradients just above it, so that an answer can be
 * recomputed from a submission's own upstream answers ("error carried forward"):
 * W_k, b_k and the layer's input from δ_k = ∂J/∂z_k; z_k from ∂J/∂h_k; the score layer's input and u from ∂J/∂s.
 * Forward values and parameters are the problem's own; only the upstream gradients are the student's.
 */
final class CarryForward {

    /** One link: {@code target} is computed from the gradients of {@code upstream}, as flat row-major entries. */
    record Rule(List<String> upstream, Function<Map<String, Tensor>, double[]> apply) {
    }

    private final Map<String, Rule> rules = new HashMap<>();
    private final Map<String, Tensor> expected;

    CarryForward(Problem problem, Gradients g) {
        this.expected = g.gradients();
        Map<String, Tensor> forward = g.forward();
        int examples = problem.examples();
        List<String> passes = problem.loss() instanceof Loss.MaxMargin ? List.of("", "_c") : List.of("");
        List<LayerNames> names = LayerNames.of(problem.layers());
        for (int i = 0; i < problem.layers().size(); i++) {
            LayerNames n = names.get(i);
            Layer layer = problem.layers().get(i);
            List<String> deltas = new ArrayList<>();
            List<double[][]> inputs = new ArrayList<>();
            if (layer instanceof Layer.Dense dense) {
                double[][] w = dense.weights().getData();
                for (String p : passes) {
                    String z = n.z() + p;
                    String h = n.h() + p;
                    double[][] zs = rows(forward.get(z), examples);
                    double[][] hs = rows(forward.get(h), examples);
                    // δ = ∂J/∂h · ∂h/∂z (∂J/∂h ⊙ f'(z) element-wise)
                    rules.put(z, new Rule(List.of(h), v -> {
                        double[][] gh = rows(v.get(h), examples);
                        double[][] out = new double[examples][gh[0].length];
                        for (int e = 0; e < examples; e++) {
                            dense.activation().backward(zs[e], hs[e], gh[e], out[e], dense.alpha());
                        }
                        return flat(out);
                    }));
                    // ∂J/∂in = δ · W
                    rules.put(n.input() + p, new Rule(List.of(z), v -> flat(times(rows(v.get(z), examples), w))));
                    deltas.add(z);
                    inputs.add(rows(forward.get(n.input() + p), examples));
                }
                // ∂J/∂W = Σ δᵀ·inᵀ over examples (and both passes of max-margin)
                rules.put(n.w(), new Rule(deltas, v -> {
                    double[] gw = new double[w.length * w[0].length];
                    for (int p = 0; p < deltas.size(); p++) {
                        double[][] d = rows(v.get(deltas.get(p)), examples);
                        double[][] in = inputs.get(p);
                        for (int e = 0; e < examples; e++) {
                            for (int r = 0; r < w.length; r++) {
                                for (int c = 0; c < w[0].length; c++) {
                                    gw[r * w[0].length + c] += d[e][r] * in[e][c];
                                }
                            }
                        }
                    }
                    return gw;
                }));
                if (dense.bias() != null) {
                    // ∂J/∂b = Σ δ
                    rules.put(n.b(), new Rule(deltas, v -> {
                        double[] gb = new double[w.length];
                        for (String d : deltas) {
                            for (double[] row : rows(v.get(d), examples)) {
                                for (int r = 0; r < gb.length; r++) {
                                    gb[r] += row[r];
                                }
                            }
                        }
                        return gb;
                    }));
                }
            } else {
                double[] u = ((Layer.Score) layer).u();
                for (String p : passes) {
                    String s = "s" + p;
                    // ∂J/∂h = ∂J/∂s · uᵀ
                    rules.put(n.input() + p, new Rule(List.of(s), v -> {
                        double[][] gs = rows(v.get(s), examples);
                        double[][] out = new double[examples][u.length];
                        for (int e = 0; e < examples; e++) {
                            for (int j = 0; j < u.length; j++) {
                                out[e][j] = gs[e][0] * u[j];
                            }
                        }
                        return flat(out);
                    }));
                    deltas.add(s);
                    inputs.add(rows(forward.get(n.input() + p), examples));
                }
                // ∂J/∂u = Σ ∂J/∂s · h
                rules.put("u", new Rule(deltas, v -> {
                    double[] gu = new double[u.length];
                    for (int p = 0; p < deltas.size(); p++) {
                        double[][] gs = rows(v.get(deltas.get(p)), examples);
                        for (int e = 0; e < examples; e++) {
                            for (int j = 0; j < u.length; j++) {
                                gu[j] += gs[e][0] * inputs.get(p)[e][j];
                            }
                        }
                    }
                    return gu;
                }));
            }
        }
    }

    /** What a carried answer for {@code target} would be, with the upstream names the student got wrong. */
    record Carried(Tensor value, List<String> from) {
    }

    /**
     * {@code target} recomputed from the student's own answers for the gradients just upstream of it ({@code
     * student}: name → answer in the expected shape; the expected value stands in for any not given), or null
     * when there is no such link or none of the student's upstream answers used is wrong.
     */
    Carried carried(String target, Map<String, Tensor> student, Tolerance tolerance) {
        Rule rule = rules.get(target);
        if (rule == null) {
            return null;
        }
        Map<String, Tensor> values = new HashMap<>();
        List<String> wrong = new ArrayList<>();
        for (String up : rule.upstream()) {
            Tensor mine = student.get(up);
            Tensor right = expected.get(up);
            if (mine != null && mine.sameShape(right) && !Grader.allWithin(mine, right, tolerance)) {
                values.put(up, mine);
                wrong.add(up);
            } else {
                values.put(up, right);
            }
        }
        if (wrong.isEmpty()) {
            return null;
        }
        return new Carried(Tensor.of(expected.get(target).shape(), rule.apply().apply(values)), wrong);
    }

    /** A per-example quantity as one row per example (a scalar per example is a row of one). */
    static double[][] rows(Tensor t, int examples) {
        int width = t.size() / examples;
        double[][] out = new double[examples][width];
        for (int e = 0; e < examples; e++) {
            for (int j = 0; j < width; j++) {
                out[e][j] = t.get(e * width + j);
            }
        }
        return out;
    }

    private static double[] flat(double[][] rows) {
        int width = rows[0].length;
        double[] out = new double[rows.length * width];
        for (int e = 0; e < rows.length; e++) {
            System.arraycopy(rows[e], 0, out, e * width, width);
        }
        return out;
    }

    /** Rows times a matrix: (B×m)·(m×n). */
    private static double[][] times(double[][] rows, double[][] w) {
        double[][] out = new double[rows.length][w[0].length];
        for (int e = 0; e < rows.length; e++) {
            for (int r = 0; r < w.length; r++) {
                double d = rows[e][r];
                for (int c = 0; c < w[0].length; c++) {
                    out[e][c] += d * w[r][c];
                }
            }
        }
        return out;
    }
}
