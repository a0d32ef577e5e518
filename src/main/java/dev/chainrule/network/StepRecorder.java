package dev.chainrule.network;

import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Step;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Writes down the backward pass as the chain rule runs it, one {@link Step} per gradient: upstream × local =
 * downstream, with the explicit local Jacobian. Per-example terms are 1×n rows, with a leading dimension of one
 * entry per example when the problem is a batch. A parameter shared by several contributions (the examples of a
 * batch, max-margin's two windows) gets one step whose upstream and local list each contribution and whose
 * downstream is their sum.
 */
final class StepRecorder {

    private final boolean batched;
    private final int examples;
    private final List<Step> steps = new ArrayList<>();

    StepRecorder(boolean batched, int examples) {
        this.batched = batched;
        this.examples = examples;
    }

    List<Step> steps() {
        return steps;
    }

    /** ∂J/∂ŷ, where the chain starts. */
    void loss(Problem problem, String out, double[][] gradient, double scale, String suffix) {
        boolean scalar = problem.endsInScore();
        Formula rhs = problem.loss() instanceof Loss.MaxMargin && !suffix.isEmpty()
                ? new Formula.Tex("+1[margin − s + s_c > 0]", "+\\mathbf{1}[\\text{margin} - s + s_{c} > 0]")
                : problem.loss().gradient(out);
        // a mean's 1/N scales the whole derivative: (1/N)(σ(h) − y), not (1/N)·σ(h) − y
        String r = rhs.text();
        Formula scaled = scale == 1.0 ? rhs
                : r.startsWith("(") || !r.contains(" ") ? new Formula.Tex("(1/N)·" + r, "(1/N) \\cdot " + rhs.latex())
                : new Formula.Tex("(1/N)(" + r + ")", "(1/N)(" + rhs.latex() + ")");
        Tensor value = perExample(gradient, scalar);
        steps.add(new Step(out, is(Formula.partial("J", out), scaled), new Step.Term("∂J/∂J", Tensor.scalar(1.0)),
                new Step.Term("∂J/∂" + out, value), new Step.Term("∂J/∂" + out, value)));
    }

    /** δ = ∂J/∂z = ∂J/∂h · ∂h/∂z. */
    void activation(Layer.Dense dense, LayerNames names, String suffix, double[][] z, double[][] h,
            double[][] upstream, double[][] delta) {
        String zn = names.z() + suffix;
        String hn = names.h() + suffix;
        Activation f = dense.activation();
        List<Tensor> locals = new ArrayList<>(z.length);
        for (int k = 0; k < z.length; k++) {
            locals.add(Tensor.matrix(f.jacobian(z[k], h[k], dense.alpha())));
        }
        Formula jacobian = f.jacobian(zn, hn);
        Formula local = f == Activation.IDENTITY ? Formula.sym("I")
                : f.elementwise() ? new Formula.Tex("diag(f'(" + zn + "))", "\\operatorname{diag} (f'(" + Formula.name(zn) + "))")
                : new Formula.Tex("(" + jacobian.text() + ")", "(" + jacobian.latex() + ")");
        steps.add(new Step(zn, is(Formula.partial("J", zn), Formula.infix(Formula.partial("J", hn), "·", local)),
                new Step.Term("∂J/∂" + hn, perExample(upstream, false)),
                new Step.Term("∂" + hn + "/∂" + zn + " = " + jacobian.text(), batchOf(locals)),
                new Step.Term("∂J/∂" + zn, perExample(delta, false))));
    }

    /** ∂J/∂W = δᵀxᵀ, summed over contributions. */
    void weights(LayerNames names, List<double[][]> inputs, List<double[][]> deltas, Tensor gradient) {
        List<Formula> terms = new ArrayList<>();
        List<Tensor> ups = new ArrayList<>();
        List<Tensor> locals = new ArrayList<>();
        for (int p = 0; p < deltas.size(); p++) {
            String suffix = p == 0 ? "" : "_c";
            terms.add(Formula.infix(Formula.transposed("δ" + names.z().substring(1) + suffix), "",
                    Formula.transposed(names.input() + suffix)));
            double[][] in = inputs.get(p);
            for (int k = 0; k < in.length; k++) {
                ups.add(Tensor.row(deltas.get(p)[k]));
                locals.add(Tensor.row(in[k]));
            }
        }
        Formula delta = is(Formula.sym("δ" + names.z().substring(1)), Formula.partial("J", names.z()));
        steps.add(new Step(names.w(), new Formula.Aside(is(Formula.partial("J", names.w()), sum(terms)), delta),
                new Step.Term(delta.text(), contributions(ups)),
                new Step.Term(names.input() + "ᵀ", contributions(locals)),
                new Step.Term("∂J/∂" + names.w(), gradient)));
    }

    /** ∂J/∂b = δ · I, summed over contributions. */
    void bias(LayerNames names, List<double[][]> deltas, double[] gradient) {
        List<Formula> terms = new ArrayList<>();
        List<Tensor> ups = new ArrayList<>();
        for (int p = 0; p < deltas.size(); p++) {
            terms.add(Formula.infix(Formula.partial("J", names.z() + (p == 0 ? "" : "_c")), "·", Formula.sym("I")));
            for (double[] row : deltas.get(p)) {
                ups.add(Tensor.row(row));
            }
        }
        int m = gradient.length;
        double[][] identity = new double[m][m];
        for (int i = 0; i < m; i++) {
            identity[i][i] = 1.0;
        }
        steps.add(new Step(names.b(), is(Formula.partial("J", names.b()), sum(terms)),
                new Step.Term("∂J/∂" + names.z(), contributions(ups)),
                new Step.Term("∂" + names.z() + "/∂" + names.b() + " = I", Tensor.matrix(identity)),
                new Step.Term("∂J/∂" + names.b(), Tensor.row(gradient))));
    }

    /** ∂J/∂x = ∂J/∂z · W. */
    void input(LayerNames names, String suffix, String inName, double[][] delta, RealMatrix weights, double[][] down) {
        String zn = names.z() + suffix;
        steps.add(new Step(inName, is(Formula.partial("J", inName), Formula.infix(Formula.partial("J", zn), "·", Formula.sym(names.w()))),
                new Step.Term("∂J/∂" + zn, perExample(delta, false)),
                new Step.Term("∂" + zn + "/∂" + inName + " = " + names.w(), Tensor.matrix(weights.getData())),
                new Step.Term("∂J/∂" + inName, perExample(down, false))));
    }

    /** ∂J/∂h = ∂J/∂s · uᵀ. */
    void scoreInput(String suffix, String inName, double[][] gs, double[] u, double[][] down) {
        String sn = "s" + suffix;
        steps.add(new Step(inName, is(Formula.partial("J", inName), Formula.infix(Formula.partial("J", sn), "·", Formula.transposed("u"))),
                new Step.Term("∂J/∂" + sn, perExample(gs, true)),
                new Step.Term("∂" + sn + "/∂" + inName + " = uᵀ", Tensor.row(u)),
                new Step.Term("∂J/∂" + inName, perExample(down, false))));
    }

    /** ∂J/∂u = ∂J/∂s · hᵀ, summed over contributions. */
    void scoreWeights(LayerNames names, List<double[][]> inputs, List<double[][]> scoreGradients, double[] gradient) {
        List<Formula> terms = new ArrayList<>();
        List<Tensor> ups = new ArrayList<>();
        List<Tensor> locals = new ArrayList<>();
        for (int p = 0; p < inputs.size(); p++) {
            String suffix = p == 0 ? "" : "_c";
            terms.add(Formula.infix(Formula.partial("J", "s" + suffix), "·", Formula.transposed(names.input() + suffix)));
            double[][] in = inputs.get(p);
            double[][] gs = scoreGradients.get(p);
            for (int k = 0; k < in.length; k++) {
                ups.add(Tensor.scalar(gs[k][0]));
                locals.add(Tensor.row(in[k]));
            }
        }
        steps.add(new Step("u", is(Formula.partial("J", "u"), sum(terms)),
                new Step.Term("∂J/∂s", contributions(ups)),
                new Step.Term("∂s/∂u = " + names.input() + "ᵀ", contributions(locals)),
                new Step.Term("∂J/∂u", Tensor.row(gradient))));
    }

    /**
     * ∂J/∂W gains the penalty's share: ∂J/∂W = (the network's share, the step above) + ∂J/∂R · ∂R/∂W with ∂J/∂R = 1
     * and ∂R/∂W = 2λW. A sum, not a product: W feeds both its layer and R.
     */
    void penalty(String w, double lambda, Tensor data, Tensor share, Tensor total) {
        Formula data2 = new Formula.Tex("∂J/∂" + w + "|data", Formula.partial("J", w).latex() + "|\\mathrm{data}");
        Formula share2 = new Formula.Tex("2λ" + w, "2\\lambda " + Formula.name(w));
        Formula lambdaIs = new Formula.Tex("λ = " + plain(lambda), "\\lambda = " + plain(lambda));
        steps.add(new Step(w, new Formula.Infix(is(Formula.partial("J", w), Formula.infix(data2, "+", share2)), "",
                new Formula.Tex("(" + lambdaIs.text() + ")", "(" + lambdaIs.latex() + ")")),
                new Step.Term("∂J/∂" + w + "|data", data),
                new Step.Term("∂R/∂" + w + " = 2λ" + w, share),
                new Step.Term("∂J/∂" + w, total)));
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    // ---- helpers ----

    private Formula sum(List<Formula> terms) {
        Formula one = Formula.join(terms, "+");
        return batched ? new Formula.Sum(one) : one;
    }

    /** left = right. */
    private static Formula is(Formula left, Formula right) {
        return Formula.infix(left, "=", right);
    }

    /** One contribution alone as it is; several stacked along a leading dimension. */
    private static Tensor contributions(List<Tensor> parts) {
        return parts.size() == 1 ? parts.get(0) : Tensor.stack(parts);
    }

    /** A row per example: 1×n alone, B×1×n in a batch; a scalar per example stays a number. */
    private Tensor perExample(double[][] rows, boolean scalar) {
        List<Tensor> parts = new ArrayList<>(rows.length);
        for (double[] row : rows) {
            parts.add(scalar ? Tensor.scalar(row[0]) : Tensor.row(row));
        }
        return batchOf(parts);
    }

    private Tensor batchOf(List<Tensor> parts) {
        return batched ? Tensor.stack(parts) : parts.get(0);
    }
}
