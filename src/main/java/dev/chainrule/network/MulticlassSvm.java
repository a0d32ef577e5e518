package dev.chainrule.network;

import dev.chainrule.engine.Composite;
import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Op;
import dev.chainrule.engine.Ops;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code {"type": "multiclass_svm", "y": k, "margin": 1}}: CS231n's multiclass SVM loss, J = Σ_{j≠y} max(0, ŷ_j − ŷ_y
 * + margin) per example ({@code reduction} over a batch). One composite of the engine's ops: ŷ_y = ŷ·e_y (dot),
 * the margins ŷ − ŷ_y + margin (sub, add), relu of each, the y term masked out by 1 − e_y (mul), summed. Its
 * derivative is theirs: 1[ŷ_j − ŷ_y + margin &gt; 0] at j ≠ y and minus their count at y; a margin of exactly 0 passes
 * no gradient (relu'(0) = 0), and is a kink.
 *
 * @param classes each example's class y
 */
public record MulticlassSvm(int[] classes, double margin) implements Loss {

    public static final double DEFAULT_MARGIN = 1.0;
    private static final String MARGINS = "ŷ − ŷ_y + margin";

    @Override public String wireName() { return "multiclass_svm"; }

    @Override
    public Loss select(int[] chosen) {
        int[] c = new int[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            c[i] = classes[chosen[i]];
        }
        return new MulticlassSvm(c, margin);
    }

    /** Σ_{j≠y} relu(ŷ_j − ŷ_y + margin) of one example: its operands ŷ and the one-hot e_y. */
    private Composite hinges() {
        Composite.Recipe r = new Composite.Recipe("multiclass_svm");
        int out = r.operand(true);
        int onehot = r.operand(true);
        int correct = r.apply(Ops.dot(), out, onehot);
        int margins = r.apply(MARGINS, Ops.add(), r.apply(Ops.sub(), out, correct), r.constant(margin));
        int others = r.apply(Ops.sub(), r.constant(1.0), onehot);
        return r.build(r.apply(Ops.sum(), r.apply(Ops.mul(), r.apply(Ops.elementwise("relu"), margins), others)), false);
    }

    private Tensor[] operands(double[] out, int k) {
        double[] onehot = new double[out.length];
        onehot[classes[k]] = 1.0;
        return new Tensor[] {Tensor.vector(out), Tensor.vector(onehot)};
    }

    @Override
    public double value(double[] out, int k, double sc) {
        return hinges().forward(operands(out, k)).item();
    }

    @Override
    public void gradient(double[] out, int k, double sc, double[] g) {
        Composite c = hinges();
        Tensor[] in = operands(out, k);
        System.arraycopy(c.backward(0, in, c.forward(in), Tensor.scalar(1.0)).data(), 0, g, 0, g.length);
    }

    /** The composite's relu kinks, but for the y term it masks out: {@code h[2] − h[y] + margin = 0}. */
    @Override
    public List<Op.Kink> kinks(double[] out, int k, double sc, double tolerance) {
        Composite c = hinges();
        Tensor[] in = operands(out, k);
        List<Op.Kink> found = new ArrayList<>();
        for (Op.Kink kink : c.kinks(in, c.forward(in), tolerance)) {
            if (MARGINS.equals(kink.quantity()) && kink.entry() != classes[k]) {
                found.add(new Op.Kink(-1, k, kink.at(), "ŷ[" + kink.entry() + "] − ŷ[" + classes[k] + "] + margin",
                        "multiclass_svm hinge"));
            }
        }
        return found;
    }

    @Override
    public Formula formula(String out) {
        Formula m = term(out);
        return new Formula.Tex("Σ_{j≠y} max(0, " + m.text() + ")", "\\sum_{j \\ne y} \\max (0, " + m.latex() + ")");
    }

    @Override
    public Formula gradient(String out) {
        Formula m = term(out);
        return new Formula.Tex("Σ_{j≠y} 1[" + m.text() + " > 0](e_j − e_y)ᵀ",
                "\\sum_{j \\ne y} \\mathbf{1}[" + m.latex() + " > 0](e_{j} - e_{y})^{\\top}");
    }

    /** The margin term out_j − out_y + margin, its text and LaTeX side by side. */
    private Formula term(String out) {
        String m = NetworkGraph.plain(margin);
        String o = Formula.name(out);
        return new Formula.Tex(out + "_j − " + out + "_y + " + m, o + "_{j} - " + o + "_{y} + " + m);
    }

    /** {@code {"type": "multiclass_svm", "y": k, "margin": 1}}: a class index per example, a margin ≥ 0. */
    public static final class Kind implements Loss.Kind {
        @Override public String type() { return "multiclass_svm"; }
        @Override public Set<String> fields() { return Set.of("type", "y", "margin"); }
        @Override public Set<String> settings() { return Set.of("y", "margin"); }

        @Override
        public String refuse(int outputWidth, boolean endsInScore) {
            return outputWidth != 1 ? null : "multiclass_svm over one " + (endsInScore ? "score" : "output")
                    + " is always 0: it sums over the classes j ≠ y, and there are none. For classes, end in a dense"
                    + " layer with one output per class";
        }

        @Override
        public Loss read(Field loss, Context context) {
            double margin = DEFAULT_MARGIN;
            Field mf = loss.at("margin");
            if (mf.present()) {
                Double m = mf.readNumber();
                if (m != null && m < 0) {
                    mf.error("must be 0 or more (the margin by which the class's score should beat the others), but got " + m);
                }
                if (m == null || m < 0) {
                    return null;
                }
                margin = m;
            }
            double[][] y = context.targets(loss.at("y"), t -> {
                if (!t.isNumber()) {
                    t.error("expected a class index, a whole number from 0 to " + (context.outputWidth() - 1) + ", but got " + t.kind());
                    return null;
                }
                return context.classIndex(t, false);
            });
            if (y == null) {
                return null;
            }
            int[] classes = new int[y.length];
            for (int k = 0; k < y.length; k++) {
                classes[k] = (int) y[k][0];
            }
            return new MulticlassSvm(classes, margin);
        }
    }
}
