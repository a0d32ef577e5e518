package dev.chainrule.variants;

import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.GradientEngine;
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
    public List<String> kinks(JsonNode body, String prefix) {
        return Kinks.of(reader.read(body, prefix).problem(), engine);
    }
}
