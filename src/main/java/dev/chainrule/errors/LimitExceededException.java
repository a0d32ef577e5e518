package dev.chainrule.errors;

/** A request beyond one of the service's configured limits. */
public final class LimitExceededException extends RuntimeException {

    private final String limit;
    private final long max;
    private final long actual;
    private final String path;

    /**
     * @param limit  the property that sets it, e.g. {@code chainrule.limits.max-layers}
     * @param path   the request field that went over, e.g. {@code network.layers}
     */
    public LimitExceededException(String limit, long max, long actual, String path, String what) {
        super(what + " " + actual + " is over the limit of " + max + " (" + limit + ")");
        this.limit = limit;
        this.max = max;
        this.actual = actual;
        this.path = path;
    }

    public String limit() {
        return limit;
    }

    public long max() {
        return max;
    }

    public long actual() {
        return actual;
    }

    public String path() {
        return path;
    }
}
