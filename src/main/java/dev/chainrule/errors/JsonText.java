package dev.chainrule.errors;

import tools.jackson.databind.JsonNode;

/** JSON values as error messages name them: "a string", "null", "the string \"1.5\"", "3.2". */
public final class JsonText {

    private JsonText() {
    }

    /** What a JSON value is: "a string", "null", "a list", "an object". */
    public static String kind(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        if (node.isString()) {
            return "a string";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isNumber()) {
            return "a number";
        }
        return node.isArray() ? "a list" : "an object";
    }

    /** The value itself where short (a string, number or boolean), else its kind. */
    public static String describe(JsonNode node) {
        if (node.isString()) {
            return "the string " + quote(node.asString());
        }
        if (node.isNumber() || node.isBoolean()) {
            return abbreviate(node.toString());
        }
        return kind(node);
    }

    public static String quote(String s) {
        return "\"" + abbreviate(s) + "\"";
    }

    public static String abbreviate(String s) {
        return cut(s, 40, 37);
    }

    /**
     * Text typed by a client as a message quotes it: whole when at most {@code max} characters, else its first
     * {@code keep} and "…". The cut never falls inside a surrogate pair, and a surrogate without its pair (JSON can
     * carry one, {@code "\ud835"}) becomes U+FFFD, so a message is always well-formed Unicode.
     */
    public static String cut(String s, int max, int keep) {
        if (s.length() <= max) {
            return wellFormed(s);
        }
        int end = Character.isHighSurrogate(s.charAt(keep - 1)) ? keep - 1 : keep;
        return wellFormed(s.substring(0, end)) + "…";
    }

    /** {@code s} with every surrogate that is not half of a pair replaced by U+FFFD. */
    public static String wellFormed(String s) {
        int i = 0;
        while (i < s.length() && !Character.isSurrogate(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length()).append(s, 0, i);
        while (i < s.length()) {
            int c = s.codePointAt(i);
            out.appendCodePoint(Character.isSurrogate((char) c) && Character.charCount(c) == 1 ? 0xFFFD : c);
            i += Character.charCount(c);
        }
        return out.toString();
    }

    /**
     * One character as a message names it: {@code "*"}, {@code "é" (U+00E9)} beyond ASCII, and its code point alone
     * when it cannot be shown (a control character, a space other than ' ', a lone surrogate).
     */
    public static String character(int c) {
        String code = String.format("U+%04X", c);
        int type = Character.getType(c);
        boolean invisible = Character.isISOControl(c) || Character.isSpaceChar(c) || Character.isWhitespace(c)
                || type == Character.SURROGATE || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.UNASSIGNED;
        if (invisible) {
            return code;
        }
        String shown = "\"" + new String(Character.toChars(c)) + "\"";
        return c < 128 ? shown : shown + " (" + code + ")";
    }
}
