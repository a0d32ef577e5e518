package dev.chainrule.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lecture's names of one layer's quantities, a naming layer over the graph: each kind's base names ({@code W, b,
 * z, h} for dense, {@code u, s} for score, {@code gamma, beta, n} for layer_norm, …) numbered from the input
 * ({@code W1, z1, W2, …}) among the layers of the same kind, and only when the network has two or more of it.
 * {@code input} names what the layer reads: {@code x} for the first (the words, for an embedding), else the last
 * value of the layer before.
 */
public record LayerNames(String number, String input) {

    /** The full name of a base name: {@code W} → {@code W2}. */
    public String of(String base) {
        return base + number;
    }

    /** The names of every layer, in order. */
    public static List<LayerNames> of(List<Layer> layers) {
        List<Layer.Kind> kinds = new ArrayList<>(layers.size());
        for (Layer layer : layers) {
            kinds.add(layer.kind());
        }
        return ofKinds(kinds);
    }

    /** The same from the layers' kinds alone (as the request is read); a kind not known (null) is passed over. */
    public static List<LayerNames> ofKinds(List<Layer.Kind> kinds) {
        Map<String, Integer> count = new HashMap<>();
        for (Layer.Kind kind : kinds) {
            if (kind != null) {
                count.merge(kind.type(), 1, Integer::sum);
            }
        }
        Map<String, Integer> seen = new HashMap<>();
        List<LayerNames> names = new ArrayList<>(kinds.size());
        String input = kinds.isEmpty() || kinds.get(0) == null ? "x" : kinds.get(0).inputName();
        for (Layer.Kind kind : kinds) {
            if (kind == null) {
                names.add(new LayerNames("", input));
                continue;
            }
            int k = seen.merge(kind.type(), 1, Integer::sum);
            LayerNames n = new LayerNames(count.get(kind.type()) > 1 ? Integer.toString(k) : "", input);
            names.add(n);
            List<String> outputs = kind.outputs();
            input = n.of(outputs.get(outputs.size() - 1));
        }
        return names;
    }
}
