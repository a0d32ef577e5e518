package dev.chainrule;

import java.util.Locale;
import java.util.Random;

/** Request bodies of random dense networks, for tests that need a request of a given shape and size. */
public final class RandomBodies {

    private RandomBodies() {
    }

    /**
     * A {@code /v1/gradients} body: dense layers of the given widths (input first), each with {@code activation}, a
     * score layer, a random batch, the score loss and {@code options} (a JSON object). Weights and inputs have three
     * decimals, drawn from {@code seed}.
     */
    public static String chain(int[] widths, String activation, int batch, String options, long seed) {
        Random r = new Random(seed);
        StringBuilder layers = new StringBuilder();
        for (int l = 0; l + 1 < widths.length; l++) {
            layers.append(l == 0 ? "" : ",").append("{\"type\": \"dense\", \"W\": ").append(matrix(widths[l + 1], widths[l], r))
                    .append(", \"activation\": \"").append(activation).append("\"}");
        }
        String u = matrix(1, widths[widths.length - 1], r);
        layers.append(",{\"type\": \"score\", \"u\": ").append(u, 1, u.length() - 1).append("}");
        return "{\"network\": {\"layers\": [" + layers + "]}, \"batch\": " + matrix(batch, widths[0], r)
                + ", \"loss\": {\"type\": \"score\"}, \"options\": " + options + "}";
    }

    private static String matrix(int rows, int cols, Random r) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < rows; i++) {
            b.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < cols; j++) {
                b.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", r.nextGaussian() * 0.5));
            }
            b.append(']');
        }
        return b.append(']').toString();
    }
}
