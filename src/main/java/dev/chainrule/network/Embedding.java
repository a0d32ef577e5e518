package dev.chainrule.network;

import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Ops;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code {"type": "embedding", "L": M}}, only as the first layer: the request gives {@code words} (a window of row
 * indices of L) instead of x, or {@code batch_words} instead of batch, and x is the window's rows of L concatenated
 * (CS224N's x_window), which the rest of the network reads as usual. It compiles to the engine's embedding op, whose
 * backward scatters ∂J/∂x into the rows looked up, added where a word repeats; the words get no gradient.
 *
 * @param table  L, a row per word of the vocabulary
 * @param window words per example
 */
public record Embedding(Tensor table, int window) implements Layer {

    public static final Kind KIND = new Kind();

    @Override public Kind kind() { return KIND; }
    @Override public int inputSize() { return window; }
    @Override public int outputSize() { return window * table.dim(1); }
    @Override public Map<String, Tensor> parameters() { return Map.of("L", table); }
    @Override public Layer withParameters(Map<String, Tensor> values) { return new Embedding(values.get("L"), window); }
    @Override public Set<String> penalized() { return Set.of("L"); }

    // x = [L[w₁]; …; L[wₙ]] for each example's words
    @Override
    public int[] compile(NetworkGraph.Compiler c, int[] in) {
        int l = c.parameter("L");
        c.beforeOutputs();
        int[] x = new int[c.passes()];
        for (int p = c.passes() - 1; p >= 0; p--) {
            x[p] = c.apply("x", p, Ops.embedding(), l, in[p]);
        }
        return x;
    }

    @Override
    public Map<String, Formula> formulas(LayerNames n, String suffix) {
        List<String> text = new ArrayList<>();
        List<String> latex = new ArrayList<>();
        String l = n.of("L");
        for (int i = 1; i <= window; i++) {
            text.add(l + "[w" + i + "]");
            latex.add(Formula.name(l) + "_{w_{" + i + "}}");
        }
        return Map.of("x", new Formula.Tex("[" + String.join("; ", text) + "]",
                "\\begin{bmatrix} " + String.join(" \\\\ ", latex) + " \\end{bmatrix}"));
    }

    @Override public Map<String, Object> wire() { return Layer.wire("embedding", parameters()); }
    @Override public long multiplyAdds() { return 0; }
    @Override public Map<String, Long> elementwise() { return Map.of("embedding", (long) outputSize()); }

    /** Its step's local Jacobian is ∂x/∂L, of (window·d) × (rows·d) entries, per example and pass. */
    @Override
    public long stepNumbers(long examples, long passes) {
        long x = outputSize();
        return examples * passes * (x * table.size() + 2 * x) + 2L * table.size();
    }

    /** Reads an embedding: L, and the request's words (or batch_words), each a row of L. Only as the first layer. */
    public static final class Kind implements Layer.Kind {

        static final String WORDS = "words";
        static final String BATCH_WORDS = "batch_words";

        @Override public String type() { return "embedding"; }
        @Override public List<String> outputs() { return List.of("x"); }
        @Override public String inputName() { return WORDS; }
        @Override public List<String> inputFields() { return List.of(WORDS, BATCH_WORDS); }

        @Override
        public Input readInput(Field body) {
            Field words = body.at(WORDS);
            Field batch = body.at(BATCH_WORDS);
            if (words.present() && batch.present()) {
                batch.error("give either words (one window) or batch_words (a window per example), not both");
                return null;
            }
            if (!words.present() && !batch.present()) {
                words.error("missing: the first layer is an embedding, so give words (the window's row indices of L)"
                        + " or batch_words (one window per example)");
                return null;
            }
            if (words.present()) {
                double[] w = indices(words);
                return w == null ? null : new Input(new double[][] {w}, false);
            }
            if (!batch.isArray() || batch.size() == 0) {
                batch.error("expected a non-empty list of windows (lists of row indices of L), but got " + batch.describe());
                return null;
            }
            double[][] rows = new double[batch.size()][];
            boolean ok = true;
            for (int k = 0; k < rows.length; k++) {
                rows[k] = indices(batch.at(k));
                ok &= rows[k] != null;
                if (rows[k] != null && rows[0] != null && rows[k].length != rows[0].length) {
                    batch.at(k).error("has " + rows[k].length + " words but window 0 has " + rows[0].length
                            + ": every window of a batch must have the same length");
                    ok = false;
                }
            }
            return ok ? new Input(rows, true) : null;
        }

        /** A non-empty list of whole numbers ≥ 0 (checked against L's rows once L is read). */
        private static double[] indices(Field list) {
            if (!list.isArray() || list.size() == 0) {
                list.error("expected a non-empty list of row indices of L (whole numbers from 0), but got " + list.describe());
                return null;
            }
            double[] out = new double[list.size()];
            boolean ok = true;
            for (int i = 0; i < out.length; i++) {
                Field w = list.at(i);
                if (!w.isIntegral() || !w.isInt() || w.number() < 0) {
                    w.error("expected a row index of L (a whole number from 0), but got " + w.describe());
                    ok = false;
                } else {
                    out[i] = w.number();
                }
            }
            return ok ? out : null;
        }

        @Override
        public Layer read(Field node, Context context) {
            node.only(Set.of("type", "L"), "an embedding layer has type and L");
            if (!context.first()) {
                node.error("an embedding layer can only be the first layer: it looks up the words the request gives"
                        + " (words or batch_words, in place of x)");
            }
            double[][] table = node.at("L").readMatrix();
            if (table == null || !context.first() || context.inputs() == null) {
                return null;
            }
            boolean ok = true;
            double[][] words = context.inputs();
            for (int k = 0; k < words.length; k++) {
                for (int i = 0; i < words[k].length; i++) {
                    if (words[k][i] >= table.length) {
                        String at = context.batched() ? BATCH_WORDS + "[" + k + "][" + i + "]" : WORDS + "[" + i + "]";
                        node.errorAt(at, "is " + (long) words[k][i] + " but L has " + table.length
                                + " rows: a word is a row index of L, from 0 to " + (table.length - 1));
                        ok = false;
                    }
                }
            }
            return ok ? new Embedding(Tensor.matrix(table), words[0].length) : null;
        }

        /** The window's width times L's columns, where L can be read. */
        @Override
        public int declaredOutputs(Field node, int inputWidth) {
            Field l = node.isObject() ? node.at("L") : null;
            return l == null || !l.isArray() || l.size() == 0 || !l.at(0).isArray() || inputWidth < 0 ? -1 : l.at(0).size() * inputWidth;
        }
    }
}
