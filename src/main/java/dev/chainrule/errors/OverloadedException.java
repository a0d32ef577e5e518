package dev.chainrule.errors;

/** Too many computations are running or waiting, or the service is shutting down. */
public final class OverloadedException extends RuntimeException {
    /** The Retry-After, in seconds, of the 503 that answers it. */
    public static final String RETRY_AFTER_SECONDS = "1";

    private final String detail;

    public OverloadedException(boolean shuttingDown) {
        this(shuttingDown ? "shutting down" : "too many computations at once", shuttingDown
                ? "The service is shutting down; try again in " + RETRY_AFTER_SECONDS + " second."
                : "Too many computations are running or waiting; try again in "
                        + RETRY_AFTER_SECONDS + " second.");
    }

    /** Busy for another reason than the slots: {@code detail} says which, for the client. */
    public OverloadedException(String detail) {
        this(detail, detail);
    }

    private OverloadedException(String message, String detail) {
        super(message, null, false, false);
        this.detail = detail;
    }

    /** What the client is told. */
    public String detail() {
        return detail;
    }
}
