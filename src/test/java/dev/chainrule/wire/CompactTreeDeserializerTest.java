package dev.chainrule.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/** The compact tree is the tree Jackson's own deserializer builds, node for node; only its number arrays are lighter. */
class CompactTreeDeserializerTest {

    private static final JsonMapper STANDARD = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final JsonMapper COMPACT = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .addModule(new WireConfiguration().tensorModule()).build();

    private static JsonNode same(String json) {
        JsonNode expected = STANDARD.readValue(json, JsonNode.class);
        JsonNode compact = COMPACT.readValue(json, JsonNode.class);
        assertThat(compact).as(json).isEqualTo(expected);
        assertThat(expected).as(json).isEqualTo(compact);
        assertThat(compact.toString()).isEqualTo(expected.toString());
        assertThat(COMPACT.readTree(json)).isEqualTo(expected);
        // the service reads bytes (the UTF-8 parser), a String is read by the character parser
        assertThat(COMPACT.readValue(json.getBytes(StandardCharsets.UTF_8), JsonNode.class)).isEqualTo(expected);
        return compact;
    }

    @Test
    void numberArraysBecomeCompactAndReadAsBefore() {
        JsonNode tree = same("{\"W\": [[0.1, 2, -3e-5], [1, 2, 3]], \"x\": [1, 2.5], \"s\": 1}");
        assertThat(tree.get("W")).isNotInstanceOf(NumberArrayNode.class);
        assertThat(tree.get("W").get(0)).isInstanceOf(NumberArrayNode.class);
        assertThat(NumberArrayNode.values(tree.get("W").get(0))).containsExactly(0.1, 2, -3e-5);
        assertThat(tree.get("x").get(0).isInt()).isTrue();
        assertThat(tree.get("x").get(1).isDouble()).isTrue();
        assertThat(tree.get("W").get(1).get(2).intValue()).isEqualTo(3);
        assertThat(NumberArrayNode.values(tree.get("s"))).isNull();
    }

    @Test
    void anythingButFiniteNumbersStaysAPlainArray() {
        for (String json : new String[] {"[]", "[1, \"2\"]", "[1e400, 1]", "[1, -1e400]", "[1, 12345678901234567890]",
                "[2147483648, 1]", "[1, null]", "[true]", "[1, [2]]", "[[1], 2]", "[{\"a\": [1]}]", "[-0.0, 0, -0]",
                "null", "1.5", "\"x\"", "{}", "{\"a\": null, \"b\": [null]}", "[1.0E308, 4.9E-324]"}) {
            JsonNode tree = same(json);
            if (json.contains("\"2\"") || json.contains("e400") || json.contains("null,") || json.contains("4567890")) {
                assertThat(tree).isNotInstanceOf(NumberArrayNode.class);
            }
        }
    }

    /**
     * The short-decimal reading gives, bit for bit, the double Java's own parser gives, or declines (NaN) and the
     * parser's reading is used; weights and inputs as a person or generator writes them are all read the short way.
     */
    @Test
    void shortDecimalsReadBitForBit() {
        for (String text : new String[] {"-0.1234", "0.0", "-0.0", "1.5", "0.001", "12345.678", "1e5", "1E-5",
                "-2.5e+3", "9007199254740992", "0.3000000000000004", "1e22", "1e-22", "000012"}) {
            double v = decimal(text);
            assertThat(Double.doubleToRawLongBits(v)).as(text).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
        }
        for (String declined : new String[] {"1e23", "1e-23", "9007199254740993", "0.30000000000000004", "1234567890123456789", "0.1e-22",
                "NaN", "-Infinity", "", "-", "1e", "1e+"}) {
            assertThat(decimal(declined)).as(declined).isNaN();
        }
        SplittableRandom r = new SplittableRandom(17);
        int taken = 0;
        for (int i = 0; i < 500_000; i++) {
            StringBuilder t = new StringBuilder(r.nextBoolean() ? "-" : "");
            int whole = r.nextInt(1, 12);
            t.append(r.nextInt(whole > 1 ? 1 : 0, 10));
            for (int k = 1; k < whole; k++) {
                t.append(r.nextInt(10));
            }
            if (r.nextInt(4) > 0) {
                t.append('.');
                for (int k = r.nextInt(1, 14); k > 0; k--) {
                    t.append(r.nextInt(10));
                }
            }
            if (r.nextInt(4) == 0) {
                t.append(r.nextBoolean() ? 'e' : 'E').append(r.nextBoolean() ? "-" : r.nextBoolean() ? "+" : "")
                        .append(r.nextInt(0, 30));
            }
            String text = t.toString();
            double v = decimal(text);
            if (!Double.isNaN(v)) {
                taken++;
                assertThat(Double.doubleToRawLongBits(v)).as(text).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
            }
        }
        assertThat(taken).isGreaterThan(300_000);
        same("[[-0.1234, 0.0, -0.0, 1e5, 0.30000000000000004, 1e23, 9007199254740993.0, 1.7976931348623157E308, 2]]");
    }

    private static double decimal(String text) {
        char[] chars = ("  " + text + "]").toCharArray();
        return CompactTreeDeserializer.decimal(chars, 2, text.length());
    }

    @Test
    void aChangedArrayIsAPlainListAfterwards() {
        ArrayNode array = (ArrayNode) COMPACT.readValue("[1, 2.5]", JsonNode.class);
        array.add(7);
        array.set(0, array.numberNode(9.5));
        assertThat(array.toString()).isEqualTo("[9.5,2.5,7]");
        assertThat(NumberArrayNode.values(array)).isNull();
        array.remove(2);
        assertThat(array).isEqualTo(STANDARD.readTree("[9.5, 2.5]"));
    }

    @Test
    void randomDocuments() {
        SplittableRandom r = new SplittableRandom(16);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder json = new StringBuilder();
            value(r, json, 0);
            same(json.toString());
        }
    }

    private static void value(SplittableRandom r, StringBuilder out, int depth) {
        int kind = r.nextInt(depth > 4 ? 6 : 9);
        switch (kind) {
            case 0 -> out.append(r.nextInt(-1000, 1000));
            case 1 -> out.append(r.nextGaussian() * Math.pow(10, r.nextInt(-300, 300)));
            case 2 -> out.append(r.nextLong());
            case 3 -> out.append(r.nextBoolean() ? "\"s\"" : "null");
            case 4 -> out.append(r.nextBoolean() ? "1e999" : "-0.0");
            case 5 -> out.append(r.nextInt(3) - 1).append(".0");
            case 6, 7 -> {
                out.append('[');
                int n = r.nextInt(0, 40);
                boolean numbers = r.nextInt(3) > 0;
                for (int k = 0; k < n; k++) {
                    out.append(k == 0 ? "" : ",");
                    if (numbers) {
                        out.append(r.nextBoolean() ? String.valueOf(r.nextInt()) : String.valueOf(r.nextDouble()));
                    } else {
                        value(r, out, depth + 1);
                    }
                }
                out.append(']');
            }
            default -> {
                out.append('{');
                int n = r.nextInt(0, 5);
                for (int k = 0; k < n; k++) {
                    out.append(k == 0 ? "" : ",").append("\"k").append(k).append("\":");
                    value(r, out, depth + 1);
                }
                out.append('}');
            }
        }
    }
}
