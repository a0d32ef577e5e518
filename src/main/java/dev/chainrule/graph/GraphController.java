package dev.chainrule.graph;

import dev.chainrule.render.Numbers;
import dev.chainrule.http.Work;
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

    GraphController(GraphReader reader, GraphSolver solver) {
        this.reader = reader;
        this.solver = solver;
    }

    @PostMapping(path = "/v1/graph", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    Work graph(@RequestBody JsonNode body, @RequestParam(name = "digits", required = false) String digits) {
        Numbers numbers = Numbers.of(digits);
        GraphReader.Request request = reader.read(body, "");
        // computed, rounded and written inside the compute gate, under the computation's deadline
        return Work.json(request.cost(numbers.rounds()), "expression", "this graph",
                deadline -> GraphAnswer.json(solver.solve(request, deadline), request.steps(), request.latex(), numbers));
    }

    /** The same, as a derivation a person reads ({@code Accept: text/plain}). */
    @PostMapping(path = "/v1/graph", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.TEXT_PLAIN_VALUE + ";charset=UTF-8")
    Work derivation(@RequestBody JsonNode body, @RequestParam(name = "digits", required = false) String digits) {
        Numbers numbers = Numbers.of(digits);
        GraphReader.Request request = reader.read(body, "");
        return Work.text(request.cost(true), "expression", "this graph", MediaType.TEXT_PLAIN,
                deadline -> GraphText.render(solver.solve(request, deadline), request.steps(), numbers));
    }
}
