package dev.chainrule.network;

import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Op;
import java.util.List;
import java.util.Set;

/**
 * The loss J of one example, given the network's output ŷ, with its derivative ∂J/∂ŷ beside it. Targets are per
 * example, in the input's order. Each kind is one file: its reading ({@link Kind}), its maths (the engine's ops or
 * {@link dev.chainrule.engine.Maths}, never written a second time), its formulas, kinks and warnings; the graph makes
 * one node of it over the batch (J = Σₖ Jₖ, or its mean).
 */
public interface Loss {

    /** The wire name, e.g. {@code softmax_cross_entropy}. */
    String wireName();

    /** Forward passes per example: max-margin scores the true and the corrupt window, every other loss one. */
    default int passes() {
        return 1;
    }

    /** The same loss on the examples {@code chosen} (a mini-batch): each per-example target goes with its example. */
    Loss select(int[] chosen);

    /** J of example k; for max-margin {@code corruptScore} is s_c, otherwise ignored. */
    double value(double[] output, int k, double corruptScore);

    /** ∂J/∂ŷ of example k, as a row, into {@code gradient}; for max-margin it is ∂J/∂s (∂J/∂s_c is its negation). */
    void gradient(double[] output, int k, double corruptScore, double[] gradient);

    /** The derivative ∂Jₖ/∂ŷ in the lecture's notation for an output named {@code out}, Unicode and LaTeX side by side. */
    Formula gradient(String out);

    /** The loss of one example on the output {@code out} in the lecture's notation, Unicode and LaTeX side by side. */
    Formula formula(String out);

    /** ∂J/∂(the output of the pass with {@code suffix}), where the chain starts. */
    default Formula seed(String out, String suffix) {
        return gradient(out);
    }

    /**
     * Where example k's output sits on a kink of the loss within {@code tolerance} (a hinge at exactly 0): each an
     * {@link Op.Kink} on a quantity inside the loss, its entry the example's.
     */
    default List<Op.Kink> kinks(double[] output, int k, double corruptScore, double tolerance) {
        return List.of();
    }

    /** Problems that compute but are almost certainly not what was meant (a squashing applied twice). */
    default List<String> warnings(Problem problem) {
        return List.of();
    }

    /** The corrupt inputs of a loss with a second pass (x_c, one per example), else null. */
    default double[][] corruptInputs() {
        return null;
    }

    /** The same loss with other corrupt inputs (the gradient check nudges them). */
    default Loss withCorruptInputs(double[][] inputs) {
        return this;
    }

    /** The rows of {@code all} at {@code chosen}. */
    static double[][] rows(double[][] all, int[] chosen) {
        double[][] out = new double[chosen.length][];
        for (int i = 0; i < chosen.length; i++) {
            out[i] = all[chosen[i]];
        }
        return out;
    }

    /**
     * A kind of loss as the request names it. Kinds are found with {@link java.util.ServiceLoader}
     * ({@code META-INF/services/dev.chainrule.network.Loss$Kind}), in the order listed there.
     */
    interface Kind {

        /** The wire name. */
        String type();

        /** Every field of the loss object, {@code type} included. */
        Set<String> fields();

        /** True when it needs one number out of the network (a score layer or one output). */
        default boolean scalarOutput() {
            return false;
        }

        /** True when it reads per-example targets (and so needs the input read); false for {@code score}. */
        default boolean needsExamples() {
            return true;
        }

        /** Why the network cannot have this loss at all (a softmax over one output), or null. */
        default String refuse(int outputWidth, boolean endsInScore) {
            return null;
        }

        /** The loss, or null after reporting every problem at its path ({@code loss.y[2]}). */
        Loss read(Field loss, Context context);

        /** Fields that are settings or targets, not values: a variant keeps them as written. */
        default Set<String> settings() {
            return Set.of();
        }
    }

    /**
     * What a loss is read against.
     *
     * @param outputWidth entries of the network's output
     * @param examples    the inputs given (one without a batch)
     * @param inputWidth  entries of each input, or -1 when not read
     * @param inputName   what the network reads: {@code x}, or the words of an embedding
     */
    record Context(int outputWidth, boolean batched, int examples, int inputWidth, String inputName) {

        /** Reads a target per example: {@code y} itself, or with a batch a list of one per example. */
        public double[][] targets(Field y, TargetReader reader) {
            if (!y.present() || y.isNull()) {
                y.error("missing: expected the target" + (batched ? "s, one per example of batch" : ""));
                return null;
            }
            if (!batched) {
                double[] t = reader.read(y);
                return t == null ? null : new double[][] {t};
            }
            if (!y.isArray()) {
                y.error("with batch, expected a list of " + examples + " targets (one per example), but got " + y.kind());
                return null;
            }
            if (y.size() != examples) {
                y.error("has " + y.size() + " targets but batch has " + examples + " examples");
                return null;
            }
            double[][] out = new double[examples][];
            boolean ok = true;
            for (int k = 0; k < examples; k++) {
                out[k] = reader.read(y.at(k));
                ok &= out[k] != null;
            }
            return ok ? out : null;
        }

        /** A target vector of the output's width; a number when the output is one number. */
        public double[] vectorTarget(Field t) {
            if (t.isNumber() && outputWidth == 1) {
                Double v = t.readNumber();
                return v == null ? null : new double[] {v};
            }
            if (t.isNumber()) {
                t.error("expected a vector of " + outputWidth + " numbers (the network's output has " + outputWidth
                        + " entries), but got a number");
                return null;
            }
            double[] v = t.readVector();
            if (v != null && v.length != outputWidth) {
                t.error("has " + v.length + " entries but the network's output has " + outputWidth);
                return null;
            }
            return v;
        }

        /**
         * A class index, a whole number from 0 to the output's width − 1; as the one-hot vector when {@code oneHot},
         * else {@code [c]}.
         */
        public double[] classIndex(Field t, boolean oneHot) {
            int classes = outputWidth;
            if (!t.isIntegral()) {
                t.error("a class index must be a whole number from 0 to " + (classes - 1) + ", but got " + t.text());
                return null;
            }
            if (!t.isInt() || (int) t.number() < 0 || (int) t.number() >= classes) {
                t.error("class index " + t.text() + " is out of range: the output has " + classes
                        + " classes, so it must be from 0 to " + (classes - 1));
                return null;
            }
            int c = (int) t.number();
            if (!oneHot) {
                return new double[] {c};
            }
            double[] v = new double[classes];
            v[c] = 1.0;
            return v;
        }
    }

    /** Reads one example's target, or answers null after reporting why not. */
    @FunctionalInterface
    interface TargetReader {
        double[] read(Field target);
    }
}
