package dev.chainrule.gradients;

import dev.chainrule.render.Numbers;
import dev.chainrule.network.GradientCheck;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Gradients;
import dev.chainrule.engine.NonFiniteException;
import dev.chainrule.network.Problem;
import dev.chainrule.network.Sgd;
import dev.chainrule.engine.Step;
import dev.chainrule.engine.Tensor;
import dev.chainrule.budget.Cost;
import dev.chainrule.budget.CostModel;
import dev.chainrule.engine.Deadline;
import dev.chainrule.http.Work;
import dev.chainrule.errors.LimitExceededException;
import dev.chainrule.config.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Prices a read {@code /v1/gradients} request and hands it over as {@link Work}: the gradients and what its options
 * ask for beside them (LaTeX, the gradient check, one SGD step), as JSON or as readable text, with numbers rounded as
 * {@code digits} asks.
 */
@Component
final class Lecture {

    private final GradientEngine engine;
    private final GradientCheck checker;
    private final Limits limits;

    Lecture(GradientEngine engine, Limits limits) {
        this.engine = engine;
        this.checker = new GradientCheck(engine);
        this.limits = limits;
    }

    /** What was computed for one request. */
    private record Answer(Gradients gradients, GradientCheck.Report check, Map<String, Tensor> updated) {
    }

    Work json(ProblemReader.Request request, Numbers numbers) {
        Problem problem = request.problem();
        RequestOptions options = request.options();
        return Work.json(cost(request, numbers, false), path(options), "this request", deadline -> {
            Answer a = compute(request, deadline);
            Gradients g = a.gradients();
            return new GradientsResponse(numbers.round("forward", g.forward()), numbers.round("gradients", g.gradients()),
                    numbers.round("jacobian_form", g.jacobianForm()), GradientsResponse.StepView.of(round(g.steps(), numbers)),
                    options.latex() ? DerivationLatex.render(problem, g, numbers) : null,
                    a.check() == null ? null : GradientCheckResponse.of(a.check(), numbers),
                    numbers.round("updated", a.updated()), warnings(problem));
        });
    }

    private static List<String> warnings(Problem problem) {
        List<String> w = Warnings.of(problem);
        return w.isEmpty() ? null : w;
    }

    Work text(ProblemReader.Request request, Numbers numbers) {
        return Work.text(cost(request, numbers, true), path(request.options()), "this request", MediaType.TEXT_PLAIN,
                deadline -> {
                    Answer a = compute(request, deadline);
                    StringBuilder warnings = new StringBuilder();
                    for (String w : Warnings.of(request.problem())) {
                        warnings.append("Warning: ").append(w).append("\n\n");
                    }
                    return warnings + DerivationText.render(request.problem(), a.gradients(), numbers, a.check(),
                            a.updated(), request.options().sgdLearningRate());
                });
    }

    /** What answering costs, asked of the one cost model; and the answer's numbers held to their own limit. */
    private Cost cost(ProblemReader.Request request, Numbers numbers, boolean text) {
        Problem problem = request.problem();
        RequestOptions o = request.options();
        long n = CostModel.answerNumbers(problem, o.steps(), o.jacobianForm());
        if (n > limits.maxResponseNumbers()) {
            throw new LimitExceededException("chainrule.limits.max-response-numbers", limits.maxResponseNumbers(), n,
                    o.steps() ? "options.steps" : "", "the answer would hold about " + n + " numbers"
                            + (o.steps() ? " (most in the steps' explicit Jacobians: set options.steps to false)" : "") + ", which");
        }
        return CostModel.gradients(problem, new CostModel.GradientsAsk(o.steps(), o.jacobianForm(), o.latex(),
                o.gradientCheck(), o.sgdLearningRate() != null, numbers.rounds(), text));
    }

    /** The field a 422 over the work limit names: the gradient check when asked, as it is most of the work. */
    private static String path(RequestOptions options) {
        return options.gradientCheck() ? "options.gradient_check" : "";
    }

    private Answer compute(ProblemReader.Request request, Deadline deadline) {
        Problem problem = request.problem();
        RequestOptions options = request.options();
        Gradients g = engine.compute(problem, options.engineOptions(), deadline);
        GradientCheck.Report check = options.gradientCheck() ? checker.check(problem, g, deadline) : null;
        Map<String, Tensor> updated = options.sgdLearningRate() == null ? null
                : Sgd.parameters(Sgd.update(problem.layers(), g.gradients(), options.sgdLearningRate()));
        requireFinite("updated", updated);
        if (check != null) {
            check.results().forEach((name, r) -> {
                if (!Double.isFinite(r.maxRelativeError())) {
                    throw new NonFiniteException("gradient_check." + name);
                }
            });
        }
        return new Answer(g, check, updated);
    }

    /** θ − α·∂J/∂θ can overflow where ∂J/∂θ did not (α = 1e308): never an infinity in an answer. */
    private static void requireFinite(String section, Map<String, Tensor> values) {
        if (values != null) {
            values.forEach((name, t) -> {
                if (t.firstNonFinite() >= 0) {
                    throw new NonFiniteException(section + "." + name);
                }
            });
        }
    }

    private static List<Step> round(List<Step> steps, Numbers numbers) {
        if (steps == null || !numbers.rounds()) {
            return steps;
        }
        List<Step> out = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String at = "steps[" + i + "].";
            out.add(s.withTerms(round(at + "upstream", s.upstream(), numbers),
                    round(at + "local", s.local(), numbers), round(at + "downstream", s.downstream(), numbers)));
        }
        return out;
    }

    private static Step.Term round(String quantity, Step.Term t, Numbers numbers) {
        return new Step.Term(t.name(), numbers.round(quantity, t.value()));
    }
}
