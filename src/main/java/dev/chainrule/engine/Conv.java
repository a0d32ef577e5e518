package dev.chainrule.engine;

import java.util.Arrays;
import java.util.List;

/**
 * {@code conv1d} and {@code conv2d} as PyTorch computes them (a cross-correlation): x of C×L or N×C×L with w of
 * F×C×k, or x of C×H×W or N×C×H×W with w of F×C×kh×kw; an optional bias b of F; the same stride and zero padding
 * along each spatial axis. conv1d is conv2d with a height of 1.
 *
 * <p>A real kernel, not a graph of scalars: each example's input windows are laid out as the columns of a matrix
 * (im2col: one row per (c, p, q) of the filter, one column per output position), so every pass is one product on
 * {@link Kernels}, whose inner loops run along contiguous rows and skip zero multipliers (after ReLU and max-pool
 * most of the upstream is zero).
 *
 * @param dims    1 or 2 spatial axes
 * @param bias    whether a third operand b is added to each filter's output
 */
public record Conv(int dims, int stride, int padding, boolean bias) implements Op {

    public Conv {
        if (dims != 1 && dims != 2) {
            throw new IllegalArgumentException("conv has 1 or 2 spatial axes, not " + dims);
        }
    }

    /** The sizes of one application: the batch, channels, input, filters, window and output. */
    private record Geometry(int n, int c, int h, int w, int f, int kh, int kw, int sh, int sw, int ph, int pw,
            int ho, int wo, boolean batched) {
        /** Entries of one window: C·kh·kw, the rows of the column matrix. */
        int patch() {
            return c * kh * kw;
        }

        /** Output positions per filter: Ho·Wo, the columns of the column matrix. */
        int positions() {
            return ho * wo;
        }

        int inputSize() {
            return c * h * w;
        }
    }

    @Override public String opName() { return dims == 1 ? "conv1d" : "conv2d"; }
    @Override public int arity() { return bias ? 3 : 2; }

    private Geometry geometry(Tensor x, Tensor w) {
        boolean batched = x.rank() == dims + 2;
        int o = batched ? 1 : 0;
        int h = dims == 2 ? x.dim(o + 1) : 1;
        int kh = dims == 2 ? w.dim(2) : 1;
        int sh = dims == 2 ? stride : 1;
        int ph = dims == 2 ? padding : 0;
        int width = x.dim(o + dims);
        int kw = w.dim(1 + dims);
        int ho = Math.floorDiv(h + 2 * ph - kh, sh) + 1;
        int wo = Math.floorDiv(width + 2 * padding - kw, stride) + 1;
        return new Geometry(batched ? x.dim(0) : 1, x.dim(o), h, width, w.dim(0), kh, kw, sh, stride, ph, padding,
                ho, wo, batched);
    }

    @Override
    public String shapeError(Tensor[] in, String[] labels) {
        String name = opName();
        String layout = dims == 1 ? "C×L or N×C×L" : "C×H×W or N×C×H×W";
        String filters = dims == 1 ? "F×C×k" : "F×C×kh×kw";
        if (stride < 1) {
            return OpText.fail(name, "stride must be at least 1, not " + stride);
        }
        if (padding < 0) {
            return OpText.fail(name, "padding must be at least 0, not " + padding);
        }
        Tensor x = in[0];
        Tensor w = in[1];
        if (x.rank() != dims + 1 && x.rank() != dims + 2) {
            return OpText.fail(name, OpText.is(labels[0], x) + " but takes " + layout);
        }
        if (w.rank() != dims + 2) {
            return OpText.fail(name, OpText.is(labels[1], w) + " but takes " + filters);
        }
        Geometry g = geometry(x, w);
        if (w.dim(1) != g.c()) {
            return OpText.fail(name, labels[0] + " is " + x.shapeText() + " but " + labels[1] + " expects "
                    + w.dim(1) + " input channel" + (w.dim(1) == 1 ? "" : "s"));
        }
        if (g.ho() < 1 || g.wo() < 1) {
            String window = dims == 1 ? String.valueOf(g.kw()) : g.kh() + "×" + g.kw();
            String input = dims == 1 ? String.valueOf(g.w()) : g.h() + "×" + g.w();
            return OpText.fail(name, labels[1] + "'s " + window + " window is larger than " + labels[0] + "'s " + input
                    + (padding > 0 ? " padded by " + padding : ""));
        }
        if (bias && (in[2].rank() != 1 || in[2].dim(0) != g.f())) {
            return OpText.fail(name, labels[2] + " is " + in[2].shapeText() + " but " + labels[1] + " has " + g.f()
                    + " filter" + (g.f() == 1 ? "" : "s"));
        }
        return null;
    }

    private int[] outShape(Geometry g) {
        int[] spatial = dims == 1 ? new int[] {g.wo()} : new int[] {g.ho(), g.wo()};
        int[] lead = g.batched() ? new int[] {g.n(), g.f()} : new int[] {g.f()};
        int[] shape = Arrays.copyOf(lead, lead.length + spatial.length);
        System.arraycopy(spatial, 0, shape, lead.length, spatial.length);
        return shape;
    }

    /** Output positions per block, about: a block's columns (C·kh·kw rows of them) stay in the L1 or L2 cache. */
    private static final int BLOCK = 128;

    /** Whole output rows per block: about {@link #BLOCK} positions, at least one row. */
    private static int rowsPerBlock(Geometry g) {
        return Math.max(1, Math.min(g.ho(), BLOCK / g.wo()));
    }

    // Y[n,f,i,j] = b[f] + Σ_{c,p,q} w[f,c,p,q] · x[n, c, s·i+p−pad, s·j+q−pad] (0 outside x): Y_n = W · cols(x_n),
    // a block of output rows at a time
    @Override
    public Tensor forward(Tensor[] in) {
        Geometry g = geometry(in[0], in[1]);
        int positions = g.positions();
        int rows = rowsPerBlock(g);
        double[] x = in[0].data();
        double[] y = new double[g.n() * g.f() * positions];
        double[][] cols = new double[g.patch()][rows * g.wo()];
        Kernels.Strided w = new Kernels.Strided(in[1].data(), 0, g.patch());
        for (int n = 0; n < g.n(); n++) {
            for (int i0 = 0; i0 < g.ho(); i0 += rows) {
                int i1 = Math.min(g.ho(), i0 + rows);
                im2col(x, n * g.inputSize(), g, i0, i1, cols);
                Kernels.Strided out = new Kernels.Strided(y, n * g.f() * positions + i0 * g.wo(), positions);
                Kernels.multiply(w, cols, null, out, false, g.f(), g.patch(), (i1 - i0) * g.wo());
            }
        }
        if (bias) {
            double[] b = in[2].data();
            for (int f = 0; f < g.n() * g.f(); f++) {
                double add = b[f % g.f()];
                for (int j = f * positions; j < (f + 1) * positions; j++) {
                    y[j] += add;
                }
            }
        }
        return Tensor.of(outShape(g), y);
    }

    // ∂f/∂x_n = col2im(Wᵀ · δ_n) (w flipped, a full convolution); ∂f/∂W = Σ_n δ_n · cols(x_n)ᵀ (x correlated with
    // δ); ∂f/∂b[f] = Σ_{n,i,j} δ[n,f,i,j]; δ = ∂f/∂Y; a block of output rows at a time
    @Override
    public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
        Geometry g = geometry(in[0], in[1]);
        int positions = g.positions();
        int patch = g.patch();
        int rows = rowsPerBlock(g);
        int width = rows * g.wo();
        double[] delta = upstream.data();
        if (k == 2) {
            double[] db = new double[g.f()];
            for (int f = 0; f < g.n() * g.f(); f++) {
                double s = 0;
                for (int j = f * positions; j < (f + 1) * positions; j++) {
                    s += delta[j];
                }
                db[f % g.f()] += s;
            }
            return Tensor.of(in[2].shape(), db);
        }
        if (k == 1) {
            double[] dw = new double[g.f() * patch];
            double[][] windows = new double[width][patch];
            Kernels.Strided into = new Kernels.Strided(dw, 0, patch);
            for (int n = 0; n < g.n(); n++) {
                for (int i0 = 0; i0 < g.ho(); i0 += rows) {
                    int i1 = Math.min(g.ho(), i0 + rows);
                    windows(in[0].data(), n * g.inputSize(), g, i0, i1, windows);
                    Kernels.Strided d = new Kernels.Strided(delta, n * g.f() * positions + i0 * g.wo(), positions);
                    Kernels.multiply(d, windows, null, into, true, g.f(), (i1 - i0) * g.wo(), patch);
                }
            }
            return Tensor.of(in[1].shape(), dw);
        }
        Kernels.Strided wt = new Kernels.Strided(transpose(in[1].data(), g.f(), patch), 0, g.f());
        double[] dx = new double[in[0].size()];
        double[] dcols = new double[patch * width];
        Kernels.Strided into = new Kernels.Strided(dcols, 0, width);
        double[][] d = new double[g.f()][width];
        for (int n = 0; n < g.n(); n++) {
            for (int i0 = 0; i0 < g.ho(); i0 += rows) {
                int i1 = Math.min(g.ho(), i0 + rows);
                int count = (i1 - i0) * g.wo();
                for (int f = 0; f < g.f(); f++) {
                    System.arraycopy(delta, (n * g.f() + f) * positions + i0 * g.wo(), d[f], 0, count);
                }
                Kernels.multiply(wt, d, null, into, false, patch, g.f(), count);
                col2im(dcols, width, g, i0, i1, dx, n * g.inputSize());
            }
        }
        return Tensor.of(in[0].shape(), dx);
    }

    /**
     * The columns of output rows [i0, i1) of one example: cols[(c·kh + p)·kw + q][(i − i0)·Wo + j] =
     * x[c, s·i+p−pad, s·j+q−pad], 0 in the padding; each row is copied a run at a time.
     */
    private static void im2col(double[] x, int at, Geometry g, int i0, int i1, double[][] cols) {
        int wo = g.wo();
        for (int c = 0; c < g.c(); c++) {
            for (int p = 0; p < g.kh(); p++) {
                for (int q = 0; q < g.kw(); q++) {
                    double[] row = cols[(c * g.kh() + p) * g.kw() + q];
                    int lo = first(q, g);
                    int hi = Math.max(lo, last(q, g));
                    for (int i = i0; i < i1; i++) {
                        int to = (i - i0) * wo;
                        int r = i * g.sh() + p - g.ph();
                        if (r < 0 || r >= g.h()) {
                            Arrays.fill(row, to, to + wo, 0.0);
                            continue;
                        }
                        Arrays.fill(row, to, to + lo, 0.0);
                        Arrays.fill(row, to + hi, to + wo, 0.0);
                        int from = at + (c * g.h() + r) * g.w() + q - g.pw();
                        if (g.sw() == 1) {
                            System.arraycopy(x, from + lo, row, to + lo, hi - lo);
                        } else {
                            for (int j = lo; j < hi; j++) {
                                row[to + j] = x[from + j * g.sw()];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2col} for output rows [i0, i1): dx[c, s·i+p−pad, s·j+q−pad] +=
     * dcols[(c·kh + p)·kw + q][(i − i0)·Wo + j], the rows of dcols {@code width} apart.
     */
    private static void col2im(double[] dcols, int width, Geometry g, int i0, int i1, double[] dx, int at) {
        int wo = g.wo();
        for (int c = 0; c < g.c(); c++) {
            for (int p = 0; p < g.kh(); p++) {
                for (int q = 0; q < g.kw(); q++) {
                    int row = ((c * g.kh() + p) * g.kw() + q) * width;
                    int lo = first(q, g);
                    int hi = last(q, g);
                    for (int i = i0; i < i1; i++) {
                        int r = i * g.sh() + p - g.ph();
                        if (r < 0 || r >= g.h()) {
                            continue;
                        }
                        int to = at + (c * g.h() + r) * g.w() + q - g.pw();
                        int from = row + (i - i0) * wo;
                        for (int j = lo; j < hi; j++) {
                            dx[to + j * g.sw()] += dcols[from + j];
                        }
                    }
                }
            }
        }
    }

    /**
     * The windows of output rows [i0, i1) of one example, one row per output position (the columns of
     * {@link #im2col} transposed): windows[(i − i0)·Wo + j][(c·kh + p)·kw + q] = x[c, s·i+p−pad, s·j+q−pad].
     */
    private static void windows(double[] x, int at, Geometry g, int i0, int i1, double[][] windows) {
        for (int i = i0; i < i1; i++) {
            for (int j = 0; j < g.wo(); j++) {
                double[] window = windows[(i - i0) * g.wo() + j];
                int col0 = j * g.sw() - g.pw();
                boolean inside = col0 >= 0 && col0 + g.kw() <= g.w();
                int e = 0;
                for (int c = 0; c < g.c(); c++) {
                    for (int p = 0; p < g.kh(); p++) {
                        int r = i * g.sh() + p - g.ph();
                        int from = at + (c * g.h() + r) * g.w() + col0;
                        if (r < 0 || r >= g.h()) {
                            Arrays.fill(window, e, e + g.kw(), 0.0);
                        } else if (inside) {
                            System.arraycopy(x, from, window, e, g.kw());
                        } else {
                            for (int q = 0; q < g.kw(); q++) {
                                int col = col0 + q;
                                window[e + q] = col >= 0 && col < g.w() ? x[from + q] : 0.0;
                            }
                        }
                        e += g.kw();
                    }
                }
            }
        }
    }

    /** The first output column j whose input column s·j+q−pad is inside x. */
    private static int first(int q, Geometry g) {
        return Math.min(g.wo(), Math.max(0, Math.floorDiv(g.pw() - q + g.sw() - 1, g.sw())));
    }

    /** One past the last output column j whose input column s·j+q−pad is inside x. */
    private static int last(int q, Geometry g) {
        return Math.max(0, Math.min(g.wo(), Math.floorDiv(g.w() - 1 + g.pw() - q, g.sw()) + 1));
    }

    /** Mᵀ of a flat rows×cols matrix, flat. */
    private static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }

    // ∂Y[n,f,i,j]/∂x[n,c,s·i+p−pad,s·j+q−pad] = w[f,c,p,q]; ∂Y[n,f,i,j]/∂w[f,c,p,q] = x[n,c,s·i+p−pad,s·j+q−pad];
    // ∂Y[n,f,i,j]/∂b[f] = 1: each filled in directly, every other entry 0
    @Override
    public Tensor jacobian(int k, Tensor[] in, Tensor out) {
        Geometry g = geometry(in[0], in[1]);
        int cols = in[k].size();
        double[] jac = new double[out.size() * cols];
        double[] x = in[0].data();
        double[] w = in[1].data();
        for (int n = 0; n < g.n(); n++) {
            for (int f = 0; f < g.f(); f++) {
                for (int i = 0; i < g.ho(); i++) {
                    for (int j = 0; j < g.wo(); j++) {
                        int row = ((n * g.f() + f) * g.ho() + i) * g.wo() + j;
                        if (k == 2) {
                            jac[row * cols + f] = 1.0;
                            continue;
                        }
                        for (int c = 0; c < g.c(); c++) {
                            for (int p = 0; p < g.kh(); p++) {
                                int r = i * g.sh() + p - g.ph();
                                for (int q = 0; q < g.kw(); q++) {
                                    int col = j * g.sw() + q - g.pw();
                                    if (r < 0 || r >= g.h() || col < 0 || col >= g.w()) {
                                        continue;
                                    }
                                    int xi = n * g.inputSize() + (c * g.h() + r) * g.w() + col;
                                    int wi = ((f * g.c() + c) * g.kh() + p) * g.kw() + q;
                                    if (k == 0) {
                                        jac[row * cols + xi] = w[wi];
                                    } else {
                                        jac[row * cols + wi] = x[xi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Ops.jacobianShape(out.size(), cols, jac);
    }

    @Override
    public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
        boolean batched = values[0].rank() == dims + 2;
        String n = batched ? "n," : "";
        String y = out.text() + "[" + n + "f," + (dims == 2 ? "i,j" : "j") + "]";
        String at = (dims == 2 ? offset("i", "p") + "," : "") + offset("j", "q");
        String window = dims == 2 ? "c,p,q" : "c,q";
        String x = in.get(0).text() + "[" + n + "c," + at + "]";
        String w = in.get(1).text() + "[f," + window + "]";
        return OpText.words(switch (k) {
            case 0 -> "∂" + y + "/∂" + x + " = " + w;
            case 1 -> "∂" + y + "/∂" + w + " = " + x;
            default -> "∂" + y + "/∂" + in.get(2).text() + "[f] = 1";
        });
    }

    /** {@code 2i+p−1}: the input index an output index and a filter offset read. */
    private String offset(String index, String tap) {
        return (stride == 1 ? "" : String.valueOf(stride)) + index + "+" + tap + (padding == 0 ? "" : "−" + padding);
    }

    /** The gradient's structure in words, for a local Jacobian too large to list. */
    public String rule(int k, Tensor[] in) {
        String settings = stride == 1 && padding == 0 ? "" : " (stride " + stride + ", padding " + padding + ")";
        return switch (k) {
            case 0 -> "full convolution of the upstream with w flipped" + settings;
            case 1 -> "correlation of x with the upstream" + settings;
            default -> "the upstream summed over each filter's positions";
        };
    }

    @Override
    public Formula apply(List<Formula> in) {
        return stride == 1 && padding == 0 ? OpText.call(opName(), in)
                : stride == 1 ? OpText.call(opName(), in, "padding", String.valueOf(padding))
                : padding == 0 ? OpText.call(opName(), in, "stride", String.valueOf(stride))
                : OpText.call(opName(), in, "stride", String.valueOf(stride), "padding", String.valueOf(padding));
    }

    // forward W·cols, backward δ·windowsᵀ and Wᵀ·δ: three products of F × C·kh·kw × Ho·Wo per example; the
    // windows copied twice and scattered back once
    @Override
    public long work(Tensor[] in) {
        Geometry g = geometry(in[0], in[1]);
        long product = (long) g.f() * g.patch() * g.positions();
        long copies = (long) g.patch() * g.positions();
        return g.n() * (3 * product + 3 * copies) + 2L * in[0].size();
    }
}
