package dev.chainrule.network;

import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One step of gradient descent, θ ← θ − α·∂J/∂θ, on every parameter of a network, whatever its layers' kinds. */
public final class Sgd {

    private Sgd() {
    }

    /** θ − α·g for one value (the one formula every update here uses). */
    public static double step(double theta, double alpha, double g) {
        return theta - alpha * g;
    }

    /** The layers after one step: {@code gradients} holds ∂J/∂θ by the parameters' names. */
    public static List<Layer> update(List<Layer> layers, Map<String, Tensor> gradients, double learningRate) {
        List<LayerNames> names = LayerNames.of(layers);
        List<Layer> out = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Map<String, Tensor> stepped = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> p : layer.parameters().entrySet()) {
                Tensor g = gradients.get(names.get(i).of(p.getKey()));
                Tensor theta = p.getValue();
                double[] v = new double[theta.size()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = step(theta.get(j), learningRate, g.get(j));
                }
                stepped.put(p.getKey(), Tensor.of(theta.shape(), v));
            }
            out.add(layer.withParameters(stepped));
        }
        return out;
    }

    /** Every parameter of {@code layers} by name, in layer order, in its own shape. */
    public static Map<String, Tensor> parameters(List<Layer> layers) {
        List<LayerNames> names = LayerNames.of(layers);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerNames n = names.get(i);
            layers.get(i).parameters().forEach((base, value) -> out.put(n.of(base), value));
        }
        return out;
    }
}
