package dev.chainrule.variants;

import dev.chainrule.graph.GraphReader;
import dev.chainrule.graph.GraphSolver;
import dev.chainrule.budget.Cost;
import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.NonFiniteException;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The kinks of a computational graph ({@code /v1/graph}): a tie of max or min, 0 under relu or abs (see
 * {@link Kinks#of(GraphSolver.Solution)}); a draw whose value or gradient is not finite ({@code log} of a drawn
 * 0) is one kink more, so that it is drawn again.
 */
@Component
class GraphVariantCheck implements VariantCheck {

    private final GraphReader reader;
    private final GraphSolver solver;

    GraphVariantCheck(GraphReader reader, GraphSolver solver) {
        this.reader = reader;
        this.solver = solver;
    }

    @Override
    public boolean reads(JsonNode body) {
        return GraphReader.isGraph(body);
    }

    @Override
    public Variants.Shape shape(JsonNode body, String prefix) {
        GraphReader.Request request = reader.read(body, prefix);
        return new Variants.Shape(null, request, Cost.units(request.passWork()), 1);
    }

    @Override
    public List<String> kinks(JsonNode body, String prefix, Deadline deadline) {
        GraphReader.Request request = reader.read(body, prefix);
        try {
            return Kinks.of(solver.solve(request, deadline));
        } catch (NonFiniteException e) {
            return List.of(e.quantity() + " is not finite");
        }
    }
}
