package dev.chainrule.wire;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request body's tree read straight from its bytes when the body is plain enough, else by Jackson. Jackson's
 * tokenizer copies every number into a text buffer before it is converted (about 40 ns a number; a large network's
 * body is almost all numbers). This strict reader builds exactly the tree Jackson and {@link CompactTreeDeserializer}
 * build — the same node classes, field order and {@code double} bits — but only for documents it fully
 * understands: an object or array of ASCII strings (two-character escapes such as {@code \n} included), {@code
 * true}/{@code false}/{@code null}, integers of at most 18 digits, decimals it converts exactly (Clinger's fast path,
 * {@link CompactTreeDeserializer#exact}), no key twice, nesting at most {@value #MAX_DEPTH} deep. For anything else —
 * a Unicode escape, a non-ASCII byte, a long mantissa, a large exponent, a duplicate key, any syntax error, trailing
 * content, an empty body — it declines, and Jackson reads the body as before, with its own errors and paths.
 */
public final class RequestTree {

    static final int MAX_DEPTH = 64;
    /** Longest string or name read here; Jackson's limits are far above it. */
    static final int MAX_STRING = 4096;

    /** Thrown (without a stack trace) where the reader declines the document. */
    private static final class Declined extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Declined() {
            super("not read here", null, false, false);
        }
    }

    private static final Declined DECLINED = new Declined();

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ZEROS = 0x3030_3030_3030_3030L;
    private static final long[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000};

    private final byte[] b;
    private final int end;
    private final JsonNodeFactory nodes;
    private int i;
    /** Room for the numbers of the array being read, reused from array to array and grown as needed. */
    private double[] values = new double[64];
    private boolean[] whole = new boolean[64];
    /** The number just scanned: a whole number ({@link #longValue}) or a decimal ({@link #doubleValue}). */
    private boolean isWhole;
    private long longValue;
    private double doubleValue;

    private RequestTree(byte[] b, JsonNodeFactory nodes) {
        this.b = b;
        this.end = b.length;
        this.nodes = nodes;
    }

    /** The tree of {@code body}: read here when it can be, else by {@code json} (the way the service reads it). */
    public static JsonNode read(byte[] body, JsonMapper json) {
        JsonNode tree = CompactTreeDeserializer.standardNumbers(json.deserializationConfig())
                ? fast(body, json.getNodeFactory()) : null;
        return tree != null ? tree : json.readValue(body, JsonNode.class);
    }

    /** The tree of {@code body}, or null when this reader declines it. */
    static JsonNode fast(byte[] body, JsonNodeFactory nodes) {
        RequestTree reader = new RequestTree(body, nodes);
        try {
            reader.space();
            int c = reader.peek();
            if (c != '{' && c != '[') {
                return null;
            }
            JsonNode tree = reader.value(0);
            reader.space();
            return reader.i == body.length ? tree : null;
        } catch (Declined declined) {
            return null;
        }
    }

    /** The byte at the cursor, or 0 (valid nowhere in JSON) past the end. */
    private int peek() {
        return i < end ? b[i] : 0;
    }

    /**
     * After a member or an element: true past the {@code close} that ends the container, false past a comma (and the
     * space after it, at the next value); declines anything else.
     */
    private boolean closes(char close) {
        space();
        int c = peek();
        i++;
        if (c == close) {
            return true;
        }
        if (c != ',') {
            throw DECLINED;
        }
        space();
        return false;
    }

    private void space() {
        while (i < end) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            i++;
        }
    }

    private JsonNode value(int depth) {
        int c = peek();
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return nodes.stringNode(string());
            case 't':
                word("true");
                return nodes.booleanNode(true);
            case 'f':
                word("false");
                return nodes.booleanNode(false);
            case 'n':
                word("null");
                return nodes.nullNode();
            default:
                number();
                return scalarNumber();
        }
    }

    /** The node Jackson's own deserializer makes of the number just scanned: int, long or double. */
    private JsonNode scalarNumber() {
        if (!isWhole) {
            return nodes.numberNode(doubleValue);
        }
        long v = longValue;
        return (int) v == v ? nodes.numberNode((int) v) : nodes.numberNode(v);
    }

    private void word(String word) {
        int n = word.length();
        if (end - i < n) {
            throw DECLINED;
        }
        for (int k = 0; k < n; k++) {
            if (b[i + k] != word.charAt(k)) {
                throw DECLINED;
            }
        }
        i += n;
    }

    private ObjectNode object(int depth) {
        if (depth > MAX_DEPTH) {
            throw DECLINED;
        }
        i++;
        space();
        ObjectNode object = nodes.objectNode();
        if (peek() == '}') {
            i++;
            return object;
        }
        while (true) {
            if (peek() != '"') {
                throw DECLINED;
            }
            String name = string();
            space();
            if (peek() != ':') {
                throw DECLINED;
            }
            i++;
            space();
            if (object.replace(name, value(depth)) != null) {
                throw DECLINED;                              // a key twice: Jackson's error, not ours
            }
            if (closes('}')) {
                return object;
            }
        }
    }

    /**
     * An array as {@link CompactTreeDeserializer} reads it: all finite numbers (decimals, and whole numbers in
     * {@code int} range) make one {@link NumberArrayNode}; anything else makes a plain array from there on.
     */
    private ArrayNode array(int depth) {
        if (depth > MAX_DEPTH) {
            throw DECLINED;
        }
        i++;
        space();
        if (peek() == ']') {
            i++;
            return nodes.arrayNode();
        }
        boolean anyWhole = false;
        int n = 0;
        while (true) {
            int c = peek();
            if (c != '-' && (c < '0' || c > '9')) {
                return mixed(n, depth, false);
            }
            number();
            double v;
            if (!isWhole) {
                v = doubleValue;
            } else if ((int) longValue == longValue) {
                v = longValue;
            } else {
                return mixed(n, depth, true);                // a long: a LongNode in a plain array
            }
            if (n == values.length) {
                values = java.util.Arrays.copyOf(values, 2 * n);
                whole = java.util.Arrays.copyOf(whole, 2 * n);
            }
            whole[n] = isWhole;
            anyWhole |= isWhole;
            values[n++] = v;
            if (closes(']')) {
                return NumberArrayNode.of(nodes, values, n, anyWhole ? whole : null);
            }
        }
    }

    /**
     * The rest of an array that turned out not to be all numbers: its first {@code n} numbers read, then the value
     * at the cursor (or, when {@code scanned}, the number just scanned) and the rest.
     */
    private ArrayNode mixed(int n, int depth, boolean scanned) {
        ArrayNode array = nodes.arrayNode(n + 4);
        for (int k = 0; k < n; k++) {
            array.add(whole[k] ? nodes.numberNode((int) values[k]) : nodes.numberNode(values[k]));
        }
        array.add(scanned ? scalarNumber() : value(depth));
        while (!closes(']')) {
            array.add(value(depth));
        }
        return array;
    }

    /** A string of printable ASCII, the cursor on its opening quote. */
    private String string() {
        int start = ++i;
        int limit = Math.min(end, start + MAX_STRING);
        for (; i < limit; i++) {
            byte c = b[i];
            if (c == '"') {
                return new String(b, start, i++ - start, StandardCharsets.ISO_8859_1);
            }
            if (c == '\\') {
                return escaped(start, limit);
            }
            if (c < 0x20 || c == 0x7f) {                     // negative: not ASCII
                throw DECLINED;
            }
        }
        throw DECLINED;
    }

    /**
     * The rest of a string from its first escape, the cursor on the backslash: the two-character escapes
     * ({@code \n} between a graph's statements, {@code \"}, {@code \\}, {@code \/}, {@code \b}, {@code \f},
     * {@code \r}, {@code \t}) decoded as Jackson decodes them; a Unicode escape is declined.
     */
    private String escaped(int start, int limit) {
        StringBuilder s = new StringBuilder(i - start + 16).append(new String(b, start, i - start, StandardCharsets.ISO_8859_1));
        for (; i < limit; i++) {
            byte c = b[i];
            if (c == '"') {
                i++;
                return s.toString();
            }
            if (c == '\\') {
                if (++i >= limit) {
                    throw DECLINED;
                }
                s.append(switch (b[i]) {
                    case '"' -> '"';
                    case '\\' -> '\\';
                    case '/' -> '/';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> throw DECLINED;
                });
            } else if (c < 0x20 || c == 0x7f) {              // negative: not ASCII
                throw DECLINED;
            } else {
                s.append((char) c);
            }
        }
        throw DECLINED;
    }

    /**
     * Scans a JSON number, {@code -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?}: a whole number of at most 18 digits into
     * {@link #longValue}, a decimal converted exactly into {@link #doubleValue}; declines any other.
     */
    private void number() {
        byte[] b = this.b;                    // locals, and b.length as the end: no bounds check left in the hot loop
        int end = b.length;
        int i = this.i;
        boolean negative = i < end && b[i] == '-';
        if (negative) {
            i++;
        }
        int first = i;
        if (i + 16 <= end) {                                  // d.ddd with both parts under 8 digits, 8 bytes at a time
            long w = (long) LONG.get(b, i);
            int whole = leadingDigits(w);
            if (whole > 0 && whole < 8 && b[i + whole] == '.' && (whole == 1 || b[i] != '0')) {
                int fraction = i + whole + 1;
                long f = (long) LONG.get(b, fraction);
                int scale = leadingDigits(f);
                int after = fraction + scale;
                if (scale > 0 && scale < 8 && (b[after] | 0x20) != 'e') {
                    this.i = after;
                    isWhole = false;
                    doubleValue = exact(negative,
                            digitsOf(w, whole) * POWERS[scale] + digitsOf(f, scale), whole + scale, -scale);
                    return;
                }
            }
        }
        long m = 0;
        int c;
        while ((c = i < end ? b[i] : 0) >= '0' && c <= '9') {
            m = 10 * m + (c - '0');              // past 18 digits m overflows, but then the number is declined
            i++;
        }
        int digits = i - first;
        if (digits == 0 || digits > 1 && b[first] == '0') {
            throw DECLINED;                                  // no digit, or a leading zero
        }
        int scale = 0;
        boolean decimal = c == '.';
        if (decimal) {
            int fraction = ++i;
            while ((c = i < end ? b[i] : 0) >= '0' && c <= '9') {
                m = 10 * m + (c - '0');
                i++;
            }
            scale = fraction - i;
            if (scale == 0) {
                throw DECLINED;
            }
            digits -= scale;
        }
        if (digits > 18) {
            throw DECLINED;                                  // a long mantissa
        }
        this.i = i;
        if (c == 'e' || c == 'E') {
            decimal = true;
            scale += exponent();
        }
        isWhole = !decimal;
        if (decimal) {
            doubleValue = exact(negative, m, digits, scale);
        } else {
            longValue = negative ? -m : m;
        }
    }

    /** {@link CompactTreeDeserializer#exact}, declined when it is not exact. */
    private static double exact(boolean negative, long m, int digits, int scale) {
        double v = CompactTreeDeserializer.exact(negative, m, digits, scale);
        if (Double.isNaN(v)) {
            throw DECLINED;
        }
        return v;
    }

    /**
     * How many of the eight bytes of {@code w} (the first in its lowest byte) are digits before the first that is
     * not: a byte is flagged when it is over '9' (adding 0x46 sets its top bit), under '0' (subtracting 0x30 does)
     * or not ASCII; carries and borrows run only upwards, so the lowest flag is exact.
     */
    private static int leadingDigits(long w) {
        long flags = ((w + 0x4646_4646_4646_4646L) | (w - ZEROS) | w) & 0x8080_8080_8080_8080L;
        return Long.numberOfTrailingZeros(flags) >>> 3;
    }

    /**
     * The value of the first {@code n} (1–7) digits of {@code w}: moved to the top bytes (the bytes below become
     * leading zeros) and combined pairwise, then in fours, then in eights, with three multiplications (as
     * simdjson and fast_float do).
     */
    private static long digitsOf(long w, int n) {
        long t = (w - ZEROS) << 8 * (8 - n);
        t = t * 10 + (t >>> 8);                                          // pairs: d₁·10 + d₂ in every other byte
        return (t & 0x0000_00FF_0000_00FFL) * (100 + (1_000_000L << 32))
                + ((t >>> 16) & 0x0000_00FF_0000_00FFL) * (1 + (10_000L << 32)) >>> 32;
    }

    /** The exponent {@code [eE][+-]?d+} at the cursor (at most 1000 either way), the cursor moved past it. */
    private int exponent() {
        int i = this.i + 1;
        int c = peekAt(i);
        boolean down = c == '-';
        if (c == '-' || c == '+') {
            c = peekAt(++i);
        }
        if (c < '0' || c > '9') {
            throw DECLINED;
        }
        int x = 0;
        do {
            x = 10 * x + (c - '0');
            if (x > 1000) {
                throw DECLINED;
            }
            c = peekAt(++i);
        } while (c >= '0' && c <= '9');
        this.i = i;
        return down ? -x : x;
    }

    private int peekAt(int at) {
        return at < end ? b[at] : 0;
    }

    /** Reads {@code @RequestBody JsonNode} bodies here when it can, else with Jackson's converter. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class Registration implements WebMvcConfigurer {
        private final JsonMapper json;

        Registration(JsonMapper json) {
            this.json = json;
        }

        @Override
        public void configureMessageConverters(HttpMessageConverters.ServerBuilder converters) {
            converters.addCustomConverter(new Converter(json, new JacksonJsonHttpMessageConverter(json)));
        }
    }

    /**
     * Reads a {@link JsonNode} body with {@link RequestTree} when it can, else hands the bytes to Jackson's own
     * converter (the one Spring Boot builds from the same mapper), so every error reads as it did. It writes
     * nothing.
     */
    static final class Converter implements HttpMessageConverter<JsonNode> {
        private final JacksonJsonHttpMessageConverter jackson;
        private final JsonNodeFactory nodes;
        private final boolean standard;

        Converter(JsonMapper json, JacksonJsonHttpMessageConverter jackson) {
            this.jackson = jackson;
            this.nodes = json.getNodeFactory();
            this.standard = CompactTreeDeserializer.standardNumbers(json.deserializationConfig());
        }

        @Override
        public boolean canRead(Class<?> type, MediaType mediaType) {
            return type == JsonNode.class && jackson.canRead(type, mediaType);
        }

        @Override
        public boolean canWrite(Class<?> type, MediaType mediaType) {
            return false;
        }

        @Override
        public List<MediaType> getSupportedMediaTypes() {
            return jackson.getSupportedMediaTypes();
        }

        @Override
        public List<MediaType> getSupportedMediaTypes(Class<?> type) {
            return type == JsonNode.class ? jackson.getSupportedMediaTypes(type) : List.of();
        }

        @Override
        public JsonNode read(Class<? extends JsonNode> type, HttpInputMessage input) throws IOException {
            byte[] body;
            try (InputStream in = input.getBody()) {
                body = in.readAllBytes();
            }
            if (standard && asciiCompatible(input.getHeaders().getContentType())) {
                JsonNode tree = fast(body, nodes);
                if (tree != null) {
                    return tree;
                }
            }
            HttpHeaders headers = input.getHeaders();
            return (JsonNode) jackson.read(type, new HttpInputMessage() {
                @Override
                public InputStream getBody() {
                    return new ByteArrayInputStream(body);
                }

                @Override
                public HttpHeaders getHeaders() {
                    return headers;
                }
            });
        }

        /** No charset (Jackson detects it; an ASCII body is UTF-8), UTF-8 or ASCII: the bytes are the text. */
        private static boolean asciiCompatible(MediaType type) {
            Charset charset = type == null ? null : type.getCharset();
            return charset == null || charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII);
        }

        @Override
        public void write(JsonNode node, MediaType contentType, HttpOutputMessage output) {
            throw new UnsupportedOperationException("a request tree is not written");
        }
    }
}
