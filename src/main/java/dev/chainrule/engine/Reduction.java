package dev.chainrule.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A reduction along one axis ({@code sum(X, axis=0)}), or over every entry with {@code keepdims}, or a reduction
 * that has no older form over every entry ({@code max(X)}, {@code var(X)}). The operand is read as lanes: for each
 * position before and after the axis, the {@code n} entries along it; each lane gives one entry of the result.
 *
 * @param axis     the axis as written (negative counts from the end), or null for every entry
 * @param keepdims the reduced axis stays, with size 1
 */
record Reduction(Kind kind, Integer axis, boolean keepdims) implements Op {

    /** What a lane reduces to, with its local derivative beside it. */
    enum Kind {
        // y = Σⱼ xⱼ; ∂y/∂xⱼ = 1
        SUM("sum"),
        // y = (1/n) Σⱼ xⱼ; ∂y/∂xⱼ = 1/n
        MEAN("mean"),
        // y = (1/n) Σⱼ (xⱼ − μ)² (population); ∂y/∂xⱼ = 2(xⱼ − μ)/n
        VAR("var"),
        // y = maxⱼ xⱼ; along an axis the first maximal entry takes the whole gradient (torch.max(x, dim)), over
        // every entry ties split evenly (torch.max(x))
        MAX("max"),
        // y = minⱼ xⱼ; as max
        MIN("min"),
        // y = log Σⱼ e^xⱼ (stable: m + log Σ e^(xⱼ − m)); ∂y/∂xⱼ = e^(xⱼ − y) = softmax(x)ⱼ
        LOGSUMEXP("logsumexp");

        final String name;

        Kind(String name) {
            this.name = name;
        }
    }

    private Shapes.Lanes lanes(Tensor x) {
        if (axis == null) {
            return new Shapes.Lanes(1, x.size(), 1);
        }
        return Shapes.Lanes.along(x.shape(), Shapes.axis(axis, x.rank()));
    }

    private int[] outShape(Tensor x) {
        if (axis == null) {
            return keepdims ? ones(x.rank()) : new int[0];
        }
        return Shapes.without(x.shape(), Shapes.axis(axis, x.rank()), keepdims);
    }

    private static int[] ones(int rank) {
        int[] s = new int[rank];
        java.util.Arrays.fill(s, 1);
        return s;
    }

    @Override public String opName() { return kind.name; }
    @Override public int arity() { return 1; }

    @Override
    public String shapeError(Tensor[] in, String[] labels) {
        if (axis != null && Shapes.axis(axis, in[0].rank()) == null) {
            return Shapes.badAxis(axis, labels[0], in[0]);
        }
        return null;
    }

    @Override
    public Tensor forward(Tensor[] in) {
        Tensor x = in[0];
        Shapes.Lanes l = lanes(x);
        double[] y = new double[l.outer() * l.inner()];
        double[] lane = new double[l.n()];
        for (int o = 0; o < l.outer(); o++) {
            for (int i = 0; i < l.inner(); i++) {
                for (int j = 0; j < l.n(); j++) {
                    lane[j] = x.get(l.entry(o, j, i));
                }
                y[o * l.inner() + i] = reduce(lane);
            }
        }
        return Tensor.of(outShape(x), y);
    }

    private double reduce(double[] lane) {
        return switch (kind) {
            case SUM -> sum(lane);
            case MEAN -> sum(lane) / lane.length;
            case VAR -> variance(lane, sum(lane) / lane.length);
            case MAX -> extreme(lane, 1);
            case MIN -> extreme(lane, -1);
            case LOGSUMEXP -> Maths.logSumExp(lane);
        };
    }

    private static double sum(double[] lane) {
        double s = 0;
        for (double v : lane) {
            s += v;
        }
        return s;
    }

    private static double variance(double[] lane, double mean) {
        double s = 0;
        for (double v : lane) {
            s += (v - mean) * (v - mean);
        }
        return s / lane.length;
    }

    /** The largest entry (sign 1) or the smallest (sign −1). */
    private static double extreme(double[] lane, int sign) {
        double best = lane[0];
        for (double v : lane) {
            if (sign * v > sign * best) {
                best = v;
            }
        }
        return best;
    }

    @Override
    public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
        Tensor x = in[0];
        Shapes.Lanes l = lanes(x);
        double[] g = new double[x.size()];
        double[] lane = new double[l.n()];
        for (int o = 0; o < l.outer(); o++) {
            for (int i = 0; i < l.inner(); i++) {
                int at = o * l.inner() + i;
                for (int j = 0; j < l.n(); j++) {
                    lane[j] = x.get(l.entry(o, j, i));
                }
                double up = upstream.get(at);
                double y = out.get(at);
                double[] d = slopes(lane, y);
                for (int j = 0; j < l.n(); j++) {
                    g[l.entry(o, j, i)] = up * d[j];
                }
            }
        }
        return Tensor.of(x.shape(), g);
    }

    /** ∂y/∂xⱼ for one lane whose result is {@code y}. */
    private double[] slopes(double[] lane, double y) {
        int n = lane.length;
        double[] d = new double[n];
        switch (kind) {
            case SUM -> java.util.Arrays.fill(d, 1.0);
            case MEAN -> java.util.Arrays.fill(d, 1.0 / n);
            case VAR -> {
                double mean = sum(lane) / n;
                for (int j = 0; j < n; j++) {
                    d[j] = 2 * (lane[j] - mean) / n;
                }
            }
            case MAX, MIN -> {
                if (axis != null) {
                    for (int j = 0; j < n; j++) {
                        if (lane[j] == y) {
                            d[j] = 1.0; // the first extreme entry takes it all
                            break;
                        }
                    }
                } else {
                    int ties = 0;
                    for (double v : lane) {
                        ties += v == y ? 1 : 0;
                    }
                    for (int j = 0; j < n; j++) {
                        d[j] = lane[j] == y ? 1.0 / ties : 0.0;
                    }
                }
            }
            case LOGSUMEXP -> {
                for (int j = 0; j < n; j++) {
                    d[j] = Math.exp(lane[j] - y);
                }
            }
        }
        return d;
    }

    @Override
    public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
        Tensor x = values[0];
        Shapes.Lanes l = lanes(x);
        Formula x0 = in.get(0);
        String along = axis == null ? "over every entry" : "along axis " + Shapes.axis(axis, x.rank());
        Formula slope = switch (kind) {
            case SUM -> new Formula.Transposed(Formula.sym("1"));
            case MEAN -> Formula.infix(new Formula.Group(Formula.infix(Formula.num(1), "/", Formula.num(l.n()))), "·",
                    new Formula.Transposed(Formula.sym("1")));
            case VAR -> Formula.infix(Formula.infix(Formula.num(2), "",
                    new Formula.Transposed(new Formula.Group(Formula.infix(x0, "−", new Formula.Tex("μ", "\\mu"))))), "/", Formula.num(l.n()));
            case MAX, MIN -> new Formula.Words(axis == null ? "1/k at each of the k " + (kind == Kind.MAX ? "largest" : "smallest")
                    + " entries (a tie splits), 0 elsewhere" : "1 at the first " + (kind == Kind.MAX ? "largest" : "smallest")
                    + " entry, 0 elsewhere");
            case LOGSUMEXP -> new Formula.Transposed(Formula.call("softmax", x0));
        };
        String lanes = l.outer() * l.inner() == 1 ? along : along + ", for each of the " + l.outer() * l.inner() + " entries of " + out.text();
        return new Formula.Aside(slope, new Formula.Words(kind == Kind.VAR ? lanes + "; μ its mean" : lanes));
    }

    @Override
    public Formula apply(List<Formula> in) {
        List<Formula> args = new ArrayList<>(List.of(in.get(0)));
        if (axis != null) {
            args.add(new Formula.Words("axis=" + axis));
        }
        if (keepdims) {
            args.add(new Formula.Words("keepdims=true"));
        }
        return new Formula.Call(kind.name, args);
    }

    // max and min bend where the lane's extreme is tied
    @Override
    public List<Kink> kinks(Tensor[] in, Tensor out, double tolerance) {
        List<Kink> kinks = new ArrayList<>();
        if (kind != Kind.MAX && kind != Kind.MIN) {
            return kinks;
        }
        Shapes.Lanes l = lanes(in[0]);
        for (int o = 0; o < l.outer(); o++) {
            for (int i = 0; i < l.inner(); i++) {
                double y = out.get(o * l.inner() + i);
                int count = 0;
                for (int j = 0; j < l.n(); j++) {
                    count += Ops.near(in[0].get(l.entry(o, j, i)), y, tolerance) ? 1 : 0;
                }
                if (count > 1) {
                    for (int j = 0; j < l.n(); j++) {
                        if (Ops.near(in[0].get(l.entry(o, j, i)), y, tolerance)) {
                            kinks.add(new Kink(0, l.entry(o, j, i), "tie", null, kind.name + ": a tie"));
                        }
                    }
                }
            }
        }
        return kinks;
    }

    @Override
    public long work(Tensor[] in) {
        return 6L * in[0].size() + 2;
    }
}
