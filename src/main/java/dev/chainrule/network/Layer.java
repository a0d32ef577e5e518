package dev.chainrule.network;

import dev.chainrule.engine.Backprop;
import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A layer of the network, applied in order to the input. Each kind is one file that owns everything about it: its
 * reading from the request ({@link Kind}), its shapes, its compilation onto the engine's ops, its names, its
 * parameters, its formulas and steps, its wire form and its cost. Generic code (the graph, the steps, the gradient
 * check, SGD, training, grading, variants, the cost model) iterates the kinds through this interface and asks
 * nothing of any one of them.
 */
public interface Layer {

    /** Its kind: how the request names and writes it. */
    Kind kind();

    /** The wire type: {@code dense}, {@code score}, … */
    default String type() {
        return kind().type();
    }

    /** Entries of the layer's input, per example. */
    int inputSize();

    /** Entries of the layer's output, per example. */
    int outputSize();

    /** The base names of the values it computes per example, in the order computed: {@code z, h} for dense. */
    default List<String> outputs() {
        return kind().outputs();
    }

    /** Its parameters by base name, in the order they are listed ({@code W, b}); one it lacks is left out. */
    Map<String, Tensor> parameters();

    /** The same layer with other values for its parameters (same names and shapes): an SGD step, a nudged entry. */
    Layer withParameters(Map<String, Tensor> values);

    /** The parameters the L2 penalty R = λ Σ ‖θ‖² counts (weight matrices, not biases). */
    default Set<String> penalized() {
        return Set.of();
    }

    /** Number of trainable parameters. */
    default int parameterCount() {
        int n = 0;
        for (Tensor t : parameters().values()) {
            n += t.size();
        }
        return n;
    }

    /** The layer on the examples {@code chosen} (a mini-batch): a setting given per example goes with its example. */
    default Layer select(int[] chosen) {
        return this;
    }

    /** True when its output is one number per example (s = uᵀh), not a vector. */
    default boolean scalarOutput() {
        return false;
    }

    /** The name of the problem's input when this layer is first: {@code x}, or the words an embedding looks up. */
    default String inputName() {
        return kind().inputName();
    }

    /** False when the problem's input gets no gradient when this layer is first (word indices). */
    default boolean differentiableInput() {
        return kind().inputName().equals("x");
    }

    /** The op its output comes from last ({@code sigmoid}, {@code softmax}), for warnings; null when none is of note. */
    default String outputOp() {
        return null;
    }

    /**
     * True when its parameters are walked after its input's gradient, so they are made before the layer before's
     * output (the lecture lists ∂J/∂h before ∂J/∂u).
     */
    default boolean parametersAfterInput() {
        return false;
    }

    /**
     * The factor a student may leave out of the chain here (an activation's f'(z)), for the grader's
     * {@code missing_activation_derivative}; null when there is none to leave out.
     *
     * @param only true when the network has one layer of this kind
     */
    default LeftOut leftOut(LayerNames names, boolean only) {
        return null;
    }

    /** What leaving out a layer's derivative is called in feedback: {@code factor} ("layer 1's f'(z1)") and where it belongs. */
    record LeftOut(String factor, String hint) {
    }

    /** Adds its ops to the graph, reading {@code in} (a node per pass); its output node per pass. */
    int[] compile(NetworkGraph.Compiler c, int[] in);

    /** How each of its outputs is computed, by base name: {@code z} → {@code W1x + b1}, for a pass's suffix. */
    Map<String, Formula> formulas(LayerNames names, String suffix);

    /**
     * Writes the backward step for {@code target}, reached along {@code edges} from this layer's nodes
     * ({@code data}: its gradient from those edges, without an L2 penalty's share). By default the engine's own
     * step: upstream × the op's explicit local Jacobian, example by example.
     */
    default void step(NetworkGraph.Steps steps, int target, List<Backprop.Edge> edges, Tensor data) {
        steps.product(target, edges, data);
    }

    /** The layer as the request writes it (a trained network answered so it can be posted again). */
    Map<String, Object> wire();

    /** Multiply-adds of its forward product for one example (its backward takes two more of the same). */
    long multiplyAdds();

    /** Its element-wise work for one example: the op's name and how many entries it goes over, for the cost model. */
    Map<String, Long> elementwise();

    /** Numbers its backward steps hold, for the limit on an answer's size. */
    default long stepNumbers(long examples, long passes) {
        long in = inputSize();
        long out = outputSize();
        return examples * passes * (out * out + 4 * out + 2 * in) + 2 * in * out + out * out;
    }

    /** The parameters' entries of a layer in the request's form: each tensor as the request writes it. */
    static Map<String, Object> wire(String type, Map<String, Tensor> parameters) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("type", type);
        l.putAll(parameters);
        return l;
    }

    /**
     * A kind of layer as the request names it: its fields and how they are read and checked. Kinds are found with
     * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.chainrule.network.Layer$Kind}), in the order
     * listed there, which is the order messages list them in.
     */
    interface Kind {

        /** The wire type. */
        String type();

        /** The base names of the values a layer of this kind computes per example, in order: {@code z, h}. */
        List<String> outputs();

        /** The name of the problem's input when a layer of this kind is first: {@code x} but for an embedding. */
        default String inputName() {
            return "x";
        }

        /**
         * The layer at {@code layer}, or null after reporting every problem at its path (a field's:
         * {@code network.layers[1].W}).
         */
        Layer read(Field layer, Context context);

        /**
         * The width a layer that failed to read declares (W's rows), so later layers are checked against it; -1
         * where it cannot be read.
         */
        default int declaredOutputs(Field layer, int inputWidth) {
            return -1;
        }

        /** The request's own fields this kind reads when it is first, in place of {@code x} and {@code batch}. */
        default List<String> inputFields() {
            return List.of();
        }

        /**
         * Reads the request's input when this kind is first and has {@link #inputFields}: a row per example, or null
         * after reporting why not.
         */
        default Input readInput(Field body) {
            throw new UnsupportedOperationException(type() + " reads x or batch");
        }

        /** Fields of this kind that are settings, not values: a variant keeps them as written. */
        default Set<String> settings() {
            return Set.of();
        }
    }

    /** A problem's input as a kind reads it: a row per example, and whether the request gave a batch. */
    record Input(double[][] rows, boolean batched) {
    }

    /**
     * What a layer is read against.
     *
     * @param index      its position in the network
     * @param count      the network's layers
     * @param inputWidth entries of its input per example, or -1 when that could not be read
     * @param names      its names, for messages ({@code W2}, its input {@code h1})
     * @param inputs     the problem's input rows (x, or an embedding's words), or null when they could not be read
     * @param body       the request, for the fields a kind reads beside the layer's own
     */
    record Context(int index, int count, int inputWidth, LayerNames names, boolean batched, double[][] inputs, Field body) {

        public boolean first() {
            return index == 0;
        }

        public boolean last() {
            return index == count - 1;
        }

        /** {@code (x) has 5 entries} or {@code (the previous layer's output) has 3 entries}, for a message. */
        public String inputDescription() {
            return first() ? "(" + names.input() + ") has " + inputWidth + " entries"
                    : "(the previous layer's output) has " + inputWidth + " entries";
        }
    }
}
