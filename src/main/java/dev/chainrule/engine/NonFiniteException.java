package dev.chainrule.engine;

/** A finite input made a quantity overflow to infinity or NaN (weights of 1e300, say). */
public final class NonFiniteException extends RuntimeException {

    private final String quantity;
    private final String detail;

    public NonFiniteException(String quantity) {
        this(quantity, null);
    }

    /** @param detail why, for a person; null for the usual overflow along the way */
    public NonFiniteException(String quantity, String detail) {
        super(quantity + " is not finite", null, false, false);
        this.quantity = quantity;
        this.detail = detail;
    }

    /** Where it first happened, e.g. {@code forward.z2} or {@code gradients.W1}. */
    public String quantity() {
        return quantity;
    }

    /** Why, when it is not the usual overflow along the way (a value rounded past the largest double); or null. */
    public String detail() {
        return detail;
    }
}
