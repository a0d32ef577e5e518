package dev.chainrule.examples;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.chainrule.system.ProblemTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v1/examples} lists ready problems, each with the endpoint it posts to ({@code /v1/gradients} for a
 * network, {@code /v1/graph} for a computational graph); {@code GET /v1/examples/{id}} gives one as a body to post
 * there as it is. The bodies are {@code examples/ID.json} on the class path, their titles, descriptions and
 * endpoints {@code examples/index.json}.
 */
@RestController
class ExamplesController {

    /** One entry of the list; {@code train} suggests settings for {@code POST /v1/train}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Example(String id, String title, String description, String href, String endpoint, JsonNode train) {
    }

    record ExampleList(List<Example> examples) {
    }

    private final List<Example> index = new ArrayList<>();
    private final Map<String, byte[]> bodies = new LinkedHashMap<>();

    ExamplesController() {
        JsonMapper json = JsonMapper.builder().build();
        for (JsonNode e : read(json, "examples/index.json")) {
            String id = e.get("id").asString();
            index.add(new Example(id, e.get("title").asString(), e.get("description").asString(), "/v1/examples/" + id,
                    e.get("endpoint").asString(), e.get("train")));
            try (InputStream in = new ClassPathResource("examples/" + id + ".json").getInputStream()) {
                bodies.put(id, in.readAllBytes());
            } catch (IOException ex) {
                throw new UncheckedIOException("example " + id + " has no body", ex);
            }
        }
    }

    private static JsonNode read(JsonMapper json, String path) {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping(path = "/v1/examples", produces = MediaType.APPLICATION_JSON_VALUE)
    ExampleList list() {
        return new ExampleList(index);
    }

    @GetMapping(path = "/v1/examples/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> example(@PathVariable("id") String id) {
        byte[] body = bodies.get(id);
        if (body == null) {
            ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "There is no example \"" + (id.length() > 40 ? id.substring(0, 37) + "…" : id) + "\"; the examples are "
                            + String.join(", ", bodies.keySet()) + ".");
            p.setType(ProblemTypes.NOT_FOUND);
            p.setTitle("Not found");
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
