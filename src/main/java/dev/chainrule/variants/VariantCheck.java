package dev.chainrule.variants;

import dev.chainrule.engine.Deadline;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads a drawn variant as the endpoint it is posted to would, and says where it sits on a kink. One per kind of
 * problem (networks for {@code /v1/gradients}, graphs for {@code /v1/graph}); {@link Variants} asks the first that
 * {@link #reads} the body.
 */
public interface VariantCheck {

    /** True when this check reads bodies like this one. */
    boolean reads(JsonNode body);

    /**
     * Reads a variant's shape ({@link Template#shape()}, nothing drawn) as its problem, with the work of checking one
     * variant of it ({@code budget.CostModel}) as its {@code drawWork}; {@link Variants#shape} adds the drawing.
     *
     * @param prefix put before the paths of a body that is not a valid problem
     * @throws dev.chainrule.errors.InvalidRequestException when the body is not a valid problem
     */
    Variants.Shape shape(JsonNode body, String prefix);

    /**
     * The kinks the problem sits on ("z[1] = 0 (relu)"), empty when none; a problem whose derivative cannot be
     * computed at all (a value that becomes infinite, say) is one kink more, so that it is drawn again.
     *
     * @param prefix   put before the paths of a body that is not a valid problem
     * @param deadline checked between the ops of the check's pass
     * @throws dev.chainrule.errors.InvalidRequestException when the body is not a valid problem
     */
    List<String> kinks(JsonNode body, String prefix, Deadline deadline);

    /**
     * The paths of a problem's values that an example's variants keep as they are, besides its kinds' settings:
     * a graph's index inputs (integers that pick entries or label classes), read from the expression alone.
     */
    default java.util.Set<String> kept(JsonNode body) {
        return java.util.Set.of();
    }
}
