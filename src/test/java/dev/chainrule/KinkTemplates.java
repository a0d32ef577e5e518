package dev.chainrule;

/** Variant templates on which every draw lands on a kink, for the tests of how draws are priced and stopped. */
public final class KinkTemplates {

    private KinkTemplates() {
    }

    /**
     * A relu layer whose weights are all 0, so every z is 0 whatever u and the batch: every draw lands on a kink.
     * {@code n} inputs and units, a batch of {@code n}; only u is drawn.
     */
    public static String allKinks(int n) {
        String row = "[" + "0,".repeat(n - 1) + "0]";
        String ones = "[" + "1,".repeat(n - 1) + "1]";
        return "{\"network\": {\"layers\": [{\"type\": \"dense\", \"W\": [" + (row + ",").repeat(n - 1) + row
                + "], \"activation\": \"relu\"}, {\"type\": \"score\", \"u\": {\"vary\": {\"min\": -1, \"max\": 1, \"step\": 0.1, \"shape\": ["
                + n + "]}}}]}, \"batch\": [" + (ones + ",").repeat(n - 1) + ones + "]}";
    }
}
