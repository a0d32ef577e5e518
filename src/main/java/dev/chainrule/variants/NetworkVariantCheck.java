package dev.chainrule.variants;

import dev.chainrule.budget.Cost;
import dev.chainrule.budget.CostModel;
import dev.chainrule.engine.Deadline;
import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Problem;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** The kinks of a network problem ({@code /v1/gradients}), see {@link Kinks}. */
@Component
class NetworkVariantCheck implements VariantCheck {

    private final ProblemReader reader;
    private final GradientEngine engine;

    NetworkVariantCheck(ProblemReader reader, GradientEngine engine) {
        this.reader = reader;
        this.engine = engine;
    }

    @Override
    public boolean reads(JsonNode body) {
        return body.has("network");
    }

    @Override
    public Variants.Shape shape(JsonNode body, String prefix) {
        Problem problem = reader.read(body, prefix).problem();
        return new Variants.Shape(problem, null, Cost.units(CostModel.pass(problem)), 1);
    }

    @Override
    public List<String> kinks(JsonNode body, String prefix, Deadline deadline) {
        return Kinks.of(reader.read(body, prefix).problem(), engine, deadline);
    }
}
