package dev.chainrule.wire;

import java.util.Arrays;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.deser.jackson.JsonNodeDeserializer;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.DoubleNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a JSON tree as Jackson's own {@code JsonNode} deserializer does, except that an array of finite numbers
 * becomes one {@link NumberArrayNode} (its numbers parsed straight from the token stream into a {@code double[]})
 * instead of an {@code ArrayNode} holding a {@code DoubleNode} per number. A request body of a large network is
 * almost all such arrays. Scalars, and the whole tree under any non-default number setting (big decimals, long or
 * big integers, nulls left out), are left to Jackson's deserializer, so every reader sees the tree it always saw —
 * but for a decimal too large for a double ({@code 1e400}): Jackson's node for it is the double Infinity, which an
 * error message would call "Infinity"; here it is an {@link Overflowed} node, the same Infinity that remembers the
 * number as written.
 */
public final class CompactTreeDeserializer extends StdDeserializer<JsonNode> {

    private static final long serialVersionUID = 1L;

    @SuppressWarnings("unchecked")
    private static final ValueDeserializer<JsonNode> STANDARD =
            (ValueDeserializer<JsonNode>) JsonNodeDeserializer.getDeserializer(JsonNode.class);

    public CompactTreeDeserializer() {
        super(JsonNode.class);
    }

    @Override
    public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) {
        JsonToken t = p.currentToken();
        if ((t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) || !standardNumbers(ctxt.getConfig())) {
            return STANDARD.deserialize(p, ctxt);
        }
        return value(p, ctxt, ctxt.getNodeFactory(), new Scratch());
    }

    @Override
    public JsonNode getNullValue(DeserializationContext ctxt) {
        return (JsonNode) STANDARD.getNullValue(ctxt);
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
        return STANDARD.getAbsentValue(ctxt);
    }

    @Override
    public boolean isCachable() {
        return true;
    }

    /** Whether a tree read with {@code config} has the default nodes for numbers and nulls (else: Jackson's own). */
    static boolean standardNumbers(DeserializationConfig config) {
        return !config.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                && !Boolean.TRUE.equals(config.getDatatypeFeatures().getExplicitState(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS))
                && !config.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                && !config.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS)
                && config.isEnabled(JsonNodeFeature.READ_NULL_PROPERTIES);
    }

    /** Room for the numbers of the array being read, reused from array to array and grown as needed. */
    private static final class Scratch {
        double[] values = new double[64];
        boolean[] whole = new boolean[64];
    }

    /** A decimal beyond double precision: the double Infinity (as Jackson reads it), written as the client wrote it. */
    static final class Overflowed extends DoubleNode {
        private static final long serialVersionUID = 1L;
        private final String written;

        Overflowed(double value, String written) {
            super(value);
            this.written = written;
        }

        @Override
        public String toString() {
            return written;
        }
    }

    /** The value at the current token. */
    private JsonNode value(JsonParser p, DeserializationContext ctxt, JsonNodeFactory nodes, Scratch scratch) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            ObjectNode object = nodes.objectNode();
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                p.nextToken();
                JsonNode old = object.replace(name, value(p, ctxt, nodes, scratch));
                if (old != null && ctxt.isEnabled(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)) {
                    ctxt.reportInputMismatch(JsonNode.class, "Duplicate Object property \"%s\"", name);
                }
            }
            return object;
        }
        if (t == JsonToken.START_ARRAY) {
            return array(p, ctxt, nodes, scratch);
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT && floatAsDouble(p) && Double.isInfinite(p.getDoubleValue())) {
            return new Overflowed(p.getDoubleValue(), p.getString());
        }
        return STANDARD.deserialize(p, ctxt);
    }

    private JsonNode array(JsonParser p, DeserializationContext ctxt, JsonNodeFactory nodes, Scratch scratch) {
        double[] values = scratch.values;
        boolean[] whole = scratch.whole;
        boolean anyWhole = false;
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            double v;
            boolean isWhole = false;
            if (t == JsonToken.VALUE_NUMBER_FLOAT && floatAsDouble(p)) {
                char[] text = p.getStringCharacters();
                v = text == null ? Double.NaN : decimal(text, p.getStringOffset(), p.getStringLength());
                if (Double.isNaN(v)) {                       // not a short decimal: the parser's own reading
                    v = p.getDoubleValue();
                }
                if (!Double.isFinite(v)) {
                    return mixed(p, ctxt, nodes, scratch, n);
                }
            } else if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                v = p.getIntValue();
                isWhole = true;
            } else {
                return mixed(p, ctxt, nodes, scratch, n);
            }
            if (n == values.length) {
                scratch.values = values = Arrays.copyOf(values, 2 * n);
                scratch.whole = whole = Arrays.copyOf(whole, 2 * n);
            }
            whole[n] = isWhole;
            anyWhole |= isWhole;
            values[n++] = v;
        }
        return n == 0 ? nodes.arrayNode() : NumberArrayNode.of(nodes, values, n, anyWhole ? whole : null);
    }

    /** 10^0 … 10^22: every power of ten a double holds exactly. */
    private static final double[] EXACT_POWERS = new double[23];

    static {
        EXACT_POWERS[0] = 1;
        for (int i = 1; i < EXACT_POWERS.length; i++) {
            EXACT_POWERS[i] = 10 * EXACT_POWERS[i - 1];
        }
    }

    /**
     * The double nearest the decimal {@code text[at..at+len)} (a JSON number: {@code -?d+(.d+)?([eE][+-]?d+)?}) when
     * its digits make an integer m ≤ 2^53 and its scale is at most 22 either way, else NaN: then m and 10^|e| are
     * both exact doubles and one correctly rounded multiplication or division gives the nearest double (Clinger,
     * "How to read floating point numbers accurately", 1990), what the parser's own reading gives, with no
     * {@code String} and no big-number arithmetic. A request's weights and inputs ({@code -0.1234}) all take it.
     */
    static double decimal(char[] text, int at, int len) {
        int i = at;
        int end = at + len;
        boolean negative = i < end && text[i] == '-';
        if (negative) {
            i++;
        }
        long m = 0;
        int digits = 0;
        int scale = 0;
        char ch = 0;
        for (; i < end && (ch = text[i]) >= '0' && ch <= '9'; i++, digits++) {
            m = 10 * m + (ch - '0');
        }
        if (ch == '.' && i < end) {
            for (i++; i < end && (ch = text[i]) >= '0' && ch <= '9'; i++, digits++, scale--) {
                m = 10 * m + (ch - '0');
            }
        }
        if (i < end && (ch == 'e' || ch == 'E')) {
            i++;
            boolean down = i < end && text[i] == '-';
            if (i < end && (text[i] == '-' || text[i] == '+')) {
                i++;
            }
            int x = 0;
            int start = i;
            for (; i < end && (ch = text[i]) >= '0' && ch <= '9' && x < 1000; i++) {
                x = 10 * x + (ch - '0');
            }
            if (i == start) {
                return Double.NaN;
            }
            scale += down ? -x : x;
        }
        return i != end || digits == 0 ? Double.NaN : exact(negative, m, digits, scale);
    }

    /**
     * The double nearest ±m·10^scale, m read from {@code digits} decimal digits, when one correctly rounded
     * operation gives it (m ≤ 2^53, at most 18 digits, |scale| ≤ 22), else NaN.
     */
    static double exact(boolean negative, long m, int digits, int scale) {
        if (digits > 18 || m > 1L << 53 || scale < -22 || scale > 22) {
            return Double.NaN;
        }
        double v = scale < 0 ? m / EXACT_POWERS[-scale] : m * EXACT_POWERS[scale];
        return negative ? -v : v;
    }

    private static boolean floatAsDouble(JsonParser p) {
        JsonParser.NumberTypeFP type = p.getNumberTypeFP();
        return type == JsonParser.NumberTypeFP.UNKNOWN || type == JsonParser.NumberTypeFP.DOUBLE64;
    }

    /** An array that turned out not to be all finite numbers: a plain array from the current token on. */
    private JsonNode mixed(JsonParser p, DeserializationContext ctxt, JsonNodeFactory nodes, Scratch read, int n) {
        ArrayNode array = nodes.arrayNode(n + 4);
        for (int i = 0; i < n; i++) {
            array.add(read.whole[i] ? nodes.numberNode((int) read.values[i]) : nodes.numberNode(read.values[i]));
        }
        for (JsonToken t = p.currentToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            array.add(value(p, ctxt, nodes, read));
        }
        return array;
    }
}
