package dev.chainrule.gradients;

import dev.chainrule.render.Latex;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.chainrule.network.Gradients;
import dev.chainrule.engine.Step;
import dev.chainrule.engine.Tensor;
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
        List<StepView> steps,
        Latex.Rendering latex,
        @JsonProperty("gradient_check") GradientCheckResponse gradientCheck,
        Map<String, Tensor> updated,
        List<String> warnings) {

    /** A step on the wire: its formula as text (the LaTeX of it is in {@code latex.steps}). */
    record StepView(String gradient, String formula, Step.Term upstream, Step.Term local, Step.Term downstream) {

        static List<StepView> of(List<Step> steps) {
            return steps == null ? null : steps.stream()
                    .map(s -> new StepView(s.gradient(), s.formula(), s.upstream(), s.local(), s.downstream())).toList();
        }
    }

    static GradientsResponse of(Gradients g) {
        return new GradientsResponse(g.forward(), g.gradients(), g.jacobianForm(), StepView.of(g.steps()), null, null, null, null);
    }
}
