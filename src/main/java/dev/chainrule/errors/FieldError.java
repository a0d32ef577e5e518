package dev.chainrule.errors;

/**
 * One thing wrong with a request: the field as the user wrote it ({@code network.layers[1].W[2]}, {@code loss.y})
 * and what was expected against what came. Both are cut to a few hundred characters (a field name may be 50,000
 * long), so an error answer stays small whatever the request held, and made well-formed Unicode (a lone surrogate
 * a client sent becomes U+FFFD).
 */
public record FieldError(String path, String message) {

    static final int MAX_PATH = 200;
    static final int MAX_MESSAGE = 400;

    public FieldError {
        path = cut(path, MAX_PATH);
        message = cut(message, MAX_MESSAGE);
    }

    /** {@code path: message}, or the message alone for the body as a whole. */
    public static String describe(FieldError e) {
        return e.path().isEmpty() ? e.message() : e.path() + ": " + e.message();
    }

    private static String cut(String s, int max) {
        return JsonText.cut(s, max, max - 1);
    }
}
