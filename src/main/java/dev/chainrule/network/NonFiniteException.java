package dev.chainrule.network;

/** A finite input made a quantity overflow to infinity or NaN (weights of 1e300, say, or log(0) in a graph). */
public final class NonFiniteException extends RuntimeException {

    private final String quantity;
    private final String detail;

    public NonFiniteException(String quantity) {
        this(quantity, null);
    }

    /** @param detail what made it so, for a person; null for the usual overflow of finite inputs */
    public NonFiniteException(String quantity, String detail) {
        super(quantity + " is not finite");
        this.quantity = quantity;
        this.detail = detail;
    }

    /** Where it first happened, e.g. {@code forward.z2} or {@code gradients.W1}. */
    public String quantity() {
        return quantity;
    }

    /** What made it so, or null for an overflow of finite inputs. */
    public String detail() {
        return detail;
    }
}
