package dev.chainrule.engine;

/** Shapes as people write them, and axes as NumPy counts them. */
final class Shapes {

    private Shapes() {
    }

    /** {@code 4×3}, {@code 5}, or {@code scalar}. */
    static String text(int[] shape) {
        if (shape.length == 0) {
            return "scalar";
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : "×").append(shape[i]);
        }
        return s.toString();
    }

    /** {@code X, a 4×3 matrix}: how an operand is named in a message. */
    static String of(String label, Tensor t) {
        return label + " (" + (t.rank() == 0 ? "a scalar" : t.shapeText()) + ")";
    }

    /**
     * Axis {@code axis} of a tensor of rank {@code rank}, negative counting from the end, or null when it is out of
     * range.
     */
    static Integer axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        return a >= 0 && a < rank ? a : null;
    }

    /** Why {@code axis} does not fit: {@code axis 2 is out of range for X, which is 4×3 (axes 0 to 1, or −2 to −1)}. */
    static String badAxis(int axis, String label, Tensor t) {
        if (t.rank() == 0) {
            return "axis " + axis + " is out of range for " + label + ", a scalar, which has no axes";
        }
        return "axis " + axis + " is out of range for " + label + ", which is " + t.shapeText() + " (axes 0 to "
                + (t.rank() - 1) + ", or −" + t.rank() + " to −1)";
    }

    /** The product of dims {@code from} (inclusive) to {@code to} (exclusive). */
    static int product(int[] shape, int from, int to) {
        int n = 1;
        for (int a = from; a < to; a++) {
            n *= shape[a];
        }
        return n;
    }

    /** {@code shape} without axis {@code axis}, or with it set to 1 when {@code keep}. */
    static int[] without(int[] shape, int axis, boolean keep) {
        if (keep) {
            int[] out = shape.clone();
            out[axis] = 1;
            return out;
        }
        int[] out = new int[shape.length - 1];
        for (int a = 0, j = 0; a < shape.length; a++) {
            if (a != axis) {
                out[j++] = shape[a];
            }
        }
        return out;
    }

    /** A number in a message: {@code 3}, {@code 2.5}, {@code -Infinity}. */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * A tensor read as lanes along one axis: for each of the {@code outer} positions before it and the {@code inner}
     * after it, the {@code n} entries along it, {@code inner} apart.
     */
    record Lanes(int outer, int n, int inner) {

        /** The lanes of a tensor of {@code shape} along axis {@code axis} (already in range). */
        static Lanes along(int[] shape, int axis) {
            return new Lanes(product(shape, 0, axis), shape[axis], product(shape, axis + 1, shape.length));
        }

        /** Entry {@code j} of the lane at outer position {@code o}, inner position {@code i}. */
        int entry(int o, int j, int i) {
            return (o * n + j) * inner + i;
        }

        /** How many lanes. */
        int count() {
            return outer * inner;
        }
    }
}
