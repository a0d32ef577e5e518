package dev.chainrule.system;

import java.util.Arrays;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.deser.jackson.JsonNodeDeserializer;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a JSON tree as Jackson's own {@code JsonNode} deserializer does, except that an array of finite numbers
 * becomes one {@link NumberArrayNode} (its numbers parsed straight from the token stream into a {@code double[]})
 * instead of an {@code ArrayNode} holding a {@code DoubleNode} per number. A request body of a large network is
 * almost all such arrays. Scalars, and the whole tree under any non-default number setting (big decimals, long or
 * big integers, nulls left out), are left to Jackson's deserializer, so every reader sees the tree it always saw.
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
        if ((t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) || !standardNumbers(ctxt)) {
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

    private static boolean standardNumbers(DeserializationContext ctxt) {
        return !ctxt.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                && !Boolean.TRUE.equals(ctxt.getDatatypeFeatures().getExplicitState(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS))
                && !ctxt.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                && !ctxt.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS)
                && ctxt.isEnabled(JsonNodeFeature.READ_NULL_PROPERTIES);
    }

    /** Room for the numbers of the array being read, reused from array to array and grown as needed. */
    private static final class Scratch {
        double[] values = new double[64];
        boolean[] whole = new boolean[64];
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
                v = p.getDoubleValue();
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
