package dev.chainrule.grading;

import dev.chainrule.network.Activation;
import dev.chainrule.network.Deadline;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Gradients;
import dev.chainrule.network.Layer;
import dev.chainrule.network.LayerNames;
import dev.chainrule.network.Loss;
import dev.chainrule.network.Problem;
import dev.chainrule.network.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Everything the answers to one problem are graded against, computed once (per batch too): the forward values
 * and gradients, the links of the chain for carried-forward answers, and — computed when first needed — the
 * gradients as they come out when one layer's f'(z) is left out. Not thread-safe: one request uses it.
 */
final class AnswerKey {

    static final String FORWARD = "forward.";

    /**
     * The gradients with one dense layer's f'(z) left out; {@code factor} names it ("layer 1's f'(z1)") and
     * {@code hint} says where it belongs, both for feedback.
     */
    record WithoutDerivative(String factor, String hint, Map<String, Tensor> gradients) {
    }

    private final GradientEngine engine;
    private final Problem problem;
    private final Gradients expected;
    private final CarryForward chain;
    private final Deadline deadline;
    private List<WithoutDerivative> withoutDerivative;

    /**
     * @param deadline checked between the passes (the extra passes without a layer's f'(z) are in the request's
     *                 predicted cost, {@code budget.CostModel#grading})
     */
    AnswerKey(GradientEngine engine, Problem problem, Deadline deadline) {
        this.engine = engine;
        this.problem = problem;
        this.deadline = deadline;
        this.expected = engine.compute(problem, new GradientEngine.Options(false, false), deadline);
        this.chain = new CarryForward(problem, expected);
    }

    Problem problem() {
        return problem;
    }

    CarryForward chain() {
        return chain;
    }

    /** The expected value of an answer key ({@code W} for ∂J/∂W, {@code forward.h} for h), or null. */
    Tensor expected(String key) {
        if (key.startsWith(FORWARD)) {
            return expected.forward().get(key.substring(FORWARD.length()));
        }
        return expected.gradients().get(key);
    }

    /** The keys this problem has: every gradient name, then every forward value's. */
    List<String> keys() {
        List<String> keys = new ArrayList<>(expected.gradients().keySet());
        for (String name : expected.forward().keySet()) {
            keys.add(FORWARD + name);
        }
        return keys;
    }

    /** True for a quantity with one entry per example (with a batch), false for parameters and J. */
    boolean perExample(String key) {
        String name = key.startsWith(FORWARD) ? key.substring(FORWARD.length()) : key;
        return problem.batched() && !name.equals("J") && expected.forward().containsKey(name);
    }

    /** One alternative chain per dense layer whose activation is not the identity (its f'(z) = 1 changes nothing). */
    List<WithoutDerivative> withoutDerivative() {
        if (withoutDerivative == null) {
            withoutDerivative = computeWithoutDerivative();
        }
        return withoutDerivative;
    }

    private List<WithoutDerivative> computeWithoutDerivative() {
        List<Layer> layers = problem.layers();
        List<LayerNames> names = LayerNames.of(layers);
        long dense = layers.stream().filter(Layer.Dense.class::isInstance).count();
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Layer.Dense d && d.activation() != Activation.IDENTITY) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<WithoutDerivative> out = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Layer.Dense) {
                k++;
            }
            if (!candidates.contains(i)) {
                continue;
            }
            String z = names.get(i).z();
            String h = names.get(i).h();
            String factor = dense == 1 ? "the factor f'(" + z + ")" : "layer " + k + "'s f'(" + z + ")";
            String local = ((Layer.Dense) layers.get(i)).activation().elementwise()
                    ? "multiplied entry by entry by f'(" + z + ")"
                    : "multiplied by the softmax's local Jacobian ∂" + h + "/∂" + z + " = diag(" + h + ") − " + h + h + "ᵀ";
            String hint = "on the way down, ∂J/∂" + h + " must be " + local + " to give δ = ∂J/∂" + z + ".";
            Gradients g = engine.compute(problem, GradientEngine.Options.withoutDerivativeOf(i), deadline);
            out.add(new WithoutDerivative(factor, hint, Collections.unmodifiableMap(g.gradients())));
        }
        return List.copyOf(out);
    }

}
