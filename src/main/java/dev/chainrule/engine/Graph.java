package dev.chainrule.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A computational graph, computed as it is built (like micrograd): every node holds its value; inputs and
 * constants first, then each operation after its operands. Immutable once built; the backward walk
 * ({@link Backprop}) reads it and writes nothing into it.
 */
public final class Graph {

    /** What a node is: a free input, a constant, or an operation on earlier nodes. */
    public enum Kind { INPUT, CONST, OP }

    /**
     * One node.
     *
     * @param inputs     the operands' indexes, earlier in the graph
     * @param expression the node's own expression as the user wrote it, or null for inputs and constants
     */
    public record Node(int index, String name, Kind kind, Op op, List<Integer> inputs, Tensor value, String expression) {

        public Node {
            inputs = List.copyOf(inputs);
        }

        /** The wire name of the operator: {@code input}, {@code const}, {@code add}, … */
        public String opName() {
            return kind == Kind.OP ? op.opName() : kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final List<Node> nodes;
    private final boolean[] constant;

    private Graph(List<Node> nodes) {
        this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
        this.constant = constants(this.nodes);
    }

    /**
     * Which nodes are constants, with no gradient of their own: the numbers; an input used only where an op reads
     * integers ({@link Op#isIndex}: an index input); an op whose every operand is a constant or reaches it through
     * no gradient (a comparison's result).
     */
    private static boolean[] constants(List<Node> nodes) {
        int n = nodes.size();
        boolean[] constant = new boolean[n];
        boolean[] usedAsIndex = new boolean[n];
        boolean[] usedOtherwise = new boolean[n];
        for (Node node : nodes) {
            if (node.kind() == Kind.OP) {
                for (int k = 0; k < node.inputs().size(); k++) {
                    int in = node.inputs().get(k);
                    if (node.op().isIndex(k)) {
                        usedAsIndex[in] = true;
                    } else {
                        usedOtherwise[in] = true;
                    }
                }
            }
        }
        for (Node node : nodes) {
            int i = node.index();
            constant[i] = switch (node.kind()) {
                case CONST -> true;
                case INPUT -> usedAsIndex[i] && !usedOtherwise[i];
                case OP -> {
                    boolean all = true;
                    for (int k = 0; k < node.inputs().size() && all; k++) {
                        all = !node.op().carriesGradient(k) || constant[node.inputs().get(k)];
                    }
                    yield all;
                }
            };
        }
        return constant;
    }

    /** True when node {@code index} is a constant: no gradient is sent into it and none is reported for it. */
    public boolean constant(int index) {
        return constant[index];
    }

    /**
     * The value of node {@code output} with some inputs' values replaced (a gradient check's nudge): every op
     * between them and the output computed again, the graph itself unchanged.
     */
    public Tensor recompute(int output, Map<Integer, Tensor> replaced) {
        Tensor[] values = new Tensor[output + 1];
        boolean[] changed = new boolean[output + 1];
        for (int i = 0; i <= output; i++) {
            Node node = nodes.get(i);
            Tensor r = replaced.get(i);
            if (r != null) {
                values[i] = r;
                changed[i] = true;
                continue;
            }
            values[i] = node.value();
            if (node.kind() == Kind.OP) {
                Tensor[] in = new Tensor[node.inputs().size()];
                boolean moved = false;
                for (int k = 0; k < in.length; k++) {
                    int at = node.inputs().get(k);
                    in[k] = values[at];
                    moved |= changed[at];
                }
                if (moved) {
                    values[i] = node.op().forward(in);
                    changed[i] = true;
                }
            }
        }
        return values[output];
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    public int size() {
        return nodes.size();
    }

    /** The operands' values of node {@code n}. */
    public Tensor[] operands(Node n) {
        Tensor[] in = new Tensor[n.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = nodes.get(n.inputs().get(i)).value();
        }
        return in;
    }

    /** A value that is not finite, at the node that first made it. */
    public static final class NonFiniteValue extends RuntimeException {
        private final transient Node node;

        NonFiniteValue(Node node) {
            super(node.name() + " is not finite");
            this.node = node;
        }

        public Node node() {
            return node;
        }
    }

    /** Builds a graph node by node, computing each value on the way. Not thread-safe; one per graph. */
    public static final class Builder {

        private final List<Node> nodes = new ArrayList<>();
        private final boolean strict;
        private long work;

        /** A builder that refuses a non-finite value at the node that made it. */
        public Builder() {
            this(true);
        }

        /** @param strict false to leave finiteness to the caller (which then checks in an order of its own) */
        public Builder(boolean strict) {
            this.strict = strict;
        }

        public int input(String name, Tensor value) {
            return add(new Node(nodes.size(), name, Kind.INPUT, null, List.of(), value, null));
        }

        public int constant(String name, double value) {
            return constant(name, Tensor.scalar(value));
        }

        /** A value that gets no gradient: a literal, a mask, word indices. */
        public int constant(String name, Tensor value) {
            return add(new Node(nodes.size(), name, Kind.CONST, null, List.of(), value, null));
        }

        /**
         * Applies {@code op} to earlier nodes. The caller has checked the shapes with {@link Op#shapeError}.
         *
         * @throws NonFiniteValue when the value is NaN, or infinite from operands that are all finite (an infinity
         *                        given as a constant, such as a mask's {@code −∞}, may pass through)
         */
        public int apply(String name, Op op, List<Integer> inputs, String expression) {
            Tensor[] in = new Tensor[inputs.size()];
            for (int i = 0; i < in.length; i++) {
                in[i] = nodes.get(inputs.get(i)).value();
            }
            Tensor value = op.forward(in);
            work += op.work(in);
            Node node = new Node(nodes.size(), name, Kind.OP, op, inputs, value, expression);
            if (strict && value.firstNonFinite() >= 0 && (hasNaN(value) || !infinite(in))) {
                throw new NonFiniteValue(node);
            }
            return add(node);
        }

        public Node node(int index) {
            return nodes.get(index);
        }

        public int size() {
            return nodes.size();
        }

        /** Multiply-adds of the forward and backward passes of the nodes so far. */
        public long work() {
            return work;
        }

        private static boolean hasNaN(Tensor t) {
            for (int i = 0; i < t.size(); i++) {
                if (Double.isNaN(t.get(i))) {
                    return true;
                }
            }
            return false;
        }

        private static boolean infinite(Tensor[] in) {
            for (Tensor t : in) {
                if (t.firstNonFinite() >= 0) {
                    return true;
                }
            }
            return false;
        }

        private int add(Node node) {
            nodes.add(node);
            return node.index();
        }

        public Graph build() {
            return new Graph(nodes);
        }
    }
}
