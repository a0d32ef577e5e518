package dev.chainrule.gradients;

import dev.chainrule.render.Numbers;
import dev.chainrule.http.Work;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/gradients}: maps JSON to the engine's records and back; the engine does the maths. */
@RestController
class GradientsController {

    private final ProblemReader reader;
    private final Lecture lecture;

    GradientsController(ProblemReader reader, Lecture lecture) {
        this.reader = reader;
        this.lecture = lecture;
    }

    @PostMapping(path = "/v1/gradients", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Work gradients(@RequestBody JsonNode body, @RequestParam(name = "digits", required = false) String digits) {
        Numbers numbers = Numbers.of(digits);
        return lecture.json(reader.read(body, ""), numbers);
    }

    /** The same, as a derivation a person reads ({@code Accept: text/plain}). */
    @PostMapping(path = "/v1/gradients", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.TEXT_PLAIN_VALUE + ";charset=UTF-8")
    Work derivation(@RequestBody JsonNode body, @RequestParam(name = "digits", required = false) String digits) {
        Numbers numbers = Numbers.of(digits);
        return lecture.text(reader.read(body, ""), numbers);
    }
}
