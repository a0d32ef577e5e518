package dev.chainrule.engine;

import java.util.List;

/**
 * One operation of a computational graph. Each keeps, side by side, its forward value, its backward rule (the
 * vector–Jacobian product: upstream gradient in, this operand's contribution out, both in shape convention), its
 * explicit local Jacobian and that Jacobian's formula. Implementations hold no mutable state.
 */
public interface Op {

    /** The operator's name on the wire: {@code add}, {@code matmul}, {@code sigmoid}, … */
    String opName();

    /** Number of operands. */
    int arity();

    /**
     * Operand {@code k} is an index input: integers (a position or a class label), never a gradient. The graph
     * gives an input used there no gradient, and the backward walk sends nothing into it.
     */
    default boolean isIndex(int k) {
        return false;
    }

    /**
     * Operand {@code k} receives a gradient through this op: every operand but an index, and but a comparison's
     * operands and {@code where}'s condition, whose result does not move with them.
     */
    default boolean carriesGradient(int k) {
        return !isIndex(k);
    }

    /**
     * True when the op stretches its operands to one shape by NumPy's broadcasting (the element-wise operators and
     * {@code where}): an operand's gradient is then the upstream summed back over the axes it was stretched along.
     */
    default boolean broadcasts() {
        return false;
    }

    /**
     * For an op whose every output entry is one entry of operand {@code k} (a subscript, a gather, an embedding
     * lookup): which entry each is and which index entry chose it; null for any other op. A grader reads it to tell
     * where an entry is taken more than once, so that its gradient adds the contributions of every use.
     */
    default Taken taken(int k, Tensor[] in) {
        return null;
    }

    /**
     * Where each output entry of an op that takes entries comes from.
     *
     * @param source   for each output entry (row-major), the operand's entry it is (row-major)
     * @param position for each output entry, the entry of the index operand that chose it (row-major), or −1 where
     *                 no index operand did
     * @param index    the index operand's slot, or −1 when the op has none
     */
    record Taken(int[] source, int[] position, int index) {
    }

    /**
     * Where these operands sit exactly on a kink of this op (relu's input at 0, a tie of max): there the derivative
     * is one side's slope and a central difference straddles both, so a gradient check there cannot be trusted.
     */
    default List<Kink> kinks(Tensor[] in, Tensor out) {
        return kinks(in, out, 0.0);
    }

    /**
     * Null when these operands fit the operator, else what is wrong, naming each operand by {@code labels}
     * (as the user wrote it): {@code W is 3×5 but x has 4 entries}.
     */
    String shapeError(Tensor[] in, String[] labels);

    /** The value, for operands that fit. */
    Tensor forward(Tensor[] in);

    /**
     * Operand {@code k}'s share of the gradient, in its shape: {@code upstream · ∂out/∂in_k} with the upstream
     * ∂f/∂out in out's shape.
     */
    Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream);

    /**
     * The explicit local Jacobian ∂out/∂in_k as a matrix of size(out) rows and size(in_k) columns, entries
     * row-major (a number when both are scalars). By default each row is the backward rule applied to a unit
     * upstream, so it can never disagree with {@link #backward}.
     */
    default Tensor jacobian(int k, Tensor[] in, Tensor out) {
        int rows = out.size();
        int cols = in[k].size();
        double[] data = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double[] unit = new double[rows];
            unit[r] = 1.0;
            Tensor row = backward(k, in, out, Tensor.of(out.shape(), unit));
            for (int c = 0; c < cols; c++) {
                data[r * cols + c] = row.get(c);
            }
        }
        return Ops.jacobianShape(rows, cols, data);
    }

    /** ∂out/∂in_k in symbols, given the operands' and the output's formulas (names, usually). */
    Formula local(int k, List<Formula> in, Formula out, Tensor[] values);

    /** The output as an expression of its operands, e.g. {@code x + y}, {@code max(y, z)}. */
    Formula apply(List<Formula> in);

    /**
     * Where these operands sit on a kink of the op within {@code tolerance} (a variant's short decimals count as on
     * it within 1e-9). Empty for a smooth op.
     */
    default List<Kink> kinks(Tensor[] in, Tensor out, double tolerance) {
        return List.of();
    }

    /**
     * An entry on a kink: entry {@code entry} (row-major) of operand {@code operand} is at {@code at} ("0", "1",
     * "-1", "tie"), or, with {@code operand} -1, entry {@code entry} of the quantity named {@code quantity} inside
     * the op (a loss's hinge); {@code why} names it, e.g. {@code relu}, {@code max: a tie}.
     */
    record Kink(int operand, int entry, String at, String quantity, String why) {

        /** On operand {@code operand}'s entry, at its kink. */
        public Kink(int operand, int entry, String why) {
            this(operand, entry, "0", null, why);
        }
    }

    /** About the multiply-adds of its forward and backward pass on operands of these shapes, for the work limit. */
    default long work(Tensor[] in) {
        long w = 0;
        for (Tensor t : in) {
            w += 2L * t.size();
        }
        return Math.max(1, w);
    }
}
