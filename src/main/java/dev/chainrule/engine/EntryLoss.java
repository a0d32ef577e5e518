package dev.chainrule.engine;

import java.util.List;

/**
 * The losses of two tensors of one shape, entry against entry and averaged over every entry ({@code n} of them):
 * {@code mse(a, b)} as {@code F.mse_loss}, {@code huber(a, b, delta=1)} as {@code F.huber_loss} and
 * {@code bce_with_logits(z, y)} as {@code F.binary_cross_entropy_with_logits}. Both operands get a gradient (the
 * targets too, as PyTorch gives them).
 *
 * @param kind  which loss
 * @param delta Huber's δ, where the square turns into a line (unused by the others)
 */
public record EntryLoss(Kind kind, double delta) implements Op {

    /** The loss of one pair of entries, with its two partial derivatives beside it. */
    public enum Kind {
        // ℓ = (a − b)²; ∂ℓ/∂a = 2(a − b), ∂ℓ/∂b = −2(a − b)
        MSE("mse") {
            double value(double a, double b, double delta) { return (a - b) * (a - b); }
            double slope(int k, double a, double b, double delta) { return (k == 0 ? 2 : -2) * (a - b); }
        },
        // d = a − b; ℓ = ½d² where |d| ≤ δ, else δ(|d| − ½δ); ∂ℓ/∂a = clip(d, −δ, δ), ∂ℓ/∂b = −clip(d, −δ, δ)
        HUBER("huber") {
            double value(double a, double b, double delta) {
                double d = Math.abs(a - b);
                return d <= delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
            }
            double slope(int k, double a, double b, double delta) {
                double clipped = Math.max(-delta, Math.min(delta, a - b));
                return k == 0 ? clipped : -clipped;
            }
        },
        // ℓ = max(z, 0) − z·y + log(1 + e^−|z|) (= −y log σ(z) − (1 − y) log(1 − σ(z)), stably);
        // ∂ℓ/∂z = σ(z) − y, ∂ℓ/∂y = −z
        BCE_WITH_LOGITS("bce_with_logits") {
            double value(double z, double y, double delta) { return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z))); }
            double slope(int k, double z, double y, double delta) { return k == 0 ? Maths.sigmoid(z) - y : -z; }
        };

        final String name;

        Kind(String name) {
            this.name = name;
        }

        abstract double value(double a, double b, double delta);

        /** ∂ℓ/∂(operand k). */
        abstract double slope(int k, double a, double b, double delta);
    }

    public static EntryLoss mse() {
        return new EntryLoss(Kind.MSE, 1);
    }

    public static EntryLoss huber(double delta) {
        return new EntryLoss(Kind.HUBER, delta);
    }

    public static EntryLoss bceWithLogits() {
        return new EntryLoss(Kind.BCE_WITH_LOGITS, 1);
    }

    @Override public String opName() { return kind.name; }
    @Override public int arity() { return 2; }

    @Override
    public String shapeError(Tensor[] in, String[] labels) {
        if (in[0].sameShape(in[1])) {
            return null;
        }
        return OpText.fail(opName(), Ops.is(labels[0], in[0]) + " but " + Ops.is(labels[1], in[1])
                + ": it compares two tensors of one shape, entry by entry");
    }

    // J = (1/n) Σᵢ ℓ(aᵢ, bᵢ)
    @Override
    public Tensor forward(Tensor[] in) {
        double total = 0;
        for (int i = 0; i < in[0].size(); i++) {
            total += kind.value(in[0].get(i), in[1].get(i), delta);
        }
        return Tensor.scalar(total / in[0].size());
    }

    // ∂J/∂aᵢ = ∂ℓ(aᵢ, bᵢ)/∂aᵢ / n, and the same for b
    @Override
    public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
        double scale = upstream.item() / in[0].size();
        double[] g = new double[in[k].size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = scale * kind.slope(k, in[0].get(i), in[1].get(i), delta);
        }
        return Tensor.of(in[k].shape(), g);
    }

    @Override
    public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
        Formula a = in.get(0);
        Formula b = in.get(1);
        Formula slope = switch (kind) {
            case MSE -> Formula.infix(Formula.num(k == 0 ? 2 : -2), "·", new Formula.Group(Formula.infix(a, "−", b)));
            case HUBER -> {
                Formula clip = Formula.call("clip", Formula.infix(a, "−", b), Formula.num(-delta), Formula.num(delta));
                yield k == 0 ? clip : new Formula.Neg(clip);
            }
            case BCE_WITH_LOGITS -> k == 0 ? Formula.infix(Formula.call("σ", a), "−", b) : new Formula.Neg(a);
        };
        int n = values[0].size();
        Formula row = values[0].rank() == 0 ? slope : new Formula.Transposed(new Formula.Group(slope));
        return n == 1 ? row : Formula.infix(new Formula.Group(Formula.infix(Formula.num(1), "/", Formula.num(n))), "·", row);
    }

    @Override
    public Formula apply(List<Formula> in) {
        return kind == Kind.HUBER && delta != 1 ? OpText.call(opName(), in, "delta", Shapes.number(delta)) : OpText.call(opName(), in);
    }

    // per pair, both ways, in multiply-adds' time (measured): the square about 8; Huber's branch on |a − b| ≤ δ
    // about 24; the logistic loss's exp and log forward and exp backward about 80
    @Override
    public long work(Tensor[] in) {
        return (kind == Kind.MSE ? 8L : kind == Kind.HUBER ? 24L : 80L) * in[0].size();
    }
}
