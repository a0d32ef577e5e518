package dev.chainrule.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import dev.chainrule.errors.JsonText;
import dev.chainrule.errors.ProblemTypes;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ready problems: {@code examples/ID.json} on the class path, listed with their titles, descriptions and the
 * endpoint each posts to in {@code examples/index.json}. An entry's optional {@code fixed} lists the fields (paths such as {@code batch})
 * that per-student variants keep as they are.
 */
@Component
public class Examples {

    /** One example: its list entry, its body as bytes (served as they are) and as JSON. */
    /** @param endpoint where the body posts to: {@code /v1/gradients} (a network) or {@code /v1/graph} (a computational graph) */
    public record Example(String id, String title, String description, String endpoint, JsonNode train, Set<String> fixed,
            byte[] bytes, JsonNode body) {
    }

    private final Map<String, Example> byId = new LinkedHashMap<>();

    public Examples() {
        JsonMapper json = JsonMapper.builder().build();
        for (JsonNode e : read(json, "examples/index.json")) {
            String id = e.get("id").asString();
            byte[] bytes;
            try (InputStream in = new ClassPathResource("examples/" + id + ".json").getInputStream()) {
                bytes = in.readAllBytes();
            } catch (IOException ex) {
                throw new UncheckedIOException("example " + id + " has no body", ex);
            }
            Set<String> fixed = new TreeSet<>();
            if (e.has("fixed")) {
                e.get("fixed").forEach(f -> fixed.add(f.asString()));
            }
            byId.put(id, new Example(id, e.get("title").asString(), e.get("description").asString(),
                    e.get("endpoint").asString(), e.get("train"), Set.copyOf(fixed), bytes, json.readTree(bytes)));
        }
    }

    private static JsonNode read(JsonMapper json, String path) {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every example, in the index's order. */
    public List<Example> all() {
        return new ArrayList<>(byId.values());
    }

    /** The example with this id, or null. */
    public Example get(String id) {
        return byId.get(id);
    }

    /** "There is no example "x"; the examples are a, b, c." */
    public String unknown(String id) {
        return "There is no example \"" + JsonText.abbreviate(id) + "\"; the examples are " + String.join(", ", byId.keySet()) + ".";
    }

    /** The 404 for an unknown id, as problem details (type {@code /problems/not-found}). */
    public ResponseEntity<ProblemDetail> notFound(String id) {
        ProblemDetail p = ProblemTypes.problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, unknown(id));
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
