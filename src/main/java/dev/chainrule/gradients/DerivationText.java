package dev.chainrule.gradients;

import dev.chainrule.render.Numbers;
import dev.chainrule.render.TensorText;
import dev.chainrule.network.GradientCheck;
import dev.chainrule.engine.Formula;
import dev.chainrule.network.Gradients;
import dev.chainrule.network.NetworkGraph;
import dev.chainrule.network.Problem;
import dev.chainrule.engine.Step;
import dev.chainrule.engine.Tensor;
import java.util.Map;

/**
 * The derivation as a person reads it ({@code Accept: text/plain}): the forward pass line by line, the backward
 * chain step by step (formula, upstream, local Jacobian, downstream), then the gradients in shape convention; the
 * tensors are laid out by {@link TensorText}.
 */
public final class DerivationText {

    private static final String INDENT = "  ";

    private DerivationText() {
    }

    static String render(Problem problem, Gradients g, Numbers numbers, GradientCheck.Report check,
            Map<String, Tensor> updated, Double learningRate) {
        StringBuilder out = new StringBuilder();
        Map<String, Formula> formulas = NetworkGraph.formulas(problem);
        out.append("Forward pass").append(problem.batched() ? " (one row per example)" : "").append('\n');
        g.forward().forEach((name, value) -> {
            Formula formula = formulas.get(name);
            TensorText.line(out, INDENT, name + (formula == null ? "" : " = " + formula.text()), value, numbers);
        });

        if (g.steps() != null) {
            out.append("\nBackward pass (downstream = upstream × local)\n");
            int i = 1;
            for (Step step : g.steps()) {
                out.append(INDENT).append(i++).append(". ").append(step.formula()).append('\n');
                String inner = INDENT + "   ";
                TensorText.line(out, inner, "upstream    " + step.upstream().name(), step.upstream().value(), numbers,
                        step.upstreamParts());
                TensorText.line(out, inner, "local       " + step.local().name(), step.local().value(), numbers,
                        step.localParts());
                TensorText.line(out, inner, "downstream  " + step.downstream().name(), step.downstream().value(), numbers);
                if (step.kind() == Step.Kind.SUM) {
                    out.append(inner).append("(a sum, not a product: ").append(step.gradient())
                            .append(" feeds both its layer and R = λ Σ ‖W‖², so its gradient is the two branches' sum)\n");
                }
                if (step.kind() == Step.Kind.OUTER) {
                    out.append(inner).append("(not a matrix product: ∂z/∂").append(step.gradient())
                            .append(" is a 3-tensor; the step is the outer product δᵀ xᵀ of the two rows above, summed over their contributions)\n");
                }
                if (step.alias() != null) {
                    TensorText.line(out, inner, step.alias() + " = ∂J/∂" + step.gradient(), step.downstream().value(), numbers);
                }
            }
        }

        out.append("\nGradients (shape convention: each ∂J/∂θ has θ's shape)\n");
        g.gradients().forEach((name, value) -> TensorText.line(out, INDENT, "∂J/∂" + name, value, numbers));

        if (check != null) {
            GradientCheckResponse.text(out, INDENT, check, numbers);
        }
        if (updated != null) {
            out.append("\nOne SGD step (θ ← θ − α·∂J/∂θ, α = ").append(numbers.text(learningRate)).append(")\n");
            updated.forEach((name, value) -> TensorText.line(out, INDENT, name + " ←", value, numbers));
        }
        return out.toString();
    }
}
