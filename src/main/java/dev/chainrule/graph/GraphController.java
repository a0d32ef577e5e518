package dev.chainrule.graph;

import dev.chainrule.render.Numbers;
import dev.chainrule.http.Answers;
import dev.chainrule.http.Written;
import org.springframework.http.ResponseEntity;
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
    private final Answers answers;

    GraphController(GraphReader reader, GraphSolver solver, Answers answers) {
        this.reader = reader;
        this.solver = solver;
        this.answers = answers;
    }

    @PostMapping(path = "/v1/graph", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Written> graph(@RequestBody JsonNode body, @RequestParam(name = "digits", required = false) String digits) {
        Numbers numbers = Numbers.of(digits);
        GraphReader.Request request = reader.read(body, "");
        // computed, rounded and written inside the compute gate, under the computation's deadline
        return answers.json(request.cost(numbers.rounds()), "expression", "this graph",
                deadline -> GraphAnswer.json(solver.solve(request, deadline), request.steps(), request.latex(), numbers));
    }

    /** The same, as a derivation a person reads ({@code Accept: text/plain}). */
    @PostMapping(path = "/v1/graph", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.TEXT_PLAIN_VALUE + ";charset=UTF-8")
    ResponseEntity<Written> derivation(@RequestBody JsonNode body, @RequestParam(name = "digits", required = false) String digits) {
        Numbers numbers = Numbers.of(digits);
        GraphReader.Request request = reader.read(body, "");
        return answers.text(request.cost(true), "expression", "this graph", MediaType.TEXT_PLAIN,
                deadline -> GraphText.render(solver.solve(request, deadline), request.steps(), numbers));
    }
}
