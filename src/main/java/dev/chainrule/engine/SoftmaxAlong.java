package dev.chainrule.engine;

import java.util.List;

/**
 * {@code softmax(X, axis)} and {@code log_softmax(X, axis)}: each lane along the axis (by default the last) on its
 * own, computed stably; a {@code −∞} entry gets probability 0. A vector's softmax is the older vector op itself.
 *
 * @param axis the axis as written, negative counting from the end
 * @param log  log_softmax rather than softmax
 */
record SoftmaxAlong(int axis, boolean log) implements Op {

    private Shapes.Lanes lanes(Tensor x) {
        return Shapes.Lanes.along(x.shape(), Shapes.axis(axis, x.rank()));
    }

    /** A vector's softmax: the older op, so its answers stay as they were. */
    private boolean vector(Tensor x) {
        return !log && x.rank() == 1;
    }

    @Override public String opName() { return log ? "log_softmax" : "softmax"; }
    @Override public int arity() { return 1; }

    @Override
    public String shapeError(Tensor[] in, String[] labels) {
        if (in[0].rank() == 0) {
            return Ops.is(labels[0], in[0]) + ": " + opName() + " takes a vector or a tensor";
        }
        return Shapes.axis(axis, in[0].rank()) == null ? Shapes.badAxis(axis, labels[0], in[0]) : null;
    }

    // p = e^(x − max x) / Σ e^(x − max x) along each lane; log p = x − logsumexp(x)
    @Override
    public Tensor forward(Tensor[] in) {
        Tensor x = in[0];
        if (vector(x)) {
            return Ops.Softmax.INSTANCE.forward(in);
        }
        Shapes.Lanes l = lanes(x);
        double[] y = new double[x.size()];
        double[] lane = new double[l.n()];
        double[] p = new double[l.n()];
        for (int o = 0; o < l.outer(); o++) {
            for (int i = 0; i < l.inner(); i++) {
                for (int j = 0; j < l.n(); j++) {
                    lane[j] = x.get(l.entry(o, j, i));
                }
                if (log) {
                    double lse = Maths.logSumExp(lane);
                    for (int j = 0; j < l.n(); j++) {
                        y[l.entry(o, j, i)] = lane[j] - lse;
                    }
                } else {
                    Maths.softmax(lane, p);
                    for (int j = 0; j < l.n(); j++) {
                        y[l.entry(o, j, i)] = p[j];
                    }
                }
            }
        }
        return Tensor.of(x.shape(), y);
    }

    // softmax: ∂p/∂x = diag(p) − ppᵀ, so g = p ⊙ (u − uᵀp); log_softmax: ∂y/∂x = I − 1pᵀ, so g = u − p Σu
    @Override
    public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
        if (vector(in[0])) {
            return Ops.Softmax.INSTANCE.backward(k, in, out, upstream);
        }
        Shapes.Lanes l = lanes(in[0]);
        double[] g = new double[out.size()];
        for (int o = 0; o < l.outer(); o++) {
            for (int i = 0; i < l.inner(); i++) {
                double s = 0;
                for (int j = 0; j < l.n(); j++) {
                    int e = l.entry(o, j, i);
                    s += log ? upstream.get(e) : upstream.get(e) * out.get(e);
                }
                for (int j = 0; j < l.n(); j++) {
                    int e = l.entry(o, j, i);
                    g[e] = log ? upstream.get(e) - Math.exp(out.get(e)) * s : out.get(e) * (upstream.get(e) - s);
                }
            }
        }
        return Tensor.of(out.shape(), g);
    }

    @Override
    public Tensor jacobian(int k, Tensor[] in, Tensor out) {
        return vector(in[0]) ? Ops.Softmax.INSTANCE.jacobian(k, in, out) : Op.super.jacobian(k, in, out);
    }

    @Override
    public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
        if (vector(values[0])) {
            return Ops.Softmax.INSTANCE.local(k, in, out, values);
        }
        Formula rule = log
                ? Formula.infix(Formula.sym("I"), "−", Formula.infix(Formula.sym("1"), "", new Formula.Transposed(Formula.call("softmax", in.get(0)))))
                : Formula.infix(Formula.call("diag", Formula.sym("p")), "−", Formula.infix(Formula.sym("p"), "", new Formula.Transposed(Formula.sym("p"))));
        return new Formula.Aside(rule, new Formula.Words(lanesText(values[0]) + (log ? "" : ", p = " + out.text())));
    }

    /** {@code for each of the 4 rows}, {@code for each of the 3 columns}, {@code along axis 2, for each of the 6 lanes}. */
    private String lanesText(Tensor x) {
        Shapes.Lanes l = lanes(x);
        int a = Shapes.axis(axis, x.rank());
        if (x.rank() == 1) {
            return "over the vector";
        }
        if (x.rank() == 2) {
            return a == 1 ? "for each of the " + l.count() + " rows" : "for each of the " + l.count() + " columns";
        }
        return "along axis " + a + ", for each of the " + l.count() + " lanes";
    }

    @Override
    public Formula apply(List<Formula> in) {
        return axis == -1 ? Formula.call(opName(), in.get(0))
                : Formula.call(opName(), in.get(0), new Formula.Words("axis=" + axis));
    }

    @Override
    public long work(Tensor[] in) {
        return vector(in[0]) ? Op.super.work(in) : 12L * in[0].size() + 2;
    }
}
