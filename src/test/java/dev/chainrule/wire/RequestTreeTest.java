package dev.chainrule.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.mock.http.MockHttpInputMessage;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fast reader of request bodies either declines a document or builds, node for node, the tree the service's
 * Jackson configuration builds: same node classes at every position, same field order, same {@code double} bits.
 */
class RequestTreeTest {

    /** The service's mapper as far as reading trees goes ({@link WireConfiguration}). */
    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .addModule(new WireConfiguration().tensorModule()).build();

    private static JsonNode fast(byte[] body) {
        return RequestTree.fast(body, JSON.getNodeFactory());
    }

    private static JsonNode fast(String body) {
        return fast(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the fast reader took {@code body}; when it did, its tree is Jackson's exactly. */
    private static boolean agrees(byte[] body) {
        JsonNode tree = fast(body);
        Object jackson;
        try {
            jackson = JSON.readValue(body, JsonNode.class);
        } catch (RuntimeException e) {
            jackson = e;
        }
        String what = new String(body, StandardCharsets.UTF_8);
        if (tree == null) {
            return false;
        }
        assertThat(jackson).as("Jackson refuses what the fast reader took: %s", what).isInstanceOf(JsonNode.class);
        JsonNode expected = (JsonNode) jackson;
        identical(tree, expected, "$", what);
        assertThat(tree).isEqualTo(expected);
        assertThat(expected).isEqualTo(tree);
        assertThat(tree.toString()).isEqualTo(expected.toString());
        return true;
    }

    private static void identical(JsonNode actual, JsonNode expected, String path, String doc) {
        assertThat(actual.getClass()).as("%s in %s", path, doc).isEqualTo(expected.getClass());
        if (expected.isObject()) {
            assertThat(actual.propertyNames()).as(path).containsExactlyElementsOf(expected.propertyNames());
            Iterator<Map.Entry<String, JsonNode>> a = actual.properties().iterator();
            for (Map.Entry<String, JsonNode> e : expected.properties()) {
                identical(a.next().getValue(), e.getValue(), path + "." + e.getKey(), doc);
            }
        } else if (expected.isArray()) {
            assertThat(actual.size()).as(path).isEqualTo(expected.size());
            for (int k = 0; k < expected.size(); k++) {
                identical(actual.get(k), expected.get(k), path + "[" + k + "]", doc);
            }
            double[] values = NumberArrayNode.values(expected);
            if (values != null) {
                assertThat(NumberArrayNode.values(actual)).as(path).isEqualTo(values);
            }
        } else if (expected.isDouble()) {
            assertThat(Double.doubleToRawLongBits(actual.doubleValue())).as("%s in %s", path, doc)
                    .isEqualTo(Double.doubleToRawLongBits(expected.doubleValue()));
        } else {
            assertThat(actual).as("%s in %s", path, doc).isEqualTo(expected);
        }
    }

    private static List<Path> bodies() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String root : new String[] {"src/test/resources", "scripts/bodies"}) {
            try (Stream<Path> all = Files.walk(Path.of(root))) {
                all.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    @Test
    void everyBodyOfTheProjectReadsAsJacksonReadsIt() throws IOException {
        List<Path> files = bodies();
        int requests = 0;
        int taken = 0;
        for (Path file : files) {
            byte[] body = Files.readAllBytes(file);
            agrees(body);                  // a golden file holds a request and its answer (long decimals, unicode)
            JsonNode request = JSON.readValue(body, JsonNode.class).get("request");
            if (request != null && request.isObject()) {
                requests++;
                if (agrees(JSON.writeValueAsBytes(request))) {
                    taken++;
                }
            }
        }
        assertThat(files).hasSizeGreaterThan(100);
        assertThat(requests).isGreaterThan(50);
        assertThat(fast(Files.readAllBytes(Path.of("scripts/bodies/cs224n.json")))).isNotNull();
        // requests as clients write them are plain JSON: nearly all are read the fast way
        assertThat(taken).as("requests read the fast way of %d", requests).isGreaterThan(requests * 3 / 4);
    }

    @Test
    void randomDocumentsAndTheirBreakagesReadAsJacksonReadsThemOrAreDeclined() {
        SplittableRandom random = new SplittableRandom(12);
        int taken = 0;
        int declined = 0;
        for (int n = 0; n < 4000; n++) {
            StringBuilder doc = new StringBuilder();
            if (random.nextInt(2) == 0) {
                object(doc, random, 0);
            } else {
                array(doc, random, 0);
            }
            byte[] body = doc.toString().getBytes(StandardCharsets.UTF_8);
            if (agrees(body)) {
                taken++;
            } else {
                declined++;
            }
            agrees(broken(body, random));
        }
        assertThat(taken).isGreaterThan(400);
        assertThat(declined).isGreaterThan(400);
    }

    /** {@code body} with a byte dropped, changed or added, or cut short. */
    private static byte[] broken(byte[] body, SplittableRandom random) {
        int at = random.nextInt(body.length);
        String bytes = "{}[],:\"\\ -+.eE0159tfnaxz\u00e9\t\n";
        byte[] some = bytes.getBytes(StandardCharsets.UTF_8);
        switch (random.nextInt(4)) {
            case 0: {
                byte[] out = new byte[body.length - 1];
                System.arraycopy(body, 0, out, 0, at);
                System.arraycopy(body, at + 1, out, at, body.length - at - 1);
                return out;
            }
            case 1: {
                byte[] out = body.clone();
                out[at] = some[random.nextInt(some.length)];
                return out;
            }
            case 2: {
                byte[] out = new byte[body.length + 1];
                System.arraycopy(body, 0, out, 0, at);
                out[at] = some[random.nextInt(some.length)];
                System.arraycopy(body, at, out, at + 1, body.length - at);
                return out;
            }
            default:
                return java.util.Arrays.copyOf(body, at);
        }
    }

    private static final String[] NUMBERS = {"0", "-0", "1", "-1", "0.0", "-0.0", "1e5", "1E-7", "0.1", "-0.0226",
        "123456789012345678", "1234567890123456789", "12345678901234567890", "2147483647", "2147483648", "-2147483648",
        "-2147483649", "9007199254740993", "9007199254740993.0", "1e22", "1e23", "1e-22", "1e-23", "1.7976931348623157e308",
        "1e400", "-1e400", "4.9e-324", "1e-400", "0.30000000000000004", "3.141592653589793", "1.5e+2", "2E+0", "1e05",
        "100", "65536", "0.000001", "123.456e-3", "9223372036854775807", "-9223372036854775808", "9223372036854775808"};

    private static final String[] STRINGS = {"\"\"", "\"relu\"", "\"a b\"", "\"tab\\there\"", "\"\\u00e9\"", "\"é\"",
        "\"\\\"\"", "\"x/y\"", "\"\\/\"", "\"日本\"", "\"~\""};

    private static void value(StringBuilder doc, SplittableRandom random, int depth) {
        int kind = random.nextInt(depth > 6 ? 6 : 9);
        switch (kind) {
            case 0, 1, 2 -> doc.append(number(random));
            case 3 -> doc.append(STRINGS[random.nextInt(STRINGS.length)]);
            case 4 -> doc.append(new String[] {"true", "false", "null"}[random.nextInt(3)]);
            case 5 -> doc.append(random.nextInt(2) == 0 ? "0.25" : "7");
            case 6, 7 -> array(doc, random, depth + 1);
            default -> object(doc, random, depth + 1);
        }
    }

    private static String number(SplittableRandom random) {
        if (random.nextInt(3) == 0) {
            return NUMBERS[random.nextInt(NUMBERS.length)];
        }
        StringBuilder n = new StringBuilder();
        if (random.nextInt(3) == 0) {
            n.append('-');
        }
        n.append(random.nextInt(3) == 0 ? 0 : random.nextLong(1, 1L << random.nextInt(1, 62)));
        if (random.nextInt(2) == 0) {
            n.append('.').append(random.nextLong(0, 1L << random.nextInt(1, 62)));
        }
        if (random.nextInt(4) == 0) {
            n.append(random.nextInt(2) == 0 ? 'e' : 'E').append(new String[] {"", "+", "-"}[random.nextInt(3)])
                    .append(random.nextInt(random.nextInt(2) == 0 ? 30 : 400));
        }
        return n.toString();
    }

    private static final String[] SPACES = {"", "", "", " ", "\n", "\t", " \r\n "};

    private static void array(StringBuilder doc, SplittableRandom random, int depth) {
        doc.append('[').append(SPACES[random.nextInt(SPACES.length)]);
        int n = random.nextInt(depth > 6 ? 2 : 8);
        boolean numbers = random.nextInt(2) == 0;
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                doc.append(',').append(SPACES[random.nextInt(SPACES.length)]);
            }
            if (numbers && random.nextInt(20) > 0) {
                doc.append(number(random));
            } else {
                value(doc, random, depth);
            }
        }
        doc.append(SPACES[random.nextInt(SPACES.length)]).append(']');
    }

    private static void object(StringBuilder doc, SplittableRandom random, int depth) {
        doc.append('{');
        int n = random.nextInt(depth > 6 ? 2 : 6);
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                doc.append(',');
            }
            String name = random.nextInt(10) == 0 ? STRINGS[random.nextInt(STRINGS.length)]
                    : "\"" + (char) ('a' + random.nextInt(random.nextInt(15) == 0 ? 3 : 26)) + "\"";
            doc.append(SPACES[random.nextInt(SPACES.length)]).append(name).append(':');
            value(doc, random, depth);
        }
        doc.append('}');
    }

    @Test
    void plainDocumentsAreReadHereAsJacksonReadsThem() {
        for (String doc : new String[] {"{}", "[]", " {\"a\" : [ 1 , 2.5 ] } \n", "[[1, 2], [3.25, -0.0]]",
                "{\"W\": [[-0.0226, 0.1], [1e5, 1E-7]], \"b\": [0, -0], \"n\": null, \"t\": true, \"f\": false}",
                "[1, 2147483648]", "[2147483648, 1]", "{\"x\": 123456789012345678, \"y\": -5, \"z\": 1.5e+2}",
                "[1, \"a\", [2], {}]", "[\"\", \"~ !#\"]", "{\"a\": {\"b\": {\"c\": []}}}",
                // the two-character escapes, in names and values (a graph's statements are separated by \n)
                "{\"a\\n\": 1}", "[\"\\\"\"]", "{\"expression\": \"a = x + y\\nf = a * b\\t\\r\\b\\f\\\\\\/\"}"}) {
            assertThat(agrees(doc.getBytes(StandardCharsets.UTF_8))).as(doc).isTrue();
        }
        JsonNode tree = fast("{\"x\": [0.5, 2], \"y\": [3000000000]}");
        assertThat(tree.get("x")).isInstanceOf(NumberArrayNode.class);
        assertThat(tree.get("y")).isNotInstanceOf(NumberArrayNode.class);
        assertThat(tree.get("y").get(0).isLong()).isTrue();
    }

    @Test
    void numbersAtTheEdgesOfTheScanReadAsJacksonReadsThemOrAreDeclined() {
        String[] taken = {"0", "-0", "0.0", "-0.0", "0e0", "-0E+0", "1.0e-0", "7E1", "1.5e+2", "0.5E-3",
            "123456789012345678", "-123456789012345678", "12345678.12345678", "0.00000000000000001",
            "999999999999999e-15", "900719925474099.2", "1e22", "1e-22", "12.5e21"};
        for (String number : taken) {
            for (String doc : new String[] {"[" + number + "]", "[" + number + ", 1]", "{\"a\": " + number + "}",
                "[ " + number + " ]", "[1, " + number + "]", "[" + number + ", 1, 2, 3, 4, 5, 6, 7, 8, 9]",
                "[1, " + number + ",11111111,22222222]"}) {
                assertThat(agrees(doc.getBytes(StandardCharsets.UTF_8))).as(doc).isTrue();
            }
        }
        String[] declined = {"00", "-00", "01", "-01", "00.5", "1.e5", "1.5E+", "1.5e-", "1e1001", "-.5", ".5", "--1",
            "-", "1.", "0x1", "1234567890123456789", "0.000000000000000001", "1234567890.123456789", "12345678901234567.8", "1e23",
            "9007199254740993.0", "999999999999999999e-18", "1.5e", "1e+-1"};
        for (String number : declined) {
            for (String doc : new String[] {"[" + number + "]", "{\"a\": " + number + "}", "[1, " + number + "]",
                "[" + number + ", 1, 2, 3, 4, 5, 6, 7, 8, 9]", "[1, " + number + ",11111111,22222222]"}) {
                assertThat(fast(doc)).as(doc).isNull();
            }
        }
    }

    /**
     * Decimals of up to nine digits either side of the point (fifteen in all), read eight bytes at a time where
     * they fit and one at a time where they do not.
     */
    @Test
    void shortDecimalsInLongArraysReadAsJacksonReadsThem() {
        SplittableRandom random = new SplittableRandom(56);
        for (int n = 0; n < 3000; n++) {
            StringBuilder doc = new StringBuilder("[");
            for (int k = 0; k < 12; k++) {
                if (k > 0) {
                    doc.append(SPACES[random.nextInt(SPACES.length)].isEmpty() ? "," : ", ");
                }
                if (random.nextInt(3) == 0) {
                    doc.append('-');
                }
                int whole = random.nextInt(1, 10);
                doc.append(whole == 1 ? random.nextInt(10) : random.nextLong(pow10(whole - 1), pow10(whole)));
                doc.append('.');
                int fraction = random.nextInt(1, Math.min(10, 16 - whole)); // at most 15 digits: always exact
                doc.append(String.format("%0" + fraction + "d", random.nextLong(pow10(fraction))));
            }
            doc.append(']');
            assertThat(agrees(doc.toString().getBytes(StandardCharsets.UTF_8))).as(doc.toString()).isTrue();
        }
    }

    private static long pow10(int n) {
        return (long) Math.pow(10, n);
    }

    @Test
    void declinesWhatItDoesNotFullyUnderstand() {
        String deep = "[".repeat(RequestTree.MAX_DEPTH + 1) + "]".repeat(RequestTree.MAX_DEPTH + 1);
        for (String doc : new String[] {
            "", "   ", "1", "\"x\"", "null", "true",                                 // empty, or not a tree
            "[\"\\u0041\"]", "[\"a\\qb\"]", "[\"a\\",                                  // a Unicode escape, a bad one
            "[\"é\"]", "{\"日\": 1}", "\uFEFF{}",                                         // non-ASCII
            "[\"a\tb\"]", "[\"\u007f\"]",                                                // control characters
            "[1e23]", "[1e-23]", "[1e400]", "[1.5e1001]",                               // exponents beyond the exact ones
            "[0.12345678901234567890]", "[9007199254740993.0]", "[1234567890123456789]", // long mantissas
            "{\"a\": 1, \"a\": 2}", "{\"a\": {}, \"b\": 1, \"a\": null}",                  // a key twice
            "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{a: 1}", "['a']", "[01]", "[1.]", "[.5]", "[+1]", "[-]",
            "[1e]", "[1e+]", "[NaN]", "[Infinity]", "[tru]", "[nul]", "[1 2]", "{\"a\": 1", "[1", "[\"a]",
            "[1] // x", "[1]/*x*/", "[1]]", "{} {}", "[1] x", "[1]\u0000", deep}) {  // syntax errors, trailing content
            assertThat(fast(doc)).as(doc).isNull();
        }
        assertThat(fast("[".repeat(RequestTree.MAX_DEPTH) + "]".repeat(RequestTree.MAX_DEPTH))).isNotNull();
        assertThat(fast("[\"" + "a".repeat(RequestTree.MAX_STRING) + "\"]")).isNull();
    }

    @Test
    void theConverterReadsPlainBodiesHereAndLeavesTheRestToJackson() throws IOException {
        JacksonJsonHttpMessageConverter jackson = new JacksonJsonHttpMessageConverter(JSON);
        RequestTree.Converter converter = new RequestTree.Converter(JSON, jackson);
        assertThat(converter.canRead(JsonNode.class, MediaType.APPLICATION_JSON)).isTrue();
        assertThat(converter.canRead(JsonNode.class, MediaType.TEXT_PLAIN)).isFalse();
        assertThat(converter.canRead(Map.class, MediaType.APPLICATION_JSON)).isFalse();
        assertThat(converter.canWrite(JsonNode.class, MediaType.APPLICATION_JSON)).isFalse();
        assertThat(converter.getSupportedMediaTypes(JsonNode.class)).isEqualTo(jackson.getSupportedMediaTypes(JsonNode.class));

        JsonNode tree = converter.read(JsonNode.class, json("{\"x\": [0.5, 2]}"));
        assertThat(tree.get("x")).isInstanceOf(NumberArrayNode.class);
        assertThat(converter.read(JsonNode.class, json("{\"x\": \"\\u00e9\"}")).get("x").stringValue()).isEqualTo("é");

        for (String broken : new String[] {"{\"a\": 1, \"a\": 2}", "{\"a\": [1,]}", "[1] x", "{\"a\": 01}"}) {
            Throwable ours = catchThrowable(() -> converter.read(JsonNode.class, json(broken)));
            Throwable theirs = catchThrowable(() -> jackson.read(JsonNode.class, json(broken)));
            assertThat(ours).as(broken).isInstanceOf(HttpMessageNotReadableException.class);
            assertThat(ours.getClass()).isEqualTo(theirs.getClass());
            assertThat(ours.getMessage()).isEqualTo(theirs.getMessage());
            assertThat(ours.getCause().getClass()).isEqualTo(theirs.getCause().getClass());
            assertThat(ours.getCause().getMessage()).isEqualTo(theirs.getCause().getMessage());
        }
        assertThatThrownBy(() -> converter.write(tree, MediaType.APPLICATION_JSON, null))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static MockHttpInputMessage json(String body) {
        MockHttpInputMessage message = new MockHttpInputMessage(body.getBytes(StandardCharsets.UTF_8));
        message.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        return message;
    }
}
