package dev.chainrule.gradients;

import dev.chainrule.render.Latex;
import dev.chainrule.render.Numbers;
import dev.chainrule.engine.Formula;
import dev.chainrule.network.Gradients;
import dev.chainrule.network.NetworkGraph;
import dev.chainrule.network.Problem;
import dev.chainrule.engine.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network's derivation typeset for KaTeX or MathJax ({@code options.latex}): each forward value with its formula,
 * each gradient, and each step's formula with its numbers filled in ({@link Latex} lays out the numbers).
 */
final class DerivationLatex {

    private DerivationLatex() {
    }

    static Latex.Rendering render(Problem problem, Gradients g, Numbers numbers) {
        Map<String, Formula> formulas = NetworkGraph.formulas(problem);
        Map<String, String> forward = new LinkedHashMap<>();
        g.forward().forEach((name, value) -> {
            Formula f = formulas.get(name);
            forward.put(name, Formula.name(name) + (f == null ? "" : " = " + f.latex()) + " = " + Latex.value(value, numbers));
        });
        Map<String, String> gradients = new LinkedHashMap<>();
        g.gradients().forEach((name, value) -> gradients.put(name, new Formula.Partial("J", name).latex() + " = " + Latex.value(value, numbers)));
        List<String> steps = new ArrayList<>();
        if (g.steps() != null) {
            for (Step step : g.steps()) {
                steps.add(step(step, numbers));
            }
        }
        return new Latex.Rendering(forward, gradients, steps);
    }

    /** The step's formula, then the same with its numbers, then the result; an aside such as (δ = ∂J/∂z) ends it. */
    static String step(Step step, Numbers numbers) {
        Formula f = step.equation();
        Formula core = f instanceof Formula.Aside a ? a.main() : f;
        String aside = f instanceof Formula.Aside a ? " \\quad (" + a.aside().latex() + ")" : "";
        String result = Latex.value(step.downstream().value(), numbers);
        if (step.kind() == Step.Kind.SEED) {
            // ∂J/∂s = 1 is its own value: no "= 1 = 1"
            boolean constant = step.downstream().value().rank() == 0
                    && core.text().endsWith(" = " + numbers.text(step.downstream().value().item()));
            return constant ? core.latex() : core.latex() + " = " + result;
        }
        String up = Latex.value(step.upstream().value(), numbers);
        String local = Latex.value(step.local().value(), numbers);
        String filled = step.kind() == Step.Kind.OUTER ? up + "^{\\top} " + local
                : step.kind() == Step.Kind.SUM ? up + " + " + local : up + " " + local;
        return core.latex() + " = " + filled + " = " + result + aside;
    }
}
