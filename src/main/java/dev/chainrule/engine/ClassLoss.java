package dev.chainrule.engine;

import java.util.List;

/**
 * The classification losses of a batch of scores S (N×C, one row per example; or a C-vector, one example) against
 * class labels y (N integers in [0, C), or one), averaged over the examples: {@code cross_entropy(S, y)} as
 * {@code F.cross_entropy} and {@code svm(S, y, margin=1)}, CS231n's multiclass SVM. The labels are an index operand:
 * they have no gradient.
 *
 * @param svm    the multiclass SVM, else softmax cross-entropy
 * @param margin Δ of the SVM (unused by cross-entropy)
 */
public record ClassLoss(boolean svm, double margin) implements Op {

    /** Softmax cross-entropy. */
    public static final ClassLoss CROSS_ENTROPY = new ClassLoss(false, 1);

    /** The multiclass SVM with margin Δ. */
    public static ClassLoss svm(double margin) {
        return new ClassLoss(true, margin);
    }

    @Override public String opName() { return svm ? "svm" : "cross_entropy"; }
    @Override public int arity() { return 2; }
    @Override public boolean isIndex(int k) { return k == 1; }

    private static int rows(Tensor s) {
        return s.rank() == 1 ? 1 : s.dim(0);
    }

    private static int classes(Tensor s) {
        return s.dim(s.rank() - 1);
    }

    @Override
    public String shapeError(Tensor[] in, String[] labels) {
        String name = opName();
        Tensor s = in[0];
        Tensor y = in[1];
        if (s.rank() != 1 && s.rank() != 2) {
            return OpText.fail(name, Ops.is(labels[0], s) + " but takes scores N×C (or a C-vector for one example)");
        }
        if (s.rank() == 1 && y.rank() != 0) {
            return OpText.fail(name, Ops.is(labels[0], s) + " (one example) but " + Ops.is(labels[1], y) + ": it takes one label");
        }
        if (s.rank() == 2 && (y.rank() != 1 || y.dim(0) != s.dim(0))) {
            return OpText.fail(name, labels[0] + " is " + s.shapeText() + " but " + Ops.is(labels[1], y) + ": it takes one label per row, "
                    + s.dim(0) + " in all");
        }
        int c = classes(s);
        for (int i = 0; i < y.size(); i++) {
            double label = y.get(i);
            String at = y.rank() == 0 ? labels[1] : labels[1] + "[" + i + "]";
            if (label != Math.rint(label)) {
                return OpText.fail(name, at + " is " + label + ", not a class index");
            }
            if (label < 0 || label >= c) {
                return OpText.fail(name, at + " is " + Shapes.number(label) + " but " + labels[0] + " has " + c + " classes (0 to "
                        + (c - 1) + ")");
            }
        }
        return null;
    }

    // cross-entropy: J = (1/N) Σᵢ (log Σⱼ e^Sᵢⱼ − Sᵢyᵢ);
    // svm: J = (1/N) Σᵢ Σ_{j≠yᵢ} max(0, Sᵢⱼ − Sᵢyᵢ + Δ)
    @Override
    public Tensor forward(Tensor[] in) {
        double[] s = in[0].data();
        int n = rows(in[0]);
        int c = classes(in[0]);
        double total = 0;
        for (int i = 0; i < n; i++) {
            int y = (int) in[1].get(i);
            if (svm) {
                double correct = s[i * c + y];
                for (int j = 0; j < c; j++) {
                    total += j == y ? 0.0 : Math.max(0.0, s[i * c + j] - correct + margin);
                }
            } else {
                total += Maths.logSumExp(java.util.Arrays.copyOfRange(s, i * c, (i + 1) * c)) - s[i * c + y];
            }
        }
        return Tensor.scalar(total / n);
    }

    // cross-entropy: ∂J/∂Sᵢ = (softmax(Sᵢ) − onehot(yᵢ)) / N;
    // svm: ∂J/∂Sᵢⱼ = 1[Sᵢⱼ − Sᵢyᵢ + Δ > 0] / N for j ≠ yᵢ (a margin of exactly 0 gives 0, as relu), and ∂J/∂Sᵢyᵢ =
    // −(their count) / N; the labels get none
    @Override
    public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
        if (k == 1) {
            return Tensor.of(in[1].shape(), new double[in[1].size()]);
        }
        double[] s = in[0].data();
        int n = rows(in[0]);
        int c = classes(in[0]);
        double scale = upstream.item() / n;
        double[] g = new double[s.length];
        double[] row = new double[c];
        for (int i = 0; i < n; i++) {
            int y = (int) in[1].get(i);
            int at = i * c;
            if (svm) {
                double correct = s[at + y];
                int count = 0;
                for (int j = 0; j < c; j++) {
                    if (j != y && s[at + j] - correct + margin > 0) {
                        g[at + j] = scale;
                        count++;
                    }
                }
                g[at + y] = -count * scale;
            } else {
                Maths.softmax(java.util.Arrays.copyOfRange(s, at, at + c), row);
                for (int j = 0; j < c; j++) {
                    g[at + j] = (row[j] - (j == y ? 1.0 : 0.0)) * scale;
                }
            }
        }
        return Tensor.of(in[0].shape(), g);
    }

    // the SVM bends where a margin is exactly 0: at that score and at its row's label
    @Override
    public List<Kink> kinks(Tensor[] in, Tensor out, double tolerance) {
        List<Kink> kinks = new java.util.ArrayList<>();
        if (!svm) {
            return kinks;
        }
        double[] s = in[0].data();
        int c = classes(in[0]);
        for (int i = 0; i < rows(in[0]); i++) {
            int y = (int) in[1].get(i);
            for (int j = 0; j < c; j++) {
                if (j != y && Ops.near(s[i * c + j] - s[i * c + y] + margin, 0, tolerance)) {
                    kinks.add(new Kink(0, i * c + j, "svm: a margin of exactly 0"));
                    kinks.add(new Kink(0, i * c + y, "svm: a margin of exactly 0"));
                }
            }
        }
        return kinks;
    }

    @Override
    public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
        int n = rows(values[0]);
        String s = in.get(0).text();
        String y = in.get(1).text();
        if (k == 1) {
            return new Formula.Words("none: " + y + " holds class labels");
        }
        if (svm) {
            boolean one = values[0].rank() == 1;
            String label = one ? y : y + "[i]";
            String entry = one ? s + "[j] − " + s + "[" + label + "]" : s + "[i,j] − " + s + "[i," + label + "]";
            return new Formula.Words("(1[" + entry + " + " + Shapes.number(margin) + " > 0] on j ≠ " + label
                    + ", minus their count at j = " + label + ")" + (n == 1 ? "" : " / " + n) + ", as a row");
        }
        Formula p = Formula.infix(Formula.call("softmax", in.get(0)), "−", Formula.call("onehot", in.get(1)));
        Formula row = new Formula.Transposed(new Formula.Group(p));
        return n == 1 ? row : Formula.infix(new Formula.Group(Formula.infix(Formula.num(1), "/", Formula.num(n))), "·", row);
    }

    @Override
    public Formula apply(List<Formula> in) {
        return svm && margin != 1 ? OpText.call(opName(), in, "margin", Shapes.number(margin)) : OpText.call(opName(), in);
    }

    // cross-entropy: an exp per score forward and again backward (an exp is worth about 20 multiply-adds);
    // svm: a comparison and a subtraction per score each way
    @Override
    public long work(Tensor[] in) {
        return (svm ? 8L : 45L) * in[0].size() + 2L * in[1].size();
    }
}
