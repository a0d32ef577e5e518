package dev.chainrule.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The golden cases of {@code src/test/resources/golden}: requests with PyTorch autograd's float64 answers, and the
 * comparison they are held to (1e-9 relative; 1e-12 absolute for entries that cancel to almost nothing, where
 * float64 rounding alone differs between two correct implementations).
 */
public final class Golden {

    public static final double RTOL = 1e-9;
    public static final double ATOL = 1e-12;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Golden() {
    }

    /** The case files, sorted by name. */
    public static List<Path> cases() {
        try {
            URL dir = Golden.class.getResource("/golden");
            try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
                return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the golden cases", e);
        }
    }

    /** The cases of {@code golden-layers} (PyTorch float64 by scripts/golden_layers.py), sorted by name. */
    public static List<Path> layerCases() {
        try {
            URL dir = Golden.class.getResource("/golden-layers");
            try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
                return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the golden-layers cases", e);
        }
    }

    /** The request of the golden case {@code name} (e.g. {@code cs224n-score}, the contract's running example), as JSON text. */
    public static String request(String name) {
        for (Path file : cases()) {
            if (file.getFileName().toString().equals(name + ".json")) {
                return read(file).get("request").toString();
            }
        }
        throw new IllegalStateException("no golden case " + name);
    }

    public static JsonNode read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** Asserts that {@code actual} holds every key of {@code expected}, with the same shapes and values. */
    public static void assertSection(String what, JsonNode expected, JsonNode actual) {
        assertTrue(actual != null && actual.isObject(), what + " is missing");
        List<String> expectedKeys = new ArrayList<>(expected.propertyNames());
        List<String> actualKeys = new ArrayList<>(actual.propertyNames());
        assertEquals(expectedKeys, actualKeys, what + ": names and order");
        for (String key : expectedKeys) {
            assertClose(what + "." + key, expected.get(key), actual.get(key));
        }
    }

    public static void assertClose(String path, JsonNode expected, JsonNode actual) {
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                fail(path + ": expected a list of " + expected.size() + " but got " + actual);
            }
            for (int i = 0; i < expected.size(); i++) {
                assertClose(path + "[" + i + "]", expected.get(i), actual.get(i));
            }
            return;
        }
        if (!actual.isNumber()) {
            fail(path + ": expected the number " + expected + " but got " + actual);
        }
        double e = expected.doubleValue();
        double a = actual.doubleValue();
        if (Math.abs(a - e) > RTOL * Math.abs(e) + ATOL) {
            fail(path + ": expected " + e + " but got " + a + " (relative error " + Math.abs(a - e) / Math.abs(e) + ")");
        }
    }

    public static JsonMapper json() {
        return JSON;
    }
}
