package dev.chainrule.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.network.Golden;
import dev.chainrule.wire.WireConfiguration;
import dev.chainrule.config.Limits;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The golden graph cases and a solver without Spring, for the plain JUnit tests. */
final class GraphCases {

    static final JsonMapper JSON = JsonMapper.builder().addModule(new WireConfiguration().tensorModule()).build();
    static final GraphReader READER = new GraphReader(GraphProperties.defaults());
    static final GraphSolver SOLVER = new GraphSolver(Limits.defaults());

    private GraphCases() {
    }

    static List<Path> cases() {
        return cases("golden-graph");
    }

    /** The cases of a test resource folder ({@code golden-graph}, {@code golden-ops}), sorted by name. */
    static List<Path> cases(String folder) {
        try {
            Path dir = Path.of(GraphCases.class.getResource("/" + folder).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the cases of " + folder, e);
        }
    }

    static JsonNode golden(String name) {
        return cases().stream().filter(p -> p.getFileName().toString().equals(name + ".json")).findFirst()
                .map(Golden::read).orElseThrow();
    }

    static GraphSolver.Solution solve(String body) {
        return solve(JSON.readTree(body));
    }

    static GraphSolver.Solution solve(JsonNode body) {
        return SOLVER.solve(READER.read(body, ""));
    }

    /** Every key of {@code expected} in {@code actual}, within the golden tolerance (other keys are not compared). */
    static void assertSubset(String what, JsonNode expected, JsonNode actual) {
        for (String key : expected.propertyNames()) {
            assertTrue(actual.has(key), what + "." + key + " is missing from " + actual.propertyNames());
            Golden.assertClose(what + "." + key, expected.get(key), actual.get(key));
        }
    }
}
