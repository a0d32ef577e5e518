package dev.chainrule.network;

import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Ops;
import dev.chainrule.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code {"type": "dropout", "mask": v, "p": 0.5}}: inverted dropout with a given 0/1 mask, m = in ⊙ mask / (1 − p)
 * (with a batch, one mask row per example). It compiles to the engine's product entry by entry with the constant
 * mask / (1 − p): ∂m/∂in = diag(mask / (1 − p)); the mask gets no gradient. Max-margin's corrupt window goes through
 * the same mask.
 *
 * @param mask  the 0/1 mask, a vector, or a row per example with a batch
 * @param width entries of its input (and output)
 */
public record Dropout(Tensor mask, double p, int width) implements Layer {

    public static final double DEFAULT_P = 0.5;
    public static final Kind KIND = new Kind();

    @Override public Kind kind() { return KIND; }
    @Override public int inputSize() { return width; }
    @Override public int outputSize() { return width; }
    @Override public Map<String, Tensor> parameters() { return Map.of(); }
    @Override public Layer withParameters(Map<String, Tensor> values) { return this; }

    /** A mask row per example goes with its example. */
    @Override
    public Layer select(int[] chosen) {
        if (mask.rank() < 2) {
            return this;
        }
        java.util.List<Tensor> rows = new java.util.ArrayList<>();
        for (int k : chosen) {
            rows.add(mask.slice(k));
        }
        return new Dropout(Tensor.stack(rows), p, width);
    }

    // m = in ⊙ (mask / (1 − p))
    @Override
    public int[] compile(NetworkGraph.Compiler c, int[] in) {
        c.beforeOutputs();
        double keep = 1 - p;
        int scaled = c.constant("mask", mask.map(v -> v / keep), mask.rank() > 1);
        int[] m = new int[c.passes()];
        for (int pass = c.passes() - 1; pass >= 0; pass--) {
            m[pass] = c.apply("m", pass, Ops.mul(), in[pass], scaled);
        }
        return m;
    }

    @Override
    public Map<String, Formula> formulas(LayerNames n, String suffix) {
        String in = n.input() + suffix;
        String drop = NetworkGraph.plain(p);
        return Map.of("m", new Formula.Tex(in + " ⊙ mask / (1 − " + drop + ")",
                Formula.name(in) + " \\odot \\mathrm{mask} / (1 - " + drop + ")"));
    }

    @Override
    public Map<String, Object> wire() {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("type", "dropout");
        l.put("mask", mask);
        l.put("p", p);
        return l;
    }

    @Override public long multiplyAdds() { return 0; }
    @Override public Map<String, Long> elementwise() { return Map.of("mul", (long) width); }

    /** Reads a dropout: its mask (0s and 1s, as long as its input; a row per example with a batch) and p in [0, 1). */
    public static final class Kind implements Layer.Kind {

        @Override public String type() { return "dropout"; }
        @Override public List<String> outputs() { return List.of("m"); }
        @Override public Set<String> settings() { return Set.of("mask", "p"); }

        @Override
        public Layer read(Field node, Context context) {
            node.only(Set.of("type", "mask", "p"), "a dropout layer has type, mask and p");
            double p = DEFAULT_P;
            Field pf = node.at("p");
            if (pf.present()) {
                Double v = pf.readNumber();
                if (v != null && !(v >= 0 && v < 1)) {
                    pf.error("must be from 0 to below 1 (the probability of dropping an entry), but got " + v);
                }
                if (v == null || !(v >= 0 && v < 1)) {
                    return null;
                }
                p = v;
            }
            Field mf = node.at("mask");
            if (!mf.present()) {
                mf.error("missing: expected the dropout mask, 0 (dropped) or 1 (kept) per entry"
                        + (context.batched() ? ", a row per example" : ""));
                return null;
            }
            int width = context.inputWidth();
            Tensor mask;
            if (context.batched()) {
                double[][] rows = mf.isArray() && mf.size() > 0 && !mf.at(0).isArray() ? null : mf.readMatrix();
                if (rows == null) {
                    if (mf.isArray() && mf.size() > 0 && !mf.at(0).isArray()) {
                        mf.error("with a batch, give one mask row per example (a list of rows), but got one row");
                    }
                    return null;
                }
                int examples = context.inputs() == null ? -1 : context.inputs().length;
                if (examples >= 0 && rows.length != examples) {
                    mf.error("has " + rows.length + " rows but the batch has " + examples + " examples: one mask row per example");
                    return null;
                }
                if (!fits(mf.at(0), rows[0].length, context) || !zeroOrOne(mf, rows)) {
                    return null;
                }
                mask = Tensor.matrix(rows);
            } else {
                double[] v = mf.readVector();
                if (v == null || !fits(mf, v.length, context) || !zeroOrOne(mf, new double[][] {v})) {
                    return null;
                }
                mask = Tensor.vector(v);
            }
            return width < 0 ? null : new Dropout(mask, p, width);
        }

        private static boolean fits(Field f, int length, Context context) {
            if (context.inputWidth() >= 0 && length != context.inputWidth()) {
                f.error("has " + length + " entries but its input " + context.inputDescription() + ": a mask entry per entry");
                return false;
            }
            return true;
        }

        private static boolean zeroOrOne(Field mask, double[][] rows) {
            boolean ok = true;
            for (int k = 0; k < rows.length; k++) {
                for (int i = 0; i < rows[k].length; i++) {
                    if (rows[k][i] != 0 && rows[k][i] != 1) {
                        Field at = rows.length == 1 && !mask.at(0).isArray() ? mask.at(i) : mask.at(k).at(i);
                        at.error("is " + rows[k][i] + ": a dropout mask keeps (1) or drops (0) each entry");
                        ok = false;
                    }
                }
            }
            return ok;
        }

        /** Its output is as wide as its input. */
        @Override
        public int declaredOutputs(Field node, int inputWidth) {
            return inputWidth;
        }
    }
}
