package dev.chainrule.errors;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * The problems found in a request, bounded: the first {@value #MAX_LISTED} (and no more than
 * {@value #MAX_LISTED_CHARS} characters of them) are kept, the rest only counted. A body of a million bad entries
 * costs the same few kilobytes of memory and of answer as one of fifty; {@link #listed()} ends with one entry saying
 * how many more there were. Use it wherever problems are collected, in place of an {@code ArrayList}.
 */
public final class FieldErrors extends AbstractList<FieldError> {

    /** Problems listed in an answer; beyond, they are counted. */
    public static final int MAX_LISTED = 50;
    /** Characters of paths and messages listed in an answer (each entry is itself cut to a few hundred). */
    public static final int MAX_LISTED_CHARS = 6_000;

    private final List<FieldError> kept = new ArrayList<>();
    private int chars;
    private long unlisted;

    public FieldErrors() {
    }

    /** A copy of {@code errors}, bounded. */
    public FieldErrors(Collection<? extends FieldError> errors) {
        addAll(errors);
    }

    @Override
    public boolean add(FieldError e) {
        int size = e.path().length() + e.message().length();
        if (kept.size() < MAX_LISTED && chars + size <= MAX_LISTED_CHARS) {
            kept.add(e);
            chars += size;
        } else {
            unlisted++;
        }
        return true;
    }

    /**
     * Adds a problem whose message is built only when it can still be listed: past the bound it is only counted, so
     * a loop over a request's million entries builds fifty messages.
     */
    public void add(String path, Supplier<String> message) {
        if (kept.size() < MAX_LISTED && chars < MAX_LISTED_CHARS) {
            add(new FieldError(path, message.get()));
        } else {
            unlisted++;
        }
    }

    /** Adds every problem of {@code errors}, keeping the count of those another bounded list left out. */
    @Override
    public boolean addAll(Collection<? extends FieldError> errors) {
        for (FieldError e : errors) {
            add(e);
        }
        if (errors instanceof FieldErrors other) {
            unlisted += other.unlisted;
        }
        return !errors.isEmpty();
    }

    @Override
    public FieldError get(int index) {
        return kept.get(index);
    }

    /** The problems kept (at most {@value #MAX_LISTED}). */
    @Override
    public int size() {
        return kept.size();
    }

    /** Every problem found, listed or not. */
    public long total() {
        return kept.size() + unlisted;
    }

    /** Problems found but not kept. */
    public long unlisted() {
        return unlisted;
    }

    /** As an answer lists them: those kept, then, when some were not, one entry saying how many more there were. */
    public List<FieldError> listed() {
        if (unlisted == 0) {
            return List.copyOf(kept);
        }
        List<FieldError> out = new ArrayList<>(kept);
        out.add(new FieldError("", "and " + unlisted + " more problem" + (unlisted == 1 ? "" : "s")
                + " not listed here: an answer lists at most the first " + kept.size() + "; mend these and send it again"));
        return List.copyOf(out);
    }
}
