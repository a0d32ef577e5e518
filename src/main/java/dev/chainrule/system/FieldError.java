package dev.chainrule.system;

/**
 * One thing wrong with a request: the field as the user wrote it ({@code network.layers[1].W[2]}, {@code loss.y})
 * and what was expected against what came.
 */
public record FieldError(String path, String message) {

    /** {@code path: message}, or the message alone for the body as a whole. */
    public static String describe(FieldError e) {
        return e.path().isEmpty() ? e.message() : e.path() + ": " + e.message();
    }
}
