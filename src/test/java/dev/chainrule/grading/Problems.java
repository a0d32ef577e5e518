package dev.chainrule.grading;

import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Gradients;
import dev.chainrule.network.Golden;
import dev.chainrule.network.Problem;
import dev.chainrule.engine.Tensor;
import dev.chainrule.config.Limits;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The problems the grading tests use, and the engine's answers to them. */
final class Problems {

    /** The contract's running example, CS224N lecture 3: one sigmoid layer and a score. */
    static final String RUNNING_EXAMPLE = Golden.request("cs224n-score");

    static final GradientEngine ENGINE = new GradientEngine();

    private Problems() {
    }

    /** The golden two-layer softmax classifier (ReLU hidden layer with a dead unit, softmax cross-entropy). */
    static String softmax() {
        return Golden.request("notes-softmax-classifier");
    }

    static JsonNode json(String text) {
        return Golden.json().readTree(text);
    }

    static Problem problem(String json) {
        return new ProblemReader(Limits.defaults()).read(json(json), "").problem();
    }

    static Gradients expected(Problem p) {
        return ENGINE.compute(p, new GradientEngine.Options(false, false));
    }

    /** The gradients with dense layer {@code layer}'s f'(z) left out. */
    static Gradients withoutDerivative(Problem p, int layer) {
        return ENGINE.compute(p, GradientEngine.Options.withoutDerivativeOf(layer));
    }

    static Map<String, Answer> answers(Object... nameTensorPairs) {
        Map<String, Answer> out = new LinkedHashMap<>();
        for (int i = 0; i < nameTensorPairs.length; i += 2) {
            Object v = nameTensorPairs[i + 1];
            out.put((String) nameTensorPairs[i], v instanceof Answer a ? a : new Answer.Value((Tensor) v));
        }
        return out;
    }

    /** The outer product a bᵀ as an m×n matrix. */
    static Tensor outer(double[] a, double[] b) {
        double[] out = new double[a.length * b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                out[i * b.length + j] = a[i] * b[j];
            }
        }
        return Tensor.of(new int[] {a.length, b.length}, out);
    }

    /** A copy of {@code t} with the entry at flat index {@code i} changed to {@code v}. */
    static Tensor with(Tensor t, int i, double v) {
        double[] d = t.toArray();
        d[i] = v;
        return Tensor.of(t.shape(), d);
    }
}
