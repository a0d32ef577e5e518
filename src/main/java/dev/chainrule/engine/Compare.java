package dev.chainrule.engine;

import java.util.List;

/**
 * A comparison, entry by entry with NumPy's broadcasting: 1 where it holds, 0 elsewhere. The result is a constant
 * (a mask): no gradient flows back through it.
 */
enum Compare implements Op {
    // y = 1[a > b]; flat almost everywhere, so nothing flows back
    GT("gt", ">", ">") {
        boolean holds(double a, double b) { return a > b; }
    },
    // y = 1[a < b]
    LT("lt", "<", "<") {
        boolean holds(double a, double b) { return a < b; }
    },
    // y = 1[a ≥ b]
    GE("ge", "≥", ">=") {
        boolean holds(double a, double b) { return a >= b; }
    },
    // y = 1[a ≤ b]
    LE("le", "≤", "<=") {
        boolean holds(double a, double b) { return a <= b; }
    },
    // y = 1[a = b]
    EQ("eq", "=", "==") {
        boolean holds(double a, double b) { return a == b; }
    };

    private final String name;
    private final String symbol;
    private final String typed;

    Compare(String name, String symbol, String typed) {
        this.name = name;
        this.symbol = symbol;
        this.typed = typed;
    }

    abstract boolean holds(double a, double b);

    /** The comparison typed as {@code >}, {@code >=}, {@code ==}, … */
    static Compare of(String typed) {
        for (Compare c : values()) {
            if (c.typed.equals(typed)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no comparison " + typed);
    }

    @Override public String opName() { return name; }
    @Override public int arity() { return 2; }
    @Override public boolean carriesGradient(int k) { return false; }

    @Override
    public String shapeError(Tensor[] in, String[] labels) {
        int[] shape = Broadcast.shape(in);
        return shape == null ? Broadcast.error(typed, in, labels) : Broadcast.tooLarge(labels[0] + " " + typed + " " + labels[1], shape);
    }

    @Override
    public Tensor forward(Tensor[] in) {
        int[] shape = Broadcast.shape(in);
        int[] a = Broadcast.map(in[0].shape(), shape);
        int[] b = Broadcast.map(in[1].shape(), shape);
        double[] y = new double[a.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = holds(in[0].get(a[i]), in[1].get(b[i])) ? 1.0 : 0.0;
        }
        return Tensor.of(shape, y);
    }

    @Override
    public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
        return Tensor.of(in[k].shape(), new double[in[k].size()]); // a step function: 0 almost everywhere
    }

    @Override
    public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
        return Formula.num(0);
    }

    @Override
    public Formula apply(List<Formula> in) {
        return Formula.infix(in.get(0), symbol, in.get(1));
    }

    @Override
    public long work(Tensor[] in) {
        return Op.super.work(in) + 2 * Broadcast.entries(Broadcast.shape(in));
    }
}
