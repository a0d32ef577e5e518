package dev.chainrule.gradients;

import dev.chainrule.network.Formula;
import dev.chainrule.network.Gradients;
import dev.chainrule.network.Problem;
import dev.chainrule.network.Step;
import dev.chainrule.network.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The derivation typeset for KaTeX or MathJax ({@code options.latex}): each forward value with its formula, each
 * gradient, and each step's formula with its numbers filled in, every formula rendered from its structured
 * {@link Formula} (nothing is parsed back out of the Unicode text). Vectors are column {@code bmatrix}es, Jacobian-form
 * rows one-row {@code bmatrix}es, and a list of per-example or per-contribution values is written
 * {@code \left( M_{1}, M_{2} \right)}.
 */
public final class Latex {

    /** The JSON member {@code latex}. */
    public record Rendering(Map<String, String> forward, Map<String, String> gradients, List<String> steps) {
    }

    private Latex() {
    }

    static Rendering render(Problem problem, Gradients g, Numbers numbers) {
        Map<String, Formula> formulas = Derivation.forwardFormulas(problem);
        Map<String, String> forward = new LinkedHashMap<>();
        g.forward().forEach((name, value) -> {
            Formula f = formulas.get(name);
            forward.put(name, Formula.name(name) + (f == null ? "" : " = " + f.latex()) + " = " + value(value, numbers));
        });
        Map<String, String> gradients = new LinkedHashMap<>();
        g.gradients().forEach((name, value) -> gradients.put(name, new Formula.Partial("J", name).latex() + " = " + value(value, numbers)));
        List<String> steps = new ArrayList<>();
        if (g.steps() != null) {
            for (Step step : g.steps()) {
                steps.add(step(step, numbers));
            }
        }
        return new Rendering(forward, gradients, steps);
    }

    /** The step's formula, then the same with its numbers, then the result; an aside such as (δ = ∂J/∂z) ends it. */
    static String step(Step step, Numbers numbers) {
        Formula f = step.equation();
        Formula core = f instanceof Formula.Aside a ? a.main() : f;
        String aside = f instanceof Formula.Aside a ? " \\quad (" + a.aside().latex() + ")" : "";
        String result = value(step.downstream().value(), numbers);
        if (step.upstream().name().equals("∂J/∂J")) {
            // ∂J/∂s = 1 is its own value: no "= 1 = 1"
            boolean constant = step.downstream().value().rank() == 0
                    && core.text().endsWith(" = " + numbers.text(step.downstream().value().item()));
            return constant ? core.latex() : core.latex() + " = " + result;
        }
        String up = value(step.upstream().value(), numbers);
        String local = value(step.local().value(), numbers);
        boolean weights = Derivation.isWeights(step);
        String filled = weights ? up + "^{\\top} " + local : Derivation.isPenalty(step) ? up + " + " + local : up + " " + local;
        return core.latex() + " = " + filled + " = " + result + aside;
    }

    /** A tensor as a number, a bmatrix, or a list of them. */
    public static String value(Tensor t, Numbers numbers) {
        int[] shape = t.shape();
        if (shape.length == 0) {
            return numbers.latex(t.item());
        }
        if (numbers.rounds()) {
            t = numbers.round(t); // residue below the shown precision reads 0
        }
        if (shape.length == 1) {
            return bmatrix(t, shape[0], 1, numbers);
        }
        if (shape.length == 2) {
            return bmatrix(t, shape[0], shape[1], numbers);
        }
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < shape[0]; k++) {
            parts.add(value(t.slice(k), numbers));
        }
        return "\\left( " + String.join(",\\ ", parts) + " \\right)";
    }

    private static String bmatrix(Tensor t, int rows, int cols, Numbers numbers) {
        StringBuilder out = new StringBuilder("\\begin{bmatrix} ");
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out.append(numbers.latex(t.get(r * cols + c))).append(c == cols - 1 ? "" : " & ");
            }
            out.append(r == rows - 1 ? " " : " \\\\ ");
        }
        return out.append("\\end{bmatrix}").toString();
    }
}
