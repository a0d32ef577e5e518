package dev.chainrule.engine;

import java.util.List;

/**
 * {@code maxpool2d(x, k, stride=k)} and {@code avgpool2d(x, k, stride=k)} as {@code F.max_pool2d} and
 * {@code F.avg_pool2d} compute them: x of C×H×W or N×C×H×W, square k×k windows without padding, Ho =
 * ⌊(H − k)/stride⌋ + 1. Max-pool routes each window's upstream to its first maximal entry in row-major order, as
 * PyTorch does, so a tie never splits. The second operand is the constant k as written (a constant node, which
 * gets no gradient).
 *
 * @param max    max-pool, else average-pool
 * @param size   the window's side k
 * @param stride the step between windows
 */
public record Pool(boolean max, int size, int stride) implements Op {

    /** The sizes of one application: planes (N·C), input and output. */
    private record Geometry(int planes, int h, int w, int ho, int wo) {
    }

    public Pool {
        if (size < 1 || stride < 1) {
            throw new IllegalArgumentException("pooling with a window of " + size + " and a stride of " + stride);
        }
    }

    /** {@code maxpool2d(x, k, stride=k)} or {@code avgpool2d(…)} as called: k a whole-number constant. */
    static Pool of(Ops.Call c, boolean max) {
        Double k = c.positional() == 2 ? c.constant(1) : null;
        if (k == null || k != Math.rint(k) || k < 1 || k > Broadcast.MAX_ENTRIES) {
            throw c.bad(null, "takes x and its window k, a whole-number constant at least 1 (" + c.function() + "(x, 2))");
        }
        int size = (int) (double) k;
        return new Pool(max, size, c.integer("stride", size, 1));
    }

    @Override public String opName() { return max ? "maxpool2d" : "avgpool2d"; }
    @Override public int arity() { return 2; }
    @Override public boolean carriesGradient(int k) { return k == 0; }

    private Geometry geometry(Tensor x) {
        int r = x.rank();
        int h = x.dim(r - 2);
        int w = x.dim(r - 1);
        return new Geometry(x.size() / (h * w), h, w, Math.floorDiv(h - size, stride) + 1, Math.floorDiv(w - size, stride) + 1);
    }

    @Override
    public String shapeError(Tensor[] in, String[] labels) {
        Tensor x = in[0];
        if (x.rank() != 3 && x.rank() != 4) {
            return OpText.fail(opName(), Ops.is(labels[0], x) + " but takes C×H×W or N×C×H×W");
        }
        Geometry g = geometry(x);
        if (g.ho() < 1 || g.wo() < 1) {
            return OpText.fail(opName(), "the " + size + "×" + size + " window is larger than " + labels[0] + "'s "
                    + g.h() + "×" + g.w());
        }
        return null;
    }

    private int[] outShape(Tensor x, Geometry g) {
        int[] shape = x.shape();
        shape[shape.length - 2] = g.ho();
        shape[shape.length - 1] = g.wo();
        return shape;
    }

    /**
     * The flat index in x of the entry the window at {@code corner} routes to, by PyTorch's scan in row-major
     * order: a later entry wins when it is strictly greater, so the first maximal entry wins a tie (a −0 before a 0
     * stays −0). Each step is a conditional move, not a branch: which entry holds the maximum is a coin toss a
     * branch predictor would lose about once per window. A window holding NaN is scanned again by
     * {@link #scanNaN}.
     */
    private int scan(double[] x, int w, int corner) {
        int best = corner;
        boolean nan = false;
        for (int p = 0; p < size; p++) {
            int row = corner + p * w;
            for (int q = 0; q < size; q++) {
                double v = x[row + q];
                best = v > x[best] ? row + q : best;
                nan |= v != v;
            }
        }
        return nan ? scanNaN(x, w, corner) : best;
    }

    /** PyTorch's scan of a window holding NaN: a later entry wins when strictly greater or NaN (the last NaN wins). */
    private int scanNaN(double[] x, int w, int corner) {
        int best = corner;
        for (int p = 0; p < size; p++) {
            for (int q = 0; q < size; q++) {
                double v = x[corner + p * w + q];
                if (v > x[best] || Double.isNaN(v)) {
                    best = corner + p * w + q;
                }
            }
        }
        return best;
    }

    /**
     * The same entry found again from the window's maximum {@code top} (the forward value): the first entry equal
     * to it, scanned from the last back, each comparison independent of the others (faster than {@link #scan}).
     */
    private int find(double[] x, int w, int corner, double top) {
        if (top != top) {
            return scanNaN(x, w, corner);
        }
        int best = corner;
        for (int p = size - 1; p >= 0; p--) {
            int row = corner + p * w;
            for (int q = size - 1; q >= 0; q--) {
                best = x[row + q] == top ? row + q : best;
            }
        }
        return best;
    }

    /** Each output's window, by the flat index in x of its top-left entry, in the output's row-major order. */
    private int[] corners(Geometry g) {
        int[] corners = new int[g.planes() * g.ho() * g.wo()];
        int o = 0;
        for (int plane = 0; plane < g.planes(); plane++) {
            for (int i = 0; i < g.ho(); i++) {
                for (int j = 0; j < g.wo(); j++) {
                    corners[o++] = (plane * g.h() + i * stride) * g.w() + j * stride;
                }
            }
        }
        return corners;
    }

    // max: Y[i,j] = max_{p,q} x[s·i+p, s·j+q] (the value of the entry the scan ends on);
    // avg: Y[i,j] = (1/k²) Σ_{p,q} x[s·i+p, s·j+q]
    @Override
    public Tensor forward(Tensor[] in) {
        Geometry g = geometry(in[0]);
        double[] x = in[0].data();
        int[] corners = corners(g);
        double[] y = new double[corners.length];
        double share = 1.0 / (size * size);
        for (int o = 0; o < corners.length; o++) {
            int corner = corners[o];
            if (max) {
                y[o] = x[scan(x, g.w(), corner)];
                continue;
            }
            double s = 0;
            for (int p = 0; p < size; p++) {
                for (int q = 0; q < size; q++) {
                    s += x[corner + p * g.w() + q];
                }
            }
            y[o] = s * share;
        }
        return Tensor.of(outShape(in[0], g), y);
    }

    // max: ∂Y[i,j]/∂x[r,c] = 1 at the window's first maximal entry, else 0 ("max routes"; the entry is found again
    // from Y's value); avg: ∂Y[i,j]/∂x[r,c] = 1/k² inside the window ("spreads"); overlapping windows add up
    @Override
    public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
        if (k == 1) {
            return Tensor.scalar(0); // the window's size, a constant
        }
        Geometry g = geometry(in[0]);
        double[] x = in[0].data();
        double[] delta = upstream.data();
        double[] y = out.data();
        double[] dx = new double[x.length];
        double share = 1.0 / (size * size);
        int[] corners = corners(g);
        for (int o = 0; o < corners.length; o++) {
            int corner = corners[o];
            if (max) {
                dx[find(x, g.w(), corner, y[o])] += delta[o];
                continue;
            }
            for (int p = 0; p < size; p++) {
                for (int q = 0; q < size; q++) {
                    dx[corner + p * g.w() + q] += delta[o] * share;
                }
            }
        }
        return Tensor.of(in[0].shape(), dx);
    }

    // max-pool bends where a window's maximum is tied: each tied entry
    @Override
    public List<Kink> kinks(Tensor[] in, Tensor out, double tolerance) {
        List<Kink> kinks = new java.util.ArrayList<>();
        if (!max) {
            return kinks;
        }
        Geometry g = geometry(in[0]);
        double[] x = in[0].data();
        int[] corners = corners(g);
        for (int o = 0; o < corners.length; o++) {
            List<Kink> tied = new java.util.ArrayList<>();
            for (int p = 0; p < size; p++) {
                for (int q = 0; q < size; q++) {
                    int at = corners[o] + p * g.w() + q;
                    if (Ops.near(x[at], out.get(o), tolerance)) {
                        tied.add(new Kink(0, at, "tie", null, opName() + ": a tie"));
                    }
                }
            }
            if (tied.size() > 1) {
                kinks.addAll(tied);
            }
        }
        return kinks;
    }

    @Override
    public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
        if (k == 1) {
            return new Formula.Words("none: " + in.get(1).text() + " is the window's size");
        }
        String plane = values[0].rank() == 4 ? "n,c," : "c,";
        String y = out.text() + "[" + plane + "i,j]";
        String x = in.get(0).text() + "[" + plane + offset("i", "p") + "," + offset("j", "q") + "]";
        String window = "p, q < " + size;
        return new Formula.Words(max
                ? "∂" + y + "/∂" + x + " = 1 at the first maximal entry of the window (" + window + "), 0 elsewhere"
                : "∂" + y + "/∂" + x + " = 1/" + size * size + " for " + window);
    }

    private String offset(String index, String tap) {
        return (stride == 1 ? "" : String.valueOf(stride)) + index + "+" + tap;
    }

    @Override
    public Formula apply(List<Formula> in) {
        return stride == size ? OpText.call(opName(), in) : OpText.call(opName(), in, "stride", String.valueOf(stride));
    }

    // each output reads its k² window forward and back (max-pool finds its maximum, then the entry that holds it,
    // both ways): about 12 multiply-adds' time per window entry, measured
    @Override
    public long work(Tensor[] in) {
        Geometry g = geometry(in[0]);
        return 12L * g.planes() * g.ho() * g.wo() * size * size + 2L * in[0].size();
    }
}
