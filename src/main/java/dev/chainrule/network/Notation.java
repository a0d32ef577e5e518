package dev.chainrule.network;

import java.util.ArrayList;
import java.util.List;

/**
 * The lecture's names of each layer's quantities, for code outside the engine (text and LaTeX renderings, the
 * gradient check, training): {@code W, b, z, h} with one dense layer, {@code W1, b1, z1, h1, …} with several,
 * {@code u, s} for the score layer; {@code input} is what the layer reads ({@code x} for the first).
 */
public final class Notation {

    /** The names of one layer; {@code w}, {@code b} and {@code z} are null for the score layer ({@code h} is "s"). */
    public record Names(String w, String b, String z, String h, String input) {

        public boolean score() {
            return w == null;
        }

        /** The layer's parameter names ({@code u}, or W and b). */
        public List<String> parameters() {
            return score() ? List.of("u") : List.of(w, b);
        }
    }

    private Notation() {
    }

    public static List<Names> of(List<Layer> layers) {
        List<Names> out = new ArrayList<>(layers.size());
        for (LayerNames n : LayerNames.of(layers)) {
            out.add(new Names(n.w(), n.b(), n.z(), n.h(), n.input()));
        }
        return out;
    }
}
