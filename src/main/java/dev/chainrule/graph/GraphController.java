package dev.chainrule.graph;

import dev.chainrule.gradients.Numbers;
import dev.chainrule.system.ComputeGate;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/graph}: an expression and its values in, every value, gradient, branch sum and step out. */
@RestController
class GraphController {

    private final GraphReader reader;
    private final GraphSolver solver;
    private final ComputeGate gate;

    GraphController(GraphReader reader, GraphSolver solver, ComputeGate gate) {
        this.reader = reader;
        this.solver = solver;
        this.gate = gate;
    }

    @PostMapping(path = "/v1/graph", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    GraphAnswer.Response graph(@RequestBody JsonNode body, @RequestParam(name = "digits", required = false) String digits) {
        Numbers numbers = Numbers.of(digits);
        GraphReader.Request request = reader.read(body, "");
        return gate.run(() -> GraphAnswer.json(solver.solve(request), request.steps(), request.latex(), numbers));
    }

    /** The same, as a derivation a person reads ({@code Accept: text/plain}). */
    @PostMapping(path = "/v1/graph", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.TEXT_PLAIN_VALUE + ";charset=UTF-8")
    String derivation(@RequestBody JsonNode body, @RequestParam(name = "digits", required = false) String digits) {
        Numbers numbers = Numbers.of(digits);
        GraphReader.Request request = reader.read(body, "");
        return gate.run(() -> GraphText.render(solver.solve(request), request.steps(), numbers));
    }
}
