package dev.chainrule.gradients;

import dev.chainrule.network.GradientEngine;
import dev.chainrule.system.ComputeGate;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/gradients}: maps JSON to the engine's records and back; the engine does the maths. */
@RestController
class GradientsController {

    private final ProblemReader reader;
    private final GradientEngine engine;
    private final ComputeGate gate;

    GradientsController(ProblemReader reader, GradientEngine engine, ComputeGate gate) {
        this.reader = reader;
        this.engine = engine;
        this.gate = gate;
    }

    @PostMapping(path = "/v1/gradients", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    GradientsResponse gradients(@RequestBody JsonNode body) {
        ProblemReader.Request request = reader.read(body, "");
        return gate.run(() -> GradientsResponse.of(engine.compute(request.problem(), request.options().engineOptions())));
    }
}
