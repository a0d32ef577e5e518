package dev.chainrule.errors;

import java.io.IOException;

/** Thrown while reading a chunked body that crosses the limit. */
public final class BodyTooLargeException extends IOException {
    private final long max;

    public BodyTooLargeException(long max) {
        super("body over " + max + " bytes");
        this.max = max;
    }

    public long max() {
        return max;
    }
}
