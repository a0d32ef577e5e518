package dev.chainrule.wire;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A JSON array of finite numbers held as one {@code double[]} instead of a node per number: what
 * {@link CompactTreeDeserializer} builds for every such array of a request body (a weight matrix's rows, an input
 * vector). It is an ordinary {@link ArrayNode} to every reader of the tree — {@code get(i)} gives the
 * {@code IntNode} or {@code DoubleNode} the standard deserializer would have built, and a change to it turns it
 * into a plain list — while {@link #values(JsonNode)} hands a reader the numbers at once.
 */
public final class NumberArrayNode extends ArrayNode {

    private static final long serialVersionUID = 1L;

    private final Entries entries;

    private NumberArrayNode(JsonNodeFactory nodes, Entries entries) {
        super(nodes, entries);
        this.entries = entries;
    }

    /**
     * The array of numbers {@code values[0..size)}; {@code whole[i]} marks an entry written as a whole number
     * (an {@code int} in the standard tree); {@code whole} may be null when none is.
     */
    static NumberArrayNode of(JsonNodeFactory nodes, double[] values, int size, boolean[] whole) {
        return new NumberArrayNode(nodes, new Entries(nodes, Arrays.copyOf(values, size),
                whole == null ? null : Arrays.copyOf(whole, size)));
    }

    /**
     * A copy of the numbers of {@code node} when it is an unchanged array of finite numbers read by
     * {@link CompactTreeDeserializer}, else null (read it node by node).
     */
    public static double[] values(JsonNode node) {
        return node instanceof NumberArrayNode n && n.entries.changed == null ? n.entries.values.clone() : null;
    }

    /** The children as the standard tree has them, built on demand from the numbers. */
    private static final class Entries extends AbstractList<JsonNode> implements RandomAccess, java.io.Serializable {
        private static final long serialVersionUID = 1L;

        private final JsonNodeFactory nodes;
        private final double[] values;
        private final boolean[] whole;
        /** The children once the array has been changed. */
        private List<JsonNode> changed;

        Entries(JsonNodeFactory nodes, double[] values, boolean[] whole) {
            this.nodes = nodes;
            this.values = values;
            this.whole = whole;
        }

        @Override
        public JsonNode get(int index) {
            if (changed != null) {
                return changed.get(index);
            }
            double v = values[index];
            return whole != null && whole[index] ? nodes.numberNode((int) v) : nodes.numberNode(v);
        }

        @Override
        public int size() {
            return changed != null ? changed.size() : values.length;
        }

        private List<JsonNode> changeable() {
            if (changed == null) {
                List<JsonNode> list = new ArrayList<>(values.length + 4);
                for (int i = 0; i < values.length; i++) {
                    list.add(get(i));
                }
                changed = list;
            }
            return changed;
        }

        @Override
        public JsonNode set(int index, JsonNode element) {
            return changeable().set(index, element);
        }

        @Override
        public void add(int index, JsonNode element) {
            changeable().add(index, element);
            modCount++;
        }

        @Override
        public JsonNode remove(int index) {
            modCount++;
            return changeable().remove(index);
        }

        @Override
        public void clear() {
            changed = new ArrayList<>();
            modCount++;
        }
    }
}
