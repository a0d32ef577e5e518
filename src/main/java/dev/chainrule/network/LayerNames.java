package dev.chainrule.network;

import java.util.ArrayList;
import java.util.List;

/**
 * The lecture's names of one layer's quantities: {@code W, b, z, h} with exactly one dense layer, {@code W1, b1,
 * z1, h1, W2, …} numbered from the input with several, {@code u, s} for the score layer. {@code input} names what
 * the layer reads ({@code x} for the first). A score layer has null {@code w, b, z} and {@code h = "s"}.
 */
public record LayerNames(String w, String b, String z, String h, String input) {

    /** The names of a network with one dense layer, and of the first nine of a deeper one (built once). */
    private static final LayerNames SINGLE = new LayerNames("W", "b", "z", "h", "x");
    private static final LayerNames[] NUMBERED = new LayerNames[10];

    static {
        for (int k = 1; k < NUMBERED.length; k++) {
            NUMBERED[k] = numbered(k);
        }
    }

    private static LayerNames numbered(int k) {
        return new LayerNames("W" + k, "b" + k, "z" + k, "h" + k, k == 1 ? "x" : "h" + (k - 1));
    }

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
                LayerNames ln = dense == 1 ? SINGLE : k < NUMBERED.length ? NUMBERED[k] : numbered(k);
                if (!ln.input.equals(input)) {                  // not after a dense layer (no network has that)
                    ln = new LayerNames(ln.w, ln.b, ln.z, ln.h, input);
                }
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
