package dev.chainrule.engine;

import java.util.List;

/**
 * {@code where(c, a, b)}: {@code a} where {@code c} is not 0, {@code b} elsewhere, entry by entry with NumPy's
 * broadcasting ({@code torch.where(c != 0, a, b)}). Nothing flows into the condition.
 */
enum Where implements Op {
    INSTANCE;

    // y = c ? a : b; ∂y/∂a = diag(1[c ≠ 0]), ∂y/∂b = diag(1[c = 0]), summed back over any stretched axis
    @Override public String opName() { return "where"; }
    @Override public int arity() { return 3; }
    @Override public boolean carriesGradient(int k) { return k != 0; }
    @Override public boolean broadcasts() { return true; }

    @Override
    public String shapeError(Tensor[] in, String[] labels) {
        int[] shape = Broadcast.shape(in);
        return shape == null ? Broadcast.error("where", in, labels) : Broadcast.tooLarge("where(…)", shape);
    }

    private static int[][] maps(Tensor[] in, int[] shape) {
        return new int[][] {Broadcast.map(in[0].shape(), shape), Broadcast.map(in[1].shape(), shape), Broadcast.map(in[2].shape(), shape)};
    }

    @Override
    public Tensor forward(Tensor[] in) {
        int[] shape = Broadcast.shape(in);
        int[][] m = maps(in, shape);
        double[] y = new double[m[0].length];
        for (int i = 0; i < y.length; i++) {
            y[i] = in[0].get(m[0][i]) != 0 ? in[1].get(m[1][i]) : in[2].get(m[2][i]);
        }
        return Tensor.of(shape, y);
    }

    /** 1 where operand k (a or b) is the one taken. */
    private static boolean taken(int k, double c) {
        return k == 1 ? c != 0 : c == 0;
    }

    @Override
    public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
        int[][] m = maps(in, out.shape());
        double[] g = new double[m[0].length];
        for (int i = 0; i < g.length; i++) {
            g[i] = k != 0 && taken(k, in[0].get(m[0][i])) ? upstream.get(i) : 0.0;
        }
        return Broadcast.sumBack(g, m[k], in[k].shape());
    }

    @Override
    public Tensor jacobian(int k, Tensor[] in, Tensor out) {
        int[][] m = maps(in, out.shape());
        int cols = in[k].size();
        double[] j = new double[m[0].length * cols];
        for (int i = 0; i < m[0].length; i++) {
            j[i * cols + m[k][i]] = k != 0 && taken(k, in[0].get(m[0][i])) ? 1.0 : 0.0;
        }
        return Ops.jacobianShape(m[0].length, cols, j);
    }

    @Override
    public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
        Formula c = in.get(0);
        Formula f = new Formula.Indicator(Formula.infix(c, k == 1 ? "≠" : "=", Formula.num(0)));
        Formula base = values[k].rank() == 0 ? f : Formula.call("diag", f);
        Formula.Words note = Broadcast.note(in.get(k).text(), values[k], Broadcast.shape(values));
        return note == null ? base : new Formula.Aside(base, note);
    }

    @Override
    public Formula apply(List<Formula> in) {
        return Formula.call("where", in.get(0), in.get(1), in.get(2));
    }

    @Override
    public long work(Tensor[] in) {
        return Op.super.work(in) + 8 * Broadcast.entries(Broadcast.shape(in));
    }
}
