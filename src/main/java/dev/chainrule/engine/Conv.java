package dev.chainrule.engine;

import java.util.Arrays;
import java.util.List;

/**
 * {@code conv1d} and {@code conv2d} as PyTorch computes them (a cross-correlation): x of C×L or N×C×L with w of
 * F×C×k, or x of C×H×W or N×C×H×W with w of F×C×kh×kw; an optional bias b of F; the same stride and zero padding
 * along each spatial axis. conv1d is conv2d with a height of 1.
 *
 * <p>A real kernel, not a graph of scalars: the input windows of a block of output positions are laid out as the
 * columns of a matrix (im2col: one row per (c, p, q) of the filter, one column per output position), so each pass
 * is a product on {@link Kernels}, whose inner loops run along contiguous rows and skip zero multipliers (after ReLU
 * and max-pool most of the upstream is zero). A block is about {@value #BLOCK} positions (fewer for a large filter),
 * so its columns stay in the cache and its scratch stays small whatever the layer's size.
 *
 * @param dims 1 or 2 spatial axes
 * @param bias whether a third operand b is added to each filter's output
 */
public record Conv(int dims, int stride, int padding, boolean bias) implements Op {

    /** Output positions per block, about: a block's columns (C·kh·kw rows of them) stay in the L1 or L2 cache. */
    private static final int BLOCK = 128;

    /** Entries of a block's scratch at most (C·kh·kw × positions): a block of a huge filter is a few positions. */
    private static final int SCRATCH = 1 << 17;

    public Conv {
        if (dims != 1 && dims != 2 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("conv" + dims + "d with stride " + stride + " and padding " + padding);
        }
    }

    /** {@code conv1d(x, w[, b], stride=1, padding=0)} or {@code conv2d(…)} as called. */
    static Conv of(Ops.Call c, int dims) {
        if (c.positional() != 2 && c.positional() != 3) {
            throw c.bad(null, "takes x, w and an optional bias b (" + c.function() + "(x, w, b, stride=1, padding=0)), not "
                    + c.positional() + " argument" + (c.positional() == 1 ? "" : "s"));
        }
        return new Conv(dims, c.integer("stride", 1, 1), c.integer("padding", 0, 0), c.positional() == 3);
    }

    /**
     * The sizes of one application: the batch, channels, input, filters, window, strides, paddings and output; and
     * the blocks the output positions are taken in, {@code rows} whole rows at a time, or when a row is wider than
     * a block, {@code cols} columns of one row.
     */
    private record Geometry(int n, int c, int h, int w, int f, int kh, int kw, int sh, int sw, int ph, int pw,
            int ho, int wo, boolean batched, int rows, int cols) {
        /** Entries of one window: C·kh·kw, the rows of the column matrix. */
        int patch() {
            return c * kh * kw;
        }

        /** Output positions per filter: Ho·Wo. */
        int positions() {
            return ho * wo;
        }

        int inputSize() {
            return c * h * w;
        }

        /** Positions in a block at most: the width of its scratch. */
        int width() {
            return rows * cols;
        }
    }

    /** Output rows [i0, i1) and columns [j0, j1) of one block: whole rows, or a part of one row. */
    private record Block(int i0, int i1, int j0, int j1) {
        int count() {
            return (i1 - i0) * (j1 - j0);
        }

        /** The block's first position (its positions are contiguous: whole rows, or a part of one). */
        int start(int wo) {
            return i0 * wo + j0;
        }

        /** The block's index of position (i, j). */
        int at(int i, int j) {
            return (i - i0) * (j1 - j0) + (j - j0);
        }
    }

    /** Calls {@code body} with each block of output positions in order. */
    private static void eachBlock(Geometry g, java.util.function.Consumer<Block> body) {
        for (int i0 = 0; i0 < g.ho(); i0 += g.rows()) {
            for (int j0 = 0; j0 < g.wo(); j0 += g.cols()) {
                body.accept(new Block(i0, Math.min(g.ho(), i0 + g.rows()), j0, Math.min(g.wo(), j0 + g.cols())));
            }
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
        int c = x.dim(o);
        int target = (int) Math.max(1, Math.min(BLOCK, SCRATCH / Math.max(1L, (long) c * kh * kw)));
        int rows = wo <= target ? Math.max(1, target / Math.max(1, wo)) : 1;
        int cols = wo <= target ? Math.max(1, wo) : target;
        return new Geometry(batched ? x.dim(0) : 1, c, h, width, w.dim(0), kh, kw, sh, stride, ph, padding, ho, wo,
                batched, rows, cols);
    }

    @Override
    public String shapeError(Tensor[] in, String[] labels) {
        String name = opName();
        Tensor x = in[0];
        Tensor w = in[1];
        if (x.rank() != dims + 1 && x.rank() != dims + 2) {
            return OpText.fail(name, Ops.is(labels[0], x) + " but takes " + (dims == 1 ? "C×L or N×C×L" : "C×H×W or N×C×H×W"));
        }
        if (w.rank() != dims + 2) {
            return OpText.fail(name, Ops.is(labels[1], w) + " but takes " + (dims == 1 ? "F×C×k" : "F×C×kh×kw"));
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
        long entries = (long) g.n() * g.f() * g.ho() * g.wo();
        if (entries > Broadcast.MAX_ENTRIES) {
            return OpText.fail(name, "its value would hold " + entries + " entries; a value holds at most " + Broadcast.MAX_ENTRIES);
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

    // Y[n,f,i,j] = b[f] + Σ_{c,p,q} w[f,c,p,q] · x[n, c, s·i+p−pad, s·j+q−pad] (0 outside x): Y_n = W · cols(x_n),
    // a block of output positions at a time
    @Override
    public Tensor forward(Tensor[] in) {
        Geometry g = geometry(in[0], in[1]);
        int positions = g.positions();
        double[] x = in[0].data();
        double[] y = new double[g.n() * g.f() * positions];
        double[][] cols = new double[g.patch()][g.width()];
        Kernels.Strided w = new Kernels.Strided(in[1].data(), 0, g.patch());
        for (int n = 0; n < g.n(); n++) {
            int example = n;
            eachBlock(g, b -> {
                im2col(x, example * g.inputSize(), g, b, cols);
                Kernels.Strided out = new Kernels.Strided(y, example * g.f() * positions + b.start(g.wo()), positions);
                Kernels.multiply(w, cols, null, out, false, g.f(), g.patch(), b.count());
            });
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
    // δ); ∂f/∂b[f] = Σ_{n,i,j} δ[n,f,i,j]; δ = ∂f/∂Y; a block of output positions at a time
    @Override
    public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
        Geometry g = geometry(in[0], in[1]);
        int positions = g.positions();
        int patch = g.patch();
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
            double[][] windows = new double[g.width()][patch];
            double[][] cols = new double[patch][g.width()];
            Kernels.Strided into = new Kernels.Strided(dw, 0, patch);
            for (int n = 0; n < g.n(); n++) {
                int example = n;
                eachBlock(g, b -> {
                    // the block's windows, one row per output position: its columns transposed
                    im2col(in[0].data(), example * g.inputSize(), g, b, cols);
                    for (int r = 0; r < patch; r++) {
                        double[] row = cols[r];
                        for (int j = 0; j < b.count(); j++) {
                            windows[j][r] = row[j];
                        }
                    }
                    Kernels.Strided d = new Kernels.Strided(delta, example * g.f() * positions + b.start(g.wo()), positions);
                    Kernels.multiply(d, windows, null, into, true, g.f(), b.count(), patch);
                });
            }
            return Tensor.of(in[1].shape(), dw);
        }
        Kernels.Strided wt = new Kernels.Strided(transpose(in[1].data(), g.f(), patch), 0, g.f());
        double[] dx = new double[in[0].size()];
        double[] dcols = new double[patch * g.width()];
        Kernels.Strided into = new Kernels.Strided(dcols, 0, g.width());
        double[][] d = new double[g.f()][g.width()];
        for (int n = 0; n < g.n(); n++) {
            int example = n;
            eachBlock(g, b -> {
                for (int f = 0; f < g.f(); f++) {
                    System.arraycopy(delta, (example * g.f() + f) * positions + b.start(g.wo()), d[f], 0, b.count());
                }
                Kernels.multiply(wt, d, null, into, false, patch, g.f(), b.count());
                col2im(dcols, g, b, dx, example * g.inputSize());
            });
        }
        return Tensor.of(in[0].shape(), dx);
    }

    /**
     * The columns of one block of one example: cols[(c·kh + p)·kw + q][block's (i, j)] = x[c, s·i+p−pad, s·j+q−pad],
     * 0 in the padding; each output row's part is copied a run at a time.
     */
    private static void im2col(double[] x, int at, Geometry g, Block b, double[][] cols) {
        int span = b.j1() - b.j0();
        for (int c = 0; c < g.c(); c++) {
            for (int p = 0; p < g.kh(); p++) {
                for (int q = 0; q < g.kw(); q++) {
                    double[] row = cols[(c * g.kh() + p) * g.kw() + q];
                    int lo = Math.max(b.j0(), first(q, g));
                    int hi = Math.max(lo, Math.min(b.j1(), last(q, g)));
                    for (int i = b.i0(); i < b.i1(); i++) {
                        int to = b.at(i, b.j0());
                        int r = i * g.sh() + p - g.ph();
                        if (r < 0 || r >= g.h()) {
                            Arrays.fill(row, to, to + span, 0.0);
                            continue;
                        }
                        if (lo > b.j0()) {
                            Arrays.fill(row, to, to + lo - b.j0(), 0.0);
                        }
                        if (hi < b.j1()) {
                            Arrays.fill(row, to + hi - b.j0(), to + span, 0.0);
                        }
                        int from = at + (c * g.h() + r) * g.w() + q - g.pw();
                        if (g.sw() == 1) {
                            System.arraycopy(x, from + lo, row, to + lo - b.j0(), hi - lo);
                        } else {
                            for (int j = lo; j < hi; j++) {
                                row[to + j - b.j0()] = x[from + j * g.sw()];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2col} for one block: dx[c, s·i+p−pad, s·j+q−pad] += dcols[(c·kh + p)·kw + q][block's
     * (i, j)], the rows of dcols {@link Geometry#width()} apart.
     */
    private static void col2im(double[] dcols, Geometry g, Block b, double[] dx, int at) {
        for (int c = 0; c < g.c(); c++) {
            for (int p = 0; p < g.kh(); p++) {
                for (int q = 0; q < g.kw(); q++) {
                    int row = ((c * g.kh() + p) * g.kw() + q) * g.width();
                    int lo = Math.max(b.j0(), first(q, g));
                    int hi = Math.min(b.j1(), last(q, g));
                    for (int i = b.i0(); i < b.i1(); i++) {
                        int r = i * g.sh() + p - g.ph();
                        if (r < 0 || r >= g.h()) {
                            continue;
                        }
                        int to = at + (c * g.h() + r) * g.w() + q - g.pw();
                        int from = row + b.at(i, 0);
                        for (int j = lo; j < hi; j++) {
                            dx[to + j * g.sw()] += dcols[from + j];
                        }
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

    /**
     * The entries of the local Jacobian with the indices that link them, e.g. for conv2d with padding 1
     * {@code ∂Y[f,i,j]/∂x[c,i+p−1,j+q−1] = w[f,c,p,q]}: read as the gradient's rule, ∂/∂x is a full convolution of the
     * upstream with w flipped and ∂/∂w a correlation of x with the upstream.
     */
    @Override
    public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
        boolean batched = values[0].rank() == dims + 2;
        String n = batched ? "n," : "";
        String y = out.text() + "[" + n + "f," + (dims == 2 ? "i,j" : "j") + "]";
        String at = (dims == 2 ? offset("i", "p") + "," : "") + offset("j", "q");
        String x = in.get(0).text() + "[" + n + "c," + at + "]";
        String w = in.get(1).text() + "[f," + (dims == 2 ? "c,p,q" : "c,q") + "]";
        return new Formula.Words(switch (k) {
            case 0 -> "∂" + y + "/∂" + x + " = " + w + ": the upstream convolved with " + in.get(1).text() + " flipped";
            case 1 -> "∂" + y + "/∂" + w + " = " + x + ": " + in.get(0).text() + " correlated with the upstream";
            default -> "∂" + y + "/∂" + in.get(2).text() + "[f] = 1: the upstream summed over each filter's positions";
        });
    }

    /** {@code 2i+p−1}: the input index an output index and a filter offset read. */
    private String offset(String index, String tap) {
        return (stride == 1 ? "" : String.valueOf(stride)) + index + "+" + tap + (padding == 0 ? "" : "−" + padding);
    }

    @Override
    public Formula apply(List<Formula> in) {
        return stride == 1 && padding == 0 ? OpText.call(opName(), in)
                : stride == 1 ? OpText.call(opName(), in, "padding", String.valueOf(padding))
                : padding == 0 ? OpText.call(opName(), in, "stride", String.valueOf(stride))
                : OpText.call(opName(), in, "stride", String.valueOf(stride), "padding", String.valueOf(padding));
    }

    // forward W·cols, backward δ·colsᵀ and Wᵀ·δ: three products of F × C·kh·kw × Ho·Wo per example; the columns
    // laid out twice, transposed once and scattered back once
    @Override
    public long work(Tensor[] in) {
        Geometry g = geometry(in[0], in[1]);
        long windows = (long) g.patch() * g.ho() * g.wo();
        return g.n() * (3L * g.f() * windows + 4L * windows) + 2L * in[0].size();
    }
}
