package dev.chainrule.grading;

import dev.chainrule.errors.JsonText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A problem's names as feedback and errors list them, bounded before the text is built: every name when there are
 * at most a given number (32 in feedback: a four-layer max-margin network has 29 gradients), else the
 * {@value #MAX_LISTED} nearest to the name asked about (its neighbours in alphabetical order, found by a binary
 * search) and how many more there are. Each name is cut to 40 characters, so a list is at most about a kilobyte
 * whatever the problem (a node name may be 100,000 characters long) and costs the same for the six-thousandth
 * unknown answer of a request as for the first.
 */
final class NameList {

    /** Names listed whole in feedback up to this many. */
    static final int WHOLE = 32;
    /** Names listed, beyond the whole list's size: the nearest. */
    static final int MAX_LISTED = 8;

    private static final Comparator<String> ORDER = String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder());

    private final List<String> names;
    private final int whole;
    private String[] sorted;

    /** @param names in the problem's order */
    NameList(List<String> names) {
        this(names, WHOLE);
    }

    /** @param whole names listed whole up to this many */
    NameList(List<String> names, int whole) {
        this.names = List.copyOf(names);
        this.whole = whole;
    }

    /** True when {@link #near} lists every name. */
    boolean whole() {
        return names.size() <= whole;
    }

    /**
     * {@code "x, f"} (every name, in the problem's order) or {@code "a1, a2, …, a8 and 52 more"} (the 8 names nearest
     * {@code name} alphabetically, in that order).
     */
    String near(String name) {
        if (whole()) {
            return String.join(", ", names.stream().map(JsonText::abbreviate).toList());
        }
        if (sorted == null) {
            sorted = names.toArray(String[]::new);
            Arrays.sort(sorted, ORDER);
        }
        int at = Arrays.binarySearch(sorted, name, ORDER);
        int insert = at >= 0 ? at : -at - 1;
        int from = Math.max(0, Math.min(insert - MAX_LISTED / 2, sorted.length - MAX_LISTED));
        List<String> shown = new ArrayList<>();
        for (int i = from; i < from + MAX_LISTED; i++) {
            shown.add(JsonText.abbreviate(sorted[i]));
        }
        return String.join(", ", shown) + " and " + (sorted.length - MAX_LISTED) + " more";
    }

    /**
     * {@code items} (each already short) joined by {@code " and "} when at most {@value #WHOLE}, else the first
     * {@value #MAX_LISTED} by commas and how many more.
     */
    static String joined(List<String> items) {
        return items.size() <= WHOLE ? String.join(" and ", items)
                : String.join(", ", items.subList(0, MAX_LISTED)) + " and " + (items.size() - MAX_LISTED) + " more";
    }
}
