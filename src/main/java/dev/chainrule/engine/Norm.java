package dev.chainrule.engine;

import java.util.List;

/**
 * {@code layer_norm(x, gamma, beta, eps=1e-5)} and {@code batch_norm(x, gamma, beta, eps=1e-5)}: each entry
 * normalised within its group, x̂ = (x − μ)/σ with σ = √(var + ε) (the population variance), then scaled and
 * shifted per feature, y = γ ⊙ x̂ + β. Layer norm's groups are the rows (the last axis, D features), as
 * {@code F.layer_norm(x, (D,), γ, β, ε)}; batch norm's are the features over the batch, as
 * {@code F.batch_norm(x, None, None, γ, β, training=True, eps=ε)}: x of N×D, or N×C×L and N×C×H×W with one
 * group per channel.
 *
 * @param layer layer norm, else batch norm
 * @param eps   ε, added to the variance
 */
public record Norm(boolean layer, double eps) implements Op {

    /** The default ε, as PyTorch's. */
    public static final double EPS = 1e-5;

    /**
     * How x falls into groups: entry i belongs to group {@code (i / inner) % features} for batch norm (its channel),
     * to group {@code i / features} for layer norm (its row); its γ and β are those of its channel, or of its place
     * in the row.
     */
    private record Groups(int groups, int features, int inner, int count) {
    }

    /** {@code layer_norm(x, gamma, beta, eps=1e-5)} or {@code batch_norm(…)} as called. */
    static Norm of(Ops.Call c, boolean layer) {
        double eps = c.number("eps", EPS);
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw c.bad("eps", "must be a number at least 0, not " + Shapes.number(eps));
        }
        return new Norm(layer, eps);
    }

    @Override public String opName() { return layer ? "layer_norm" : "batch_norm"; }
    @Override public int arity() { return 3; }

    private Groups groups(Tensor x) {
        if (layer) {
            int d = x.rank() == 0 ? 1 : x.dim(x.rank() - 1);
            return new Groups(x.size() / d, d, 1, d);
        }
        int c = x.dim(1);
        int inner = x.size() / (x.dim(0) * c);
        return new Groups(c, c, inner, x.size() / c);
    }

    /**
     * Each entry's group and feature, laid out once (two divisions per entry in the loops would cost more than the
     * normalisation itself).
     */
    private record Members(int[] group, int[] feature) {
    }

    private Members members(Groups g, int size) {
        int[] group = new int[size];
        int[] feature = new int[size];
        int i = 0;
        // a row of layer norm, an example of batch norm
        for (int outer = 0; i < size; outer++) {
            for (int f = 0; f < g.features(); f++) {
                for (int s = 0; s < g.inner(); s++, i++) {
                    group[i] = layer ? outer : f;
                    feature[i] = f;
                }
            }
        }
        return new Members(group, feature);
    }

    @Override
    public String shapeError(Tensor[] in, String[] labels) {
        String name = opName();
        Tensor x = in[0];
        if (layer && x.rank() < 1) {
            return OpText.fail(name, Ops.is(labels[0], x) + " but takes a vector or a tensor normalised over its last axis");
        }
        if (!layer && (x.rank() < 2 || x.rank() > 4)) {
            return OpText.fail(name, Ops.is(labels[0], x) + " but takes N×D, N×C×L or N×C×H×W");
        }
        Groups g = groups(x);
        String what = layer ? labels[0] + "'s last axis has " + g.features() + " entries"
                : labels[0] + " is " + x.shapeText() + " with " + g.features() + (x.rank() == 2 ? " features" : " channels");
        for (int k = 1; k <= 2; k++) {
            if (in[k].rank() != 1 || in[k].dim(0) != g.features()) {
                return OpText.fail(name, labels[k] + " is " + in[k].shapeText() + " but " + what);
            }
        }
        if (!layer && g.count() < 2) {
            return OpText.fail(name, labels[0] + " is " + x.shapeText() + ": one value per feature has no variance over the batch");
        }
        return null;
    }

    /** x̂, 1/σ of each group, and where each entry belongs. */
    private record Normalised(double[] xhat, double[] inverse, Members members) {
    }

    // μ = mean of the group, var = mean of (x − μ)², x̂ = (x − μ)/√(var + ε)
    private Normalised normalise(Tensor in, Groups g) {
        double[] x = in.data();
        Members m = members(g, x.length);
        int[] group = m.group();
        double[] mean = new double[g.groups()];
        double[] var = new double[g.groups()];
        for (int i = 0; i < x.length; i++) {
            mean[group[i]] += x[i];
        }
        for (int k = 0; k < mean.length; k++) {
            mean[k] /= g.count();
        }
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - mean[group[i]];
            var[group[i]] += d * d;
        }
        double[] inverse = new double[g.groups()];
        for (int k = 0; k < inverse.length; k++) {
            inverse[k] = 1.0 / Math.sqrt(var[k] / g.count() + eps);
        }
        double[] xhat = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xhat[i] = (x[i] - mean[group[i]]) * inverse[group[i]];
        }
        return new Normalised(xhat, inverse, m);
    }

    // y = γ ⊙ x̂ + β, γ and β by feature
    @Override
    public Tensor forward(Tensor[] in) {
        Normalised norm = normalise(in[0], groups(in[0]));
        double[] xhat = norm.xhat();
        int[] feature = norm.members().feature();
        double[] gamma = in[1].data();
        double[] beta = in[2].data();
        double[] y = new double[xhat.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = gamma[feature[i]] * xhat[i] + beta[feature[i]];
        }
        return Tensor.of(in[0].shape(), y);
    }

    // ∂f/∂β = Σ δ, ∂f/∂γ = Σ δ ⊙ x̂ (over the entries of each feature); with g = γ ⊙ δ, per group,
    // ∂f/∂x = (1/σ)(g − mean(g) − x̂ ⊙ mean(g ⊙ x̂))
    @Override
    public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
        Groups g = groups(in[0]);
        double[] delta = upstream.data();
        if (k == 2) {
            int[] feature = members(g, delta.length).feature();
            double[] d = new double[g.features()];
            for (int i = 0; i < delta.length; i++) {
                d[feature[i]] += delta[i];
            }
            return Tensor.of(in[2].shape(), d);
        }
        Normalised norm = normalise(in[0], g);
        double[] xhat = norm.xhat();
        int[] group = norm.members().group();
        int[] feature = norm.members().feature();
        if (k == 1) {
            double[] d = new double[g.features()];
            for (int i = 0; i < delta.length; i++) {
                d[feature[i]] += delta[i] * xhat[i];
            }
            return Tensor.of(in[1].shape(), d);
        }
        double[] gamma = in[1].data();
        double[] meanG = new double[g.groups()];
        double[] meanGx = new double[g.groups()];
        double[] scaled = new double[delta.length];
        for (int i = 0; i < delta.length; i++) {
            scaled[i] = gamma[feature[i]] * delta[i];
            meanG[group[i]] += scaled[i];
            meanGx[group[i]] += scaled[i] * xhat[i];
        }
        double[] dx = new double[delta.length];
        for (int i = 0; i < dx.length; i++) {
            int grp = group[i];
            dx[i] = norm.inverse()[grp] * (scaled[i] - meanG[grp] / g.count() - xhat[i] * meanGx[grp] / g.count());
        }
        return Tensor.of(in[0].shape(), dx);
    }

    @Override
    public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
        Groups g = groups(values[0]);
        String each = each(g, values[0]);
        return new Formula.Words(switch (k) {
            case 0 -> "diag(" + in.get(1).text() + ")(I − 11ᵀ/" + g.count() + " − x̂x̂ᵀ/" + g.count() + ")/σ " + each
                    + " (x̂ = (" + in.get(0).text() + " − μ)/σ, σ = √(var + ε))";
            case 1 -> "diag(x̂) " + each;
            default -> "I " + each;
        });
    }

    /** {@code for each of the 4 rows}, {@code for each of the 3 features over the batch}. */
    private String each(Groups g, Tensor x) {
        if (layer) {
            return g.groups() == 1 ? "over the vector" : "for each of the " + g.groups() + " rows";
        }
        return "for each of the " + g.groups() + (x.rank() == 2 ? " features" : " channels") + " over the batch";
    }

    @Override
    public Formula apply(List<Formula> in) {
        return eps == EPS ? OpText.call(opName(), in) : OpText.call(opName(), in, "eps", Shapes.number(eps));
    }

    // forward: the members' layout, the mean, the variance, x̂ and y; backward: x̂ again for ∂x and ∂γ, then their
    // sums: about 20 passes over x and its arrays, 80 multiply-adds' time per entry (measured), and a square root per
    // group
    @Override
    public long work(Tensor[] in) {
        Groups g = groups(in[0]);
        return 80L * in[0].size() + 20L * g.groups();
    }
}
