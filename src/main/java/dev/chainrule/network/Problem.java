package dev.chainrule.network;

import java.util.List;

/**
 * A network, its inputs and its loss: everything the engine needs.
 *
 * @param inputs  one input vector per example ({@code x} is a batch of one with {@code batched} false); for a network
 *                that starts with an embedding, the words of each example (row indices of L)
 * @param batched true when the request gave {@code batch}: per-example quantities then keep their example index
 * @param l2      λ of the L2 penalty R = λ Σ ‖W‖²_F over every weight matrix and u (biases are not penalised), 0 for none
 */
public record Problem(List<Layer> layers, double[][] inputs, boolean batched, Loss loss, Reduction reduction, double l2) {

    /** A problem without regularization. */
    public Problem(List<Layer> layers, double[][] inputs, boolean batched, Loss loss, Reduction reduction) {
        this(layers, inputs, batched, loss, reduction, 0.0);
    }

    public Problem {
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("the L2 strength λ must be a finite number ≥ 0, not " + l2);
        }
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        if (inputs.length == 0) {
            throw new IllegalArgumentException("at least one input is needed");
        }
        if (!batched && inputs.length != 1) {
            throw new IllegalArgumentException("an unbatched problem has exactly one input");
        }
        reduction = reduction == null ? Reduction.MEAN : reduction;
    }

    public int examples() {
        return inputs.length;
    }

    /** The same problem with other layers (an SGD step's updated parameters, say). */
    public Problem withLayers(List<Layer> newLayers) {
        return new Problem(newLayers, inputs, batched, loss, reduction, l2);
    }

    /** True when J carries the L2 penalty R. */
    public boolean regularized() {
        return l2 > 0;
    }

    /** The same problem with other inputs. */
    public Problem withInputs(double[][] newInputs) {
        return new Problem(layers, newInputs, batched, loss, reduction, l2);
    }

    /** True when the network's output is one number per example (it ends in a score layer). */
    public boolean endsInScore() {
        return layers.get(layers.size() - 1).scalarOutput();
    }

    /** True when the input gets a gradient (x), false when it is an embedding's words. */
    public boolean differentiableInput() {
        return layers.get(0).differentiableInput();
    }

    /**
     * Problems that compute (and train), but almost certainly not what was meant: a cross-entropy takes logits
     * (it applies σ or softmax itself), so a network that already ends in that squashing applies it twice. Answered
     * 200 with the warning beside the numbers, never refused: a course may want to show exactly this mistake.
     */
    public List<String> warnings() {
        return loss.warnings(this);
    }

    /** The warning when the last layer already applies the squashing {@code activation} that the loss applies too. */
    List<String> appliedTwice(String activation, String applies) {
        if (!activation.equals(layers.get(layers.size() - 1).outputOp())) {
            return List.of();
        }
        String l = loss.wireName();
        return List.of("the last layer already applies " + activation + " and " + l + " applies it again (" + l
                + " takes logits: " + applies + "): did you mean identity?");
    }

    /** The problem on the examples {@code chosen}, in that order, with their targets and per-example settings. */
    public Problem select(int[] chosen) {
        double[][] rows = new double[chosen.length][];
        for (int i = 0; i < chosen.length; i++) {
            rows[i] = inputs[chosen[i]];
        }
        List<Layer> selected = new java.util.ArrayList<>(layers.size());
        for (Layer layer : layers) {
            selected.add(layer.select(chosen));
        }
        return new Problem(selected, rows, true, loss.select(chosen), reduction, l2);
    }

    /** Entries of the network's output ŷ. */
    public int outputSize() {
        return layers.get(layers.size() - 1).outputSize();
    }
}
