package dev.chainrule.network;

import dev.chainrule.engine.ClassLoss;
import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Op;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code {"type": "multiclass_svm", "y": k, "margin": 1}}: CS231n's multiclass SVM loss, J = Σ_{j≠y} max(0, ŷ_j − ŷ_y
 * + margin) per example ({@code reduction} over a batch). It is the engine's {@code svm} op on one example's scores
 * and its class (the one {@code /v1/graph} writes {@code svm(S, y, margin=…)}): its value, its derivative (1 where a
 * margin is violated, minus their count at y) and its kinks are the op's; a margin of exactly 0 passes no gradient.
 *
 * @param classes each example's class y
 */
public record MulticlassSvm(int[] classes, double margin) implements Loss {

    public static final double DEFAULT_MARGIN = 1.0;

    @Override public String wireName() { return "multiclass_svm"; }

    @Override
    public Loss select(int[] chosen) {
        int[] c = new int[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            c[i] = classes[chosen[i]];
        }
        return new MulticlassSvm(c, margin);
    }

    private Op op() {
        return ClassLoss.svm(margin);
    }

    /** Example k's operands: its scores and its class (an index). */
    private Tensor[] operands(double[] out, int k) {
        return new Tensor[] {Tensor.vector(out), Tensor.scalar(classes[k])};
    }

    @Override
    public double value(double[] out, int k, double sc) {
        return op().forward(operands(out, k)).item();
    }

    @Override
    public void gradient(double[] out, int k, double sc, double[] g) {
        Op op = op();
        Tensor[] in = operands(out, k);
        System.arraycopy(op.backward(0, in, op.forward(in), Tensor.scalar(1.0)).data(), 0, g, 0, g.length);
    }

    /** The op's kinks, one per class j ≠ y whose term is 0: {@code ŷ[2] − ŷ[0] + margin = 0}. */
    @Override
    public List<Op.Kink> kinks(double[] out, int k, double sc, double tolerance) {
        Op op = op();
        Tensor[] in = operands(out, k);
        List<Op.Kink> found = new ArrayList<>();
        for (Op.Kink kink : op.kinks(in, op.forward(in), tolerance)) {
            if (kink.entry() != classes[k]) {
                found.add(new Op.Kink(-1, k, "0", "ŷ[" + kink.entry() + "] − ŷ[" + classes[k] + "] + margin",
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
