package dev.chainrule.grading;

import dev.chainrule.graph.GraphSolver;
import dev.chainrule.engine.Backprop;
import dev.chainrule.engine.Deadline;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Gradients;
import dev.chainrule.engine.Graph;
import dev.chainrule.network.Layer;
import dev.chainrule.network.LayerNames;
import dev.chainrule.network.ScoreLoss;
import dev.chainrule.network.Problem;
import dev.chainrule.engine.Tensor;
import dev.chainrule.errors.JsonText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the answers to one problem are graded against, computed once (per batch too): the forward values
 * and gradients, the backward walk they came from (for carried-forward answers and missing branches), and — for
 * a network, computed when first needed — the gradients as they come out when one layer's f'(z) is left out.
 * A problem is a network ({@code /v1/gradients}) or a computational graph ({@code /v1/graph}). Not thread-safe:
 * one request uses it.
 */
final class AnswerKey {

    static final String FORWARD = "forward.";
    /** The key of a gradient as {@code /v1/gradients} answers it ({@code gradients.W}), another spelling of W. */
    static final String GRADIENTS = "gradients.";
    /** A gradient written as a derivative: ∂J/∂W, dJ/dW (spaces taken out first), ∂ or d on either side. */
    private static final Pattern DERIVATIVE = Pattern.compile("[∂d]([^/]+)/[∂d](.+)");

    /**
     * The gradients with one dense layer's f'(z) left out; {@code factor} names it ("layer 1's f'(z1)") and
     * {@code hint} says where it belongs, both for feedback.
     */
    record WithoutDerivative(String factor, String hint, Map<String, Tensor> gradients) {
    }

    /**
     * The branches a wrong answer summed, and those it left out, by the names of the nodes they pass through; a
     * node that takes the value more than once ({@code f = x * x}) is told apart by operand ({@code f's first
     * operand}, {@code f's second operand}).
     */
    record MissingBranch(List<String> summed, List<String> missing) {
    }

    private final String output;
    private final Set<String> outputNames;
    private final Map<String, Tensor> forward;
    private final Map<String, Tensor> gradients;
    private final Backprop.Result walk;
    private final boolean batched;
    private final CarryForward chain;
    private final Supplier<List<WithoutDerivative>> alternatives;
    private List<WithoutDerivative> withoutDerivative;

    private AnswerKey(String output, Set<String> outputNames, Map<String, Tensor> forward, Map<String, Tensor> gradients,
            Backprop.Result walk, boolean batched, Supplier<List<WithoutDerivative>> alternatives) {
        this.output = output;
        this.outputNames = outputNames;
        this.forward = forward;
        this.gradients = gradients;
        this.walk = walk;
        this.batched = batched;
        this.chain = new CarryForward(walk);
        this.alternatives = alternatives;
    }

    /**
     * A network's key.
     *
     * @param deadline checked between the passes (the extra passes without a layer's f'(z) are in the request's
     *                 predicted cost, {@code budget.CostModel#grading})
     */
    static AnswerKey network(GradientEngine engine, Problem problem, Deadline deadline) {
        GradientEngine.Solved solved = engine.solve(problem, new GradientEngine.Options(false, false), deadline);
        Gradients g = solved.gradients();
        return new AnswerKey("J", outputNames(problem), g.forward(), g.gradients(), solved.backward(), problem.batched(),
                () -> withoutDerivative(engine, problem, deadline));
    }

    /**
     * What a network's J may be called in a derivative: J, and the last layer's output (the lecture's s) when J is
     * that output itself: the score loss on one example, no penalty. Otherwise ∂s/∂W is not ∂J/∂W.
     */
    private static Set<String> outputNames(Problem problem) {
        if (problem.loss() instanceof ScoreLoss && !problem.batched() && problem.l2() == 0) {
            Layer last = problem.layers().get(problem.layers().size() - 1);
            List<String> outputs = last.outputs();
            return Set.of("J", LayerNames.of(problem.layers()).get(problem.layers().size() - 1).of(outputs.get(outputs.size() - 1)));
        }
        return Set.of("J");
    }

    /** A computational graph's key: answers are keyed by node names. */
    static AnswerKey graph(GraphSolver.Solution solution) {
        String output = solution.outputNode().name();
        return new AnswerKey(output, Set.of(output), solution.forward(), solution.gradients(), solution.backward(),
                false, List::of);
    }

    /** The output's name: {@code J} for a network, the last statement's for a graph. */
    String output() {
        return output;
    }

    CarryForward chain() {
        return chain;
    }

    /** The expected value of an answer key ({@code W} for ∂J/∂W, {@code forward.h} for h), or null. */
    Tensor expected(String key) {
        if (key.startsWith(FORWARD)) {
            return forward.get(key.substring(FORWARD.length()));
        }
        return gradients.get(key);
    }

    /**
     * The contract's name an answer key means: the key itself when it is one; W for ∂J/∂W, dJ/dW, d J / d W (any
     * spaces) and gradients.W, with J this problem's output under any of its names (f for a graph whose output is f;
     * J, or s where J = s, for a network); else null. Spellings other than the key itself never clash with a name:
     * names have no '/' or '.'.
     */
    String canonical(String key) {
        if (expected(key) != null) {
            return key;
        }
        String[] d = derivative(key);
        if (d != null && (d[0] == null || outputNames.contains(d[0])) && !d[1].startsWith(FORWARD)
                && gradients.containsKey(d[1])) {
            return d[1];
        }
        return null;
    }

    /**
     * A key written as a gradient: {numerator, name} for ∂N/∂name or dN/dname (spaces taken out), {null, name} for
     * gradients.name; null for any other key.
     */
    static String[] derivative(String key) {
        if (key.startsWith(GRADIENTS) && key.length() > GRADIENTS.length()) {
            return new String[] {null, key.substring(GRADIENTS.length())};
        }
        Matcher m = DERIVATIVE.matcher(key.replaceAll("\\s+", ""));
        return m.matches() ? new String[] {m.group(1), m.group(2)} : null;
    }

    /** The keys this problem has: every gradient name, then every forward value's. */
    List<String> keys() {
        List<String> keys = new ArrayList<>(gradients.keySet());
        for (String name : forward.keySet()) {
            keys.add(FORWARD + name);
        }
        return keys;
    }

    /** True for a quantity with one entry per example (with a batch), false for parameters and J. */
    boolean perExample(String key) {
        String name = key.startsWith(FORWARD) ? key.substring(FORWARD.length()) : key;
        return batched && !name.equals(output) && forward.containsKey(name);
    }

    /**
     * When {@code answer} is the sum over some but not all of the outward branches of {@code name}'s node (the
     * student forgot that gradients add where a value is used twice): which branches it summed and which it left
     * out; else null. Up to 10 branches are tried (1,023 subsets).
     */
    MissingBranch missingBranch(String name, Tensor answer, Tolerance tolerance) {
        Graph graph = walk.graph();
        for (Backprop.Branch b : walk.branches()) {
            if (!graph.node(b.node()).name().equals(name) || b.contributions().size() > 10) {
                continue;
            }
            List<Backprop.Edge> edges = b.contributions();
            int n = edges.size();
            List<String> labels = branchLabels(graph, edges);
            for (int mask = 1; mask < (1 << n) - 1; mask++) {
                double[] sum = new double[b.total().size()];
                List<String> summed = new ArrayList<>();
                List<String> missing = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    String via = labels.get(k);
                    if ((mask & (1 << k)) != 0) {
                        summed.add(via);
                        for (int i = 0; i < sum.length; i++) {
                            sum[i] += edges.get(k).contribution().get(i);
                        }
                    } else {
                        missing.add(via);
                    }
                }
                Tensor partial = Tensor.of(b.total().shape(), sum);
                if (Grader.allWithin(answer, partial, tolerance) && !Grader.allWithin(partial, b.total(), tolerance)) {
                    return new MissingBranch(summed, missing);
                }
            }
        }
        return null;
    }

    private static final List<String> ORDINALS = List.of("first", "second", "third", "fourth");

    /** Each edge's branch as feedback names it: the node it passes through, and which operand where that is ambiguous. */
    private static List<String> branchLabels(Graph graph, List<Backprop.Edge> edges) {
        List<String> labels = new ArrayList<>();
        for (Backprop.Edge e : edges) {
            String via = JsonText.abbreviate(graph.node(e.via()).name());
            boolean shared = edges.stream().filter(o -> o.via() == e.via()).count() > 1;
            labels.add(!shared ? via : via + "'s " + (e.slot() < ORDINALS.size() ? ORDINALS.get(e.slot()) + " operand"
                    : "operand " + (e.slot() + 1)));
        }
        return labels;
    }

    /** One alternative chain per factor a student may leave out (a dense layer's f'(z), unless f is the identity). */
    List<WithoutDerivative> withoutDerivative() {
        if (withoutDerivative == null) {
            withoutDerivative = alternatives.get();
        }
        return withoutDerivative;
    }

    private static List<WithoutDerivative> withoutDerivative(GradientEngine engine, Problem problem, Deadline deadline) {
        List<Layer> layers = problem.layers();
        List<LayerNames> names = LayerNames.of(layers);
        List<WithoutDerivative> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String type = layer.type();
            boolean only = layers.stream().filter(l -> l.type().equals(type)).count() == 1;
            Layer.LeftOut left = layer.leftOut(names.get(i), only);
            if (left == null) {
                continue;
            }
            Gradients g = engine.compute(problem, GradientEngine.Options.withoutDerivativeOf(i), deadline);
            out.add(new WithoutDerivative(left.factor(), left.hint(), Collections.unmodifiableMap(g.gradients())));
        }
        return List.copyOf(out);
    }
}
