package dev.chainrule.errors;

import java.util.Collection;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Names a user types (fields, activations, losses, modes, query parameters) checked against the ones that exist,
 * with a "did you mean" only where the name is close for its length: {@code sigmoud} → {@code sigmoid},
 * {@code answer} → {@code answers}, {@code ReLU} → {@code relu}, {@code w} → {@code W}, but nothing for {@code lr}
 * (two letters from {@code x} is no resemblance).
 */
public final class Names {

    private Names() {
    }

    /**
     * The known name meant by a near miss, or null: the same name in another case or with other separators
     * ({@code LeakyReLU}, {@code leaky-relu} → {@code leaky_relu}), else the closest by edit distance when it is
     * within a third of the shorter name's length (so one-letter and two-letter names need an exact match).
     */
    public static String closest(String name, Collection<String> known) {
        String n = normal(name.length() > 64 ? name.substring(0, 64) : name);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            String kn = normal(k.length() > 64 ? k.substring(0, 64) : k); // a known name may be a node's, 100,000 long
            if (kn.equals(n)) {
                return k;
            }
            if (Math.abs(n.length() - kn.length()) > Math.min(n.length(), kn.length()) / 3) {
                continue; // the distance is at least the difference in length: too far
            }
            int d = editDistance(n, kn);
            if (d <= Math.min(n.length(), kn.length()) / 3 && d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    /** {@code " (did you mean \"sigmoid\"?)"}, or empty when no known name is close. */
    public static String didYouMean(String name, Collection<String> known) {
        String s = closest(name, known);
        if (s == null) {
            return "";
        }
        String caseOnly = s.equalsIgnoreCase(name) ? "; names are case-sensitive" : "";
        return " (did you mean " + JsonText.quote(s) + "?" + caseOnly + ")";
    }

    /**
     * The message for a value that must be one of a fixed set of names: {@code unknown activation "sigmoud" (did
     * you mean "sigmoid"?): expected one of identity, relu, …}, or for a value that is not a string at all
     * {@code expected an activation name (a string), one of …, but got a number}.
     */
    public static String unknown(String what, JsonNode value, Collection<String> known) {
        String choices = String.join(", ", known);
        if (!value.isString()) {
            return "expected " + article(what) + " " + what + " name (a string), one of " + choices + ", but got " + JsonText.kind(value);
        }
        String name = value.asString();
        return "unknown " + what + " " + JsonText.quote(name) + didYouMean(name, known) + ": expected one of " + choices;
    }

    private static String article(String word) {
        return "aeiou".indexOf(Character.toLowerCase(word.charAt(0))) >= 0 ? "an" : "a";
    }

    private static String normal(String s) {
        return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(" ", "");
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
