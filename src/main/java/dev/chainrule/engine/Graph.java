package dev.chainrule.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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

    private Graph(List<Node> nodes) {
        this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
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
         * @throws NonFiniteValue when the value is infinite or NaN
         */
        public int apply(String name, Op op, List<Integer> inputs, String expression) {
            Tensor[] in = new Tensor[inputs.size()];
            for (int i = 0; i < in.length; i++) {
                in[i] = nodes.get(inputs.get(i)).value();
            }
            Tensor value = op.forward(in);
            work += op.work(in);
            Node node = new Node(nodes.size(), name, Kind.OP, op, inputs, value, expression);
            if (strict && value.firstNonFinite() >= 0) {
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

        private int add(Node node) {
            nodes.add(node);
            return node.index();
        }

        public Graph build() {
            return new Graph(nodes);
        }
    }
}
