package dev.chainrule.network;

import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;

/** One step of gradient descent, θ ← θ − α·∂J/∂θ, on every parameter of a network. */
public final class Sgd {

    private Sgd() {
    }

    /** θ − α·g for one value (the one formula every update here uses). */
    public static double step(double theta, double alpha, double g) {
        return theta - alpha * g;
    }

    /** The layers after one step: {@code gradients} holds ∂J/∂θ by the parameters' names. */
    public static List<Layer> update(List<Layer> layers, Map<String, Tensor> gradients, double learningRate) {
        List<Notation.Names> names = Notation.of(layers);
        List<Layer> out = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Notation.Names n = names.get(i);
            if (layer instanceof Layer.Dense dense) {
                double[][] w = dense.weights().getData();
                Tensor gw = gradients.get(n.w());
                int cols = dense.inputSize();
                for (int r = 0; r < w.length; r++) {
                    for (int c = 0; c < cols; c++) {
                        w[r][c] = step(w[r][c], learningRate, gw.get(r * cols + c));
                    }
                }
                double[] b = dense.bias();
                if (b != null) {
                    Tensor gb = gradients.get(n.b());
                    for (int j = 0; j < b.length; j++) {
                        b[j] = step(b[j], learningRate, gb.get(j));
                    }
                }
                out.add(new Layer.Dense(new Array2DRowRealMatrix(w, false), b, dense.activation(), dense.alpha()));
            } else {
                double[] u = ((Layer.Score) layer).u();
                Tensor gu = gradients.get("u");
                for (int j = 0; j < u.length; j++) {
                    u[j] = step(u[j], learningRate, gu.get(j));
                }
                out.add(new Layer.Score(u));
            }
        }
        return out;
    }

    /** Every parameter of {@code layers} by name, in layer order, in its own shape. */
    public static Map<String, Tensor> parameters(List<Layer> layers) {
        List<Notation.Names> names = Notation.of(layers);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Notation.Names n = names.get(i);
            if (layer instanceof Layer.Dense dense) {
                out.put(n.w(), Tensor.matrix(dense.weights().getData()));
                if (dense.bias() != null) {
                    out.put(n.b(), Tensor.vector(dense.bias()));
                }
            } else {
                out.put("u", Tensor.vector(((Layer.Score) layer).u()));
            }
        }
        return out;
    }
}
