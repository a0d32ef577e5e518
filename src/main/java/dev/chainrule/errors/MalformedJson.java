package dev.chainrule.errors;

import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Why a body is not JSON the service reads, said for a person: where it broke (line, column and the field path
 * as the user wrote it, e.g. {@code network.layers[0].W}) and what was wrong, with no parser class names.
 */
public record MalformedJson(String path, String message, String detail) {

    static MalformedJson of(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        if (!(cause instanceof JacksonException j)) {
            return new MalformedJson("", "the body is empty or is not JSON", "The body is empty or is not valid JSON: expected a JSON object.");
        }
        String path = "";
        if (j instanceof StreamReadException read && read.processor() != null) {
            path = pathOf(read.processor().streamReadContext());
        }
        String message = messageOf(j);
        TokenStreamLocation at = j.getLocation();
        String where = at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String detail = "The body is not JSON the service reads" + where + (path.isEmpty() ? "" : " (in " + path + ")") + ": " + message + ".";
        return new MalformedJson(path, message, detail);
    }

    private static String messageOf(JacksonException j) {
        String original = j.getOriginalMessage() == null ? "" : j.getOriginalMessage();
        if (j instanceof StreamConstraintsException) {
            if (original.contains("nesting depth")) {
                return "it is nested too deep (at most 500 levels of arrays and objects are read)";
            }
            if (original.contains("Number value length")) {
                return "a number is too long (at most 1000 characters)";
            }
            if (original.contains("Name length")) {
                return "a field name is too long (at most 50000 characters)";
            }
            if (original.contains("String value length")) {
                return "a string is too long";
            }
            return "it is larger or deeper than the service reads";
        }
        if (original.contains("Non-standard token") || original.contains("NaN") || original.contains("Infinity")) {
            return "NaN and Infinity are not JSON numbers; every number must be finite";
        }
        if (original.startsWith("Duplicate Object property")) {
            return "a key is given twice in one object: " + original.substring("Duplicate Object property".length()).trim();
        }
        // drop hints that name parser features or classes
        String cleaned = original.replaceAll("\\s*:?\\s*(enable|disable) `[^`]*`[^;\\n]*", "")
                .replaceAll("`[^`]*`", "")
                .replaceAll("\\(for [^)]*\\)", "")
                .replaceAll("\\s+", " ").trim();
        return cleaned.isEmpty() ? "invalid JSON" : cleaned;
    }

    /** network.layers[0].W, from the parser's position. */
    public static String pathOf(TokenStreamContext context) {
        java.util.Deque<String> segments = new java.util.ArrayDeque<>();
        for (TokenStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                segments.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.currentName() != null) {
                segments.addFirst("." + c.currentName());
            }
        }
        String path = String.join("", segments);
        return path.startsWith(".") ? path.substring(1) : path;
    }
}
