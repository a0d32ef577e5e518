package dev.chainrule.network;

import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Maths;
import dev.chainrule.engine.Op;
import java.util.List;
import java.util.Set;

/**
 * J = max(0, margin − s + s_c), the hinge of a true window's score s against a corrupt one's s_c (CS224N lecture 3):
 * ∂J/∂s = −1 and ∂J/∂s_c = +1 where margin − s + s_c &gt; 0, both 0 otherwise (exactly 0 passes no gradient, as
 * relu'(0) = 0).
 *
 * @param corruptInputs x_c of each example, in the input's order
 */
public record MaxMargin(double[][] corruptInputs, double margin) implements Loss {

    public static final double DEFAULT_MARGIN = 1.0;

    @Override public int passes() { return 2; }
    @Override public Loss select(int[] chosen) { return new MaxMargin(Loss.rows(corruptInputs, chosen), margin); }
    @Override public Loss withCorruptInputs(double[][] inputs) { return new MaxMargin(inputs, margin); }
    @Override public String wireName() { return "max_margin"; }

    // J = relu(margin − s + s_c); ∂J/∂s = −relu'(margin − s + s_c) (∂J/∂s_c is its negation)
    @Override
    public double value(double[] out, int k, double sc) {
        return Maths.relu(margin - out[0] + sc);
    }

    @Override
    public void gradient(double[] out, int k, double sc, double[] g) {
        g[0] = 0.0 - Maths.reluSlope(margin - out[0] + sc); // 0.0 − 0.0, not −0.0, where the hinge is flat
    }

    @Override
    public List<Op.Kink> kinks(double[] out, int k, double sc, double tolerance) {
        return Math.abs(margin - out[0] + sc) <= tolerance
                ? List.of(new Op.Kink(-1, k, "0", "margin − s + s_c", "max-margin hinge")) : List.of();
    }

    @Override public Formula formula(String out) {
        String m = margin == Math.rint(margin) && Math.abs(margin) < 1e15 ? Long.toString((long) margin) : Double.toString(margin);
        return new Formula.Tex("max(0, " + m + " − s + s_c)", "\\max (0, " + m + " - s + s_{c})");
    }

    @Override public Formula gradient(String out) { return new Formula.Tex("−1[margin − s + s_c > 0]", "-\\mathbf{1}[\\text{margin} - s + s_{c} > 0]"); }

    @Override
    public Formula seed(String out, String suffix) {
        return suffix.isEmpty() ? gradient(out) : new Formula.Tex("+1[margin − s + s_c > 0]", "+\\mathbf{1}[\\text{margin} - s + s_{c} > 0]");
    }

    /** {@code {"type": "max_margin", "x_c": v, "margin": 1}}, or {@code batch_c} (a corrupt input per example) with a batch. */
    public static final class Kind implements Loss.Kind {
        @Override public String type() { return "max_margin"; }
        @Override public Set<String> fields() { return Set.of("type", "x_c", "batch_c", "margin"); }
        @Override public Set<String> settings() { return Set.of("margin"); }
        @Override public boolean scalarOutput() { return true; }

        @Override
        public Loss read(Field loss, Context context) {
            double margin = DEFAULT_MARGIN;
            if (loss.at("margin").present()) {
                Double m = loss.at("margin").readNumber();
                if (m == null) {
                    return null;
                }
                margin = m;
            }
            if (!context.inputName().equals("x")) {
                loss.at("type").error("max_margin scores a corrupt input x_c beside x, but this network reads "
                        + context.inputName() + ", not x: no corrupt window can be given");
                return null;
            }
            double[][] corrupt = corruptInputs(loss, context);
            return corrupt == null || context.outputWidth() != 1 ? null : new MaxMargin(corrupt, margin);
        }

        private static double[][] corruptInputs(Field loss, Context context) {
            boolean batched = context.batched();
            Field c = loss.at(batched ? "batch_c" : "x_c");
            Field other = loss.at(batched ? "x_c" : "batch_c");
            if (other.present()) {
                other.error(batched ? "with batch, give the corrupt inputs as loss.batch_c (one per example)"
                        : "with x, give the corrupt input as loss.x_c");
                return null;
            }
            if (!c.present()) {
                c.error("missing: max_margin needs the corrupt input" + (batched ? "s, one per example of batch" : " x_c"));
                return null;
            }
            double[][] rows;
            if (batched) {
                rows = c.readRows("corrupt input vectors");
                if (rows != null && rows.length != context.examples()) {
                    c.error("has " + rows.length + " corrupt inputs but batch has " + context.examples() + " examples");
                    return null;
                }
            } else {
                double[] xc = c.readVector();
                rows = xc == null ? null : new double[][] {xc};
            }
            if (rows != null && context.inputWidth() >= 0 && rows[0].length != context.inputWidth()) {
                (batched ? c.at(0) : c).error("has " + rows[0].length + " entries but "
                        + (batched ? "each input of batch" : "x") + " has " + context.inputWidth());
                return null;
            }
            return rows;
        }
    }
}
