package dev.chainrule.examples;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/examples} lists ready problems, each with the endpoint it posts to ({@code /v1/gradients} for a
 * network, {@code /v1/graph} for a computational graph); {@code GET /v1/examples/{id}} gives one as a body to post
 * there as it is ({@code ?seed=N}, a per-student variant, is answered by the variants package).
 */
@RestController
class ExamplesController {

    /** One entry of the list; {@code train} suggests settings for {@code POST /v1/train}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Example(String id, String title, String description, String href, String endpoint, JsonNode train) {
    }

    record ExampleList(List<Example> examples) {
    }

    private final Examples examples;

    ExamplesController(Examples examples) {
        this.examples = examples;
    }

    @GetMapping(path = "/v1/examples", produces = MediaType.APPLICATION_JSON_VALUE)
    ExampleList list() {
        return new ExampleList(examples.all().stream()
                .map(e -> new Example(e.id(), e.title(), e.description(), "/v1/examples/" + e.id(), e.endpoint(), e.train())).toList());
    }

    @GetMapping(path = "/v1/examples/{id}", params = "!seed", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> example(@PathVariable("id") String id) {
        Examples.Example e = examples.get(id);
        if (e == null) {
            return examples.notFound(id);
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(e.bytes());
    }
}
