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
        return s.length() <= 40 ? s : s.substring(0, 37) + "…";
    }
}
