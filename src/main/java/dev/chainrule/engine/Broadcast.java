package dev.chainrule.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NumPy's broadcasting: shapes are aligned at their last axis, and an axis of size 1, or a missing leading axis,
 * stretches to the other's size. The gradient of a stretched operand is the upstream summed over the stretched axes,
 * back to its own shape.
 */
final class Broadcast {

    /** Entries a value may hold: a broadcast (or a gather) larger than this is refused before it is computed. */
    static final long MAX_ENTRIES = 4_194_304;

    private Broadcast() {
    }

    /** The shape the operands broadcast to, or null when they do not. */
    static int[] shape(Tensor... in) {
        int[][] shapes = new int[in.length][];
        for (int k = 0; k < in.length; k++) {
            shapes[k] = in[k].shape();
        }
        return shape(shapes);
    }

    /** The shape these shapes broadcast to, or null when they do not. */
    static int[] shape(int[]... shapes) {
        int rank = 0;
        for (int[] t : shapes) {
            rank = Math.max(rank, t.length);
        }
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (int[] t : shapes) {
            int offset = rank - t.length;
            for (int a = 0; a < t.length; a++) {
                int d = t[a];
                if (out[offset + a] == 1) {
                    out[offset + a] = d;
                } else if (d != 1 && d != out[offset + a]) {
                    return null;
                }
            }
        }
        return out;
    }

    /** Entries of a tensor of {@code shape}, as a long (a broadcast can overflow an int). */
    static long entries(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** True when no operand needs stretching: all of one shape, or scalars beside one shape. */
    static boolean plain(Tensor... in) {
        int[] shape = null;
        for (Tensor t : in) {
            if (t.rank() == 0) {
                continue;
            }
            if (shape == null) {
                shape = t.shape();
            } else if (!Arrays.equals(shape, t.shape())) {
                return false;
            }
        }
        return true;
    }

    /**
     * For each entry of a tensor of shape {@code out} (row-major), the flat index of the entry of an operand of
     * shape {@code from} that is stretched onto it.
     */
    static int[] map(int[] from, int[] out) {
        int size = (int) entries(out);
        int[] map = new int[size];
        int offset = out.length - from.length;
        int[] strides = new int[out.length]; // the operand's stride along each axis of out, 0 where it stretches
        int stride = 1;
        for (int a = from.length - 1; a >= 0; a--) {
            strides[offset + a] = from[a] == 1 ? 0 : stride;
            stride *= from[a];
        }
        int[] index = new int[out.length];
        int at = 0;
        for (int i = 0; i < size; i++) {
            map[i] = at;
            for (int a = out.length - 1; a >= 0; a--) { // the next row-major index, the operand's position with it
                index[a]++;
                at += strides[a];
                if (index[a] < out[a]) {
                    break;
                }
                at -= strides[a] * out[a];
                index[a] = 0;
            }
        }
        return map;
    }

    /** The upstream (out's shape) summed back into an operand of shape {@code from} along {@code map}. */
    static Tensor sumBack(double[] upstream, int[] map, int[] from) {
        double[] g = new double[(int) entries(from)];
        for (int i = 0; i < map.length; i++) {
            g[map[i]] += upstream[i];
        }
        return Tensor.of(from, g);
    }

    /** The axes of {@code out} along which an operand of shape {@code from} was stretched. */
    static List<Integer> stretched(int[] from, int[] out) {
        List<Integer> axes = new ArrayList<>();
        int offset = out.length - from.length;
        for (int a = 0; a < out.length; a++) {
            if (out[a] != 1 && (a < offset || from[a - offset] == 1)) {
                axes.add(a);
            }
        }
        return axes;
    }

    /**
     * How an operand's gradient comes back when it was stretched: {@code summed over axis 0: b was broadcast to
     * 4×3}; null when it was not (same shape, or a scalar, whose sum reads as today).
     */
    static Formula.Words note(String label, Tensor operand, int[] out) {
        if (operand.rank() == 0 || Arrays.equals(operand.shape(), out)) {
            return null;
        }
        List<Integer> axes = stretched(operand.shape(), out);
        if (axes.isEmpty()) {
            return new Formula.Words("reshaped back: " + label + " was broadcast to " + Shapes.text(out));
        }
        String which = axes.size() == 1 ? "axis " + axes.get(0)
                : "axes " + String.join(", ", axes.subList(0, axes.size() - 1).stream().map(String::valueOf).toList())
                        + " and " + axes.get(axes.size() - 1);
        return new Formula.Words("summed over " + which + ": " + label + " was broadcast to " + Shapes.text(out));
    }

    /** Why the operands do not broadcast: {@code X is 4×3 but b is 2: + needs shapes that broadcast}. */
    static String error(String what, Tensor[] in, String[] labels) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < in.length; k++) {
            s.append(k == 0 ? "" : k == in.length - 1 ? (in.length > 2 ? ", and " : " but ") : ", ")
                    .append(labels[k]).append(" is ").append(Shapes.text(in[k].shape()));
        }
        return s + ": " + what + " needs shapes that broadcast (aligned at the last axis, each axis equal or 1 on"
                + " one side)";
    }

    /** The size limit for a value of {@code shape}, or null when it fits. */
    static String tooLarge(String what, int[] shape) {
        long n = entries(shape);
        return n <= MAX_ENTRIES ? null : what + " would be " + Shapes.text(shape) + ", " + n + " entries; a value holds at most "
                + MAX_ENTRIES;
    }
}
