package dev.chainrule.gradients;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.chainrule.network.Gradients;
import dev.chainrule.network.Step;
import dev.chainrule.network.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code POST /v1/gradients}; absent parts (Jacobian form not asked, steps turned off, nothing to warn
 * about) are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record GradientsResponse(
        Map<String, Tensor> forward,
        Map<String, Tensor> gradients,
        @JsonProperty("jacobian_form") Map<String, Tensor> jacobianForm,
        List<Step> steps,
        Latex.Rendering latex,
        @JsonProperty("gradient_check") GradientCheckResponse gradientCheck,
        Map<String, Tensor> updated,
        List<String> warnings) {

    static GradientsResponse of(Gradients g) {
        return new GradientsResponse(g.forward(), g.gradients(), g.jacobianForm(), g.steps(), null, null, null, null);
    }
}
