package dev.chainrule.network;

import dev.chainrule.engine.Step;
import dev.chainrule.engine.Tensor;
import java.util.List;
import java.util.Map;

/**
 * What the engine computed: every intermediate value in the order computed ({@code J} last), ∂J/∂name for each of
 * them and each parameter in shape convention, the same in Jacobian form when asked, and the backward steps.
 */
public record Gradients(Map<String, Tensor> forward, Map<String, Tensor> gradients,
        Map<String, Tensor> jacobianForm, List<Step> steps) {

    public Gradients {
        forward = java.util.Collections.unmodifiableMap(forward);
        gradients = java.util.Collections.unmodifiableMap(gradients);
        jacobianForm = jacobianForm == null ? null : java.util.Collections.unmodifiableMap(jacobianForm);
        steps = steps == null ? null : List.copyOf(steps);
    }

    /** The loss J. */
    public double loss() {
        return forward.get("J").item();
    }
}
