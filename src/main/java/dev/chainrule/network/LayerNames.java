package dev.chainrule.network;

import java.util.ArrayList;
import java.util.List;

/**
 * The lecture's names of one layer's quantities: {@code W, b, z, h} with exactly one dense layer, {@code W1, b1,
 * z1, h1, W2, …} numbered from the input with several, {@code u, s} for the score layer. {@code input} names what
 * the layer reads ({@code x} for the first). A score layer has null {@code w, b, z} and {@code h = "s"}.
 */
public record LayerNames(String w, String b, String z, String h, String input) {

    public static List<LayerNames> of(List<Layer> layers) {
        int dense = 0;
        for (Layer layer : layers) {
            if (layer instanceof Layer.Dense) {
                dense++;
            }
        }
        List<LayerNames> names = new ArrayList<>(layers.size());
        String input = "x";
        int k = 0;
        for (Layer layer : layers) {
            if (layer instanceof Layer.Dense) {
                k++;
                String n = dense == 1 ? "" : Integer.toString(k);
                LayerNames ln = new LayerNames("W" + n, "b" + n, "z" + n, "h" + n, input);
                names.add(ln);
                input = ln.h;
            } else {
                names.add(new LayerNames(null, null, null, "s", input));
                input = "s";
            }
        }
        return names;
    }

    public boolean score() {
        return w == null;
    }

    /** The layer's parameter names, in the order they are listed. */
    public List<String> parameters() {
        return score() ? List.of("u") : List.of(w, b);
    }
}
