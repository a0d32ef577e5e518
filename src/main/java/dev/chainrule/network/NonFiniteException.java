package dev.chainrule.network;

/** A finite input made a quantity overflow to infinity or NaN (weights of 1e300, say). */
public final class NonFiniteException extends RuntimeException {

    private final String quantity;

    public NonFiniteException(String quantity) {
        super(quantity + " is not finite");
        this.quantity = quantity;
    }

    /** Where it first happened, e.g. {@code forward.z2} or {@code gradients.W1}. */
    public String quantity() {
        return quantity;
    }
}
