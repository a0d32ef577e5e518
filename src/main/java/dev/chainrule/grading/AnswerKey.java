package dev.chainrule.grading;

import dev.chainrule.graph.GraphReader;
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
import dev.chainrule.engine.Op;
import java.util.Collections;
import java.util.LinkedHashMap;
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
    /** Per node, read once for every answer: the broadcasts that stretched it, the gathers that took its entries. */
    private final Map<Integer, List<Stretch>> stretches = new java.util.HashMap<>();
    private final Map<Integer, List<Gather>> gathers = new java.util.HashMap<>();

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

    /**
     * A computational graph's key: answers are keyed by node names.
     *
     * @param deadline checked in the extra backward walks without an activation's derivative (in the request's
     *                 predicted cost, {@code GraphReader.Request#gradingCost})
     */
    static AnswerKey graph(GraphSolver.Solution solution, Deadline deadline) {
        String output = solution.outputNode().name();
        return new AnswerKey(output, Set.of(output), solution.forward(), solution.gradients(), solution.backward(),
                false, new GraphAlternatives(solution, deadline));
    }

    /** A graph's alternative chains, computed when first needed. */
    private record GraphAlternatives(GraphSolver.Solution solution, Deadline deadline) implements Supplier<List<WithoutDerivative>> {
        @Override
        public List<WithoutDerivative> get() {
            return withoutDerivative(solution, deadline);
        }
    }

    /**
     * A graph's alternative chains: for each of its first {@value GraphReader#LEFT_OUT} activations (relu, sigmoid,
     * tanh, softplus), the gradients as they come out with that node's f' left out.
     */
    private static List<WithoutDerivative> withoutDerivative(GraphSolver.Solution solution, Deadline deadline) {
        Graph graph = solution.graph();
        List<WithoutDerivative> out = new ArrayList<>();
        for (int i = 0; i < solution.output() && out.size() < GraphReader.LEFT_OUT; i++) {
            Graph.Node n = graph.node(i);
            if (n.kind() != Graph.Kind.OP || !GraphReader.ACTIVATIONS.contains(n.opName()) || graph.constant(i)
                    || solution.backward().gradient(i) == null) {
                continue;
            }
            Backprop.Result walk = Backprop.run(graph, solution.output(), deadline, i);
            Map<String, Tensor> gradients = new LinkedHashMap<>();
            for (Graph.Node m : graph.nodes()) {
                if (solution.hasGradient(m.index())) {
                    gradients.put(m.name(), walk.gradient(m.index()));
                }
            }
            String f = n.opName();
            String in = JsonText.abbreviate(graph.node(n.inputs().get(0)).name());
            String name = JsonText.abbreviate(n.name());
            out.add(new WithoutDerivative(f + "'(" + in + ") of " + statement(n), "on the way down, ∂" + JsonText.abbreviate(solution.outputNode().name())
                    + "/∂" + name + " must be multiplied entry by entry by " + f + "'(" + in + ") to give ∂"
                    + JsonText.abbreviate(solution.outputNode().name()) + "/∂" + in + ".", Collections.unmodifiableMap(gradients)));
        }
        return List.copyOf(out);
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

    /** The name a key differentiates by: {@code W} for {@code ∂J/∂W} or {@code gradients.W}, else the key itself. */
    static String differentiated(String key) {
        String[] d = derivative(key);
        return d == null ? key : d[1];
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

    /**
     * Entries of a value that one index takes more than once (a word used twice in a window), for which an answer adds
     * the contributions of some uses only. {@code entries} names the first such group ("row 2 of L"), {@code used}
     * where the index takes it, {@code summed} the uses the answer adds ({@code used} minus those left out),
     * {@code index} and {@code via} the index input and the node that takes the entries, {@code more} how many other
     * groups are short too.
     */
    record MissingUse(String entries, List<String> used, List<String> summed, String index, String via, int more) {
    }

    /** Positions of a repeated index tried in every combination up to this many; beyond, each single use only. */
    private static final int ALL_SUBSETS = 6;

    /**
     * When {@code answer} (in the expected shape) is the gradient of {@code name} with some uses of an index that takes
     * an entry more than once left out (the scatter written as an assignment, not a sum): which; else null. Every
     * other entry must be right, and every other branch into the value.
     */
    MissingUse missingUse(String name, Tensor answer, Tolerance tolerance) {
        Integer t = chain.node(name);
        if (t == null || name.startsWith(FORWARD) || !gradients.containsKey(name)) {
            return null;
        }
        Graph graph = walk.graph();
        Tensor total = walk.gradient(t);
        for (Gather g : gathers.computeIfAbsent(t, this::gathersOf)) {
            MissingUse found = missingUse(graph, g.via(), g.taken(), g.edge(), total, answer, tolerance);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** An edge into a value from a node that takes its entries by an index, and where each entry taken comes from. */
    private record Gather(Backprop.Edge edge, Graph.Node via, Op.Taken taken) {
    }

    /** The edges into node {@code t} whose node takes entries by an index (once per node, for every answer). */
    private List<Gather> gathersOf(int t) {
        Graph graph = walk.graph();
        List<Gather> out = new ArrayList<>();
        for (Backprop.Edge e : walk.edges()) {
            Graph.Node via = graph.node(e.via());
            Op.Taken taken = e.to() != t ? null : via.op().taken(e.slot(), graph.operands(via));
            if (taken != null && taken.index() >= 0) {
                out.add(new Gather(e, via, taken));
            }
        }
        return out;
    }

    private static MissingUse missingUse(Graph graph, Graph.Node via, Op.Taken taken, Backprop.Edge e, Tensor total,
            Tensor answer, Tolerance tolerance) {
        int[] source = taken.source();
        int[] uses = new int[total.size()];
        for (int s : source) {
            uses[s]++;
        }
        // the output entries of each entry taken more than once, its uses grouped by the index positions that take it
        Map<Integer, List<Integer>> outputs = new LinkedHashMap<>();
        for (int i = 0; i < source.length; i++) {
            if (uses[source[i]] > 1) {
                outputs.computeIfAbsent(source[i], k -> new ArrayList<>()).add(i);
            }
        }
        if (outputs.isEmpty()) {
            return null;
        }
        for (int s = 0; s < total.size(); s++) {
            if (uses[s] < 2 && !tolerance.within(answer.get(s), total.get(s))) {
                return null; // an entry taken at most once is wrong: not a repeat left out
            }
        }
        Map<List<Integer>, List<Integer>> groups = new LinkedHashMap<>();
        outputs.forEach((s, outs) -> groups.computeIfAbsent(outs.stream().map(i -> taken.position()[i]).toList(),
                k -> new ArrayList<>()).add(s));
        Tensor up = e.upstream();
        Tensor contribution = e.contribution();
        List<Integer> firstPositions = null;
        List<Integer> firstSummed = null;
        List<Integer> firstEntries = null;
        int shortGroups = 0;
        for (Map.Entry<List<Integer>, List<Integer>> g : groups.entrySet()) {
            List<Integer> positions = g.getKey();
            List<Integer> entries = g.getValue();
            if (entries.stream().allMatch(s -> tolerance.within(answer.get(s), total.get(s)))) {
                continue;
            }
            List<Integer> summed = summedUses(positions, entries, outputs, up, contribution, total, answer, tolerance);
            if (summed == null) {
                return null;
            }
            if (shortGroups++ == 0) {
                firstPositions = positions;
                firstSummed = summed;
                firstEntries = entries;
            }
        }
        if (shortGroups == 0) {
            return null;
        }
        Tensor index = graph.operands(via)[taken.index()];
        List<String> used = firstPositions.stream().map(p -> position(index, p)).toList();
        List<String> summed = firstSummed.stream().map(p -> position(index, p)).toList();
        Graph.Node target = graph.node(e.to());
        return new MissingUse(entries(target.name(), target.value(), firstEntries), used, summed,
                JsonText.abbreviate(graph.node(via.inputs().get(taken.index())).name()), statement(via), shortGroups - 1);
    }

    /** A node as its statement reads, for feedback: {@code E = L[w]}, or its name alone when it has no expression. */
    private static String statement(Graph.Node node) {
        return JsonText.abbreviate(node.expression() == null ? node.name() : node.name() + " = " + node.expression());
    }

    /**
     * The positions (a proper, non-empty part of {@code positions}) whose contributions alone the answer adds for these
     * entries, the other branches' contributions beside them right; null when no such part fits.
     */
    private static List<Integer> summedUses(List<Integer> positions, List<Integer> entries, Map<Integer, List<Integer>> outputs,
            Tensor up, Tensor contribution, Tensor total, Tensor answer, Tolerance tolerance) {
        int m = positions.size();
        List<Integer> masks = new ArrayList<>();
        if (m <= ALL_SUBSETS) {
            for (int mask = 1; mask < (1 << m) - 1; mask++) {
                masks.add(mask);
            }
        }
        for (int k = 0; k < m && m > ALL_SUBSETS; k++) {
            masks.add(-(k + 1)); // only use k
        }
        for (int mask : masks) {
            boolean fits = true;
            for (int s : entries) {
                double sum = total.get(s) - contribution.get(s); // the other branches' share
                List<Integer> outs = outputs.get(s);
                for (int u = 0; u < outs.size(); u++) {
                    sum += sums(mask, u) ? up.get(outs.get(u)) : 0;
                }
                if (!tolerance.within(answer.get(s), sum)) {
                    fits = false;
                    break;
                }
            }
            if (fits) {
                List<Integer> summed = new ArrayList<>();
                for (int u = 0; u < m; u++) {
                    if (sums(mask, u)) {
                        summed.add(positions.get(u));
                    }
                }
                return summed;
            }
        }
        return null;
    }

    /** Whether use {@code u} is among those {@code mask} sums: a bit set, or for a negative mask, the one use −mask − 1. */
    private static boolean sums(int mask, int u) {
        return mask > 0 ? (mask & (1 << u)) != 0 : u == -mask - 1;
    }

    /** Where entry {@code flat} sits: {@code 2} in a list, {@code [1, 3]} in a matrix, as NumPy counts from 0. */
    private static String position(Tensor t, int flat) {
        return t.rank() <= 1 ? Integer.toString(flat) : "[" + t.index(flat).replace("][", ", ").replace("[", "").replace("]", "") + "]";
    }

    /** "row 2 of L", "column 1 of X", "slice 3 of T", or "entry [2, 1] of L" (and how many more) for other groups. */
    private static String entries(String name, Tensor value, List<Integer> entries) {
        String of = " of " + JsonText.abbreviate(name);
        int[] shape = value.shape();
        int first = entries.get(0);
        if (shape.length >= 2) {
            int inner = value.size() / shape[0];
            if (entries.size() == inner && entries.stream().allMatch(s -> s / inner == first / inner)) {
                return (shape.length == 2 ? "row " : "slice ") + first / inner + of;
            }
            if (shape.length == 2 && entries.size() == shape[0] && entries.stream().allMatch(s -> s % shape[1] == first % shape[1])) {
                return "column " + first % shape[1] + of;
            }
        }
        return "entry " + position(value, first) + of + (entries.size() > 1 ? " (and " + (entries.size() - 1) + " more entries like it)" : "");
    }

    /**
     * Where a value was stretched by broadcasting: in node {@code via} ({@code expression} as written) to {@code shape},
     * along {@code axes} of it.
     */
    record Stretch(String via, int[] shape, List<Integer> axes) {
    }

    /** Every broadcast that stretched the value named {@code name} (its gradient is summed back over those axes). */
    List<Stretch> stretches(String name) {
        Integer t = chain.node(name);
        return t == null ? List.of() : stretches.computeIfAbsent(t, this::stretchesOf);
    }

    private List<Stretch> stretchesOf(int t) {
        List<Stretch> out = new ArrayList<>();
        Graph graph = walk.graph();
        int[] mine = graph.node(t).value().shape();
        for (Backprop.Edge e : walk.edges()) {
            Graph.Node via = graph.node(e.via());
            if (e.to() != t || !via.op().broadcasts() || java.util.Arrays.equals(via.value().shape(), mine)) {
                continue;
            }
            List<Integer> axes = via.value().stretchedFrom(mine);
            if (axes != null && !axes.isEmpty() && out.stream().noneMatch(o -> java.util.Arrays.equals(o.shape(), via.value().shape()))) {
                out.add(new Stretch(statement(via), via.value().shape(), axes));
            }
        }
        return out;
    }

    /**
     * Why a name the problem has is not a gradient it asks for: an index input, a constant, a value computed from
     * constants only (a comparison's result); null when the name has a gradient or names nothing.
     */
    String withoutGradient(String key) {
        String name = key;
        if (expected(name) == null) {
            String[] d = derivative(key);
            if (d != null && (d[0] == null || outputNames.contains(d[0])) && !d[1].startsWith(FORWARD)) {
                name = d[1];
            }
        }
        Integer t = name.startsWith(FORWARD) ? null : chain.node(name);
        Graph graph = walk.graph();
        // a network's word indices are a node of its graph, not a forward value of the contract
        boolean constant = t != null && graph.node(t).kind() == Graph.Kind.CONST;
        if (name.startsWith(FORWARD) || gradients.containsKey(name) || !(forward.containsKey(name) || constant)) {
            return null;
        }
        String what = JsonText.abbreviate(name);
        if (t == null) {
            return what + " has no gradient in this problem";
        }
        Graph.Node n = graph.node(t);
        String index = what + " is an index input (whole numbers that pick entries or label classes), so it has no gradient";
        String aConstant = what + " is a constant, so it has no gradient";
        return switch (n.kind()) {
            case INPUT -> index;
            case CONST -> readAsIndex(graph, t) ? index : aConstant;
            case OP -> n.inputs().stream().allMatch(i -> graph.node(i).kind() == Graph.Kind.CONST)
                    ? aConstant
                    : what + " carries no gradient (a comparison's result, or a value made from constants only), so none flows back into it";
        };
    }

    /** True when an op reads node {@code t} as an index (a subscript's, pick's, a loss's labels, an embedding's words). */
    private static boolean readAsIndex(Graph graph, int t) {
        for (Graph.Node n : graph.nodes()) {
            for (int k = 0; n.kind() == Graph.Kind.OP && k < n.inputs().size(); k++) {
                if (n.inputs().get(k) == t && (n.op().isIndex(k) || indexOfTaken(graph, n) == k)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The slot of the index a node takes entries by, or −1. */
    private static int indexOfTaken(Graph graph, Graph.Node n) {
        Op.Taken taken = n.op().taken(0, graph.operands(n));
        return taken == null ? -1 : taken.index();
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

    /**
     * True when a wrong answer's feedback lists a left-out f'(z) among the usual slips: a network with such a factor.
     * A graph's activations are tried too, but its feedback keeps to the slips every graph has.
     */
    boolean suggestsLeftOutDerivative() {
        return !(alternatives instanceof GraphAlternatives) && !withoutDerivative().isEmpty();
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
