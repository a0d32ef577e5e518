package dev.chainrule.variants;

import dev.chainrule.graph.GraphReader;
import dev.chainrule.graph.GraphSolver;
import dev.chainrule.budget.Cost;
import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.NonFiniteException;
import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.InvalidRequestException;
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
    public java.util.Set<String> kept(JsonNode body) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String name : reader.read(body, "").indexInputs()) {
            out.add("values." + name);
        }
        return out;
    }

    @Override
    public List<String> kinks(JsonNode body, String prefix, Deadline deadline) {
        GraphReader.Request request = reader.read(body, prefix);
        try {
            return Kinks.of(solver.solve(request, deadline));
        } catch (NonFiniteException e) {
            return List.of(e.quantity() + " is not finite");
        } catch (InvalidRequestException e) {
            // computing names the expression and the values as a /v1/graph body has them: here, under the prefix
            throw new InvalidRequestException(e.errors().stream().map(f -> new FieldError(prefix + f.path(), f.message())).toList());
        }
    }
}
