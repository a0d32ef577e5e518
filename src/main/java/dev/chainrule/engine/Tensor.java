package dev.chainrule.engine;

import java.util.Arrays;

/**
 * An immutable dense array of doubles with a shape: {@code []} is a scalar, {@code [n]} a vector (a column in
 * the lecture's notation), {@code [m, n]} a matrix of m rows, and a leading dimension adds one entry per example
 * (or per contribution, in a step). Row-major, like the JSON it is written as.
 */
public final class Tensor {

    private final int[] shape;
    private final double[] data;
    /** A matrix's rows as the kernels read them, when the tensor was made from them (never changed). */
    private final double[][] rows;

    private Tensor(int[] shape, double[] data) {
        this(shape, data, null);
    }

    private Tensor(int[] shape, double[] data, double[][] rows) {
        this.shape = shape;
        this.data = data;
        this.rows = rows;
    }

    /** Takes ownership of {@code data}: callers must not change it afterwards. */
    public static Tensor of(int[] shape, double[] data) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size + " entries, not " + data.length);
        }
        return new Tensor(shape.clone(), data);
    }

    public static Tensor scalar(double value) {
        return new Tensor(new int[0], new double[] {value});
    }

    public static Tensor vector(double[] values) {
        return new Tensor(new int[] {values.length}, values.clone());
    }

    public static Tensor matrix(double[][] rows) {
        int m = rows.length;
        int n = m == 0 ? 0 : rows[0].length;
        double[] data = new double[m * n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(rows[i], 0, data, i * n, n);
        }
        return new Tensor(new int[] {m, n}, data);
    }

    /**
     * A matrix of these rows that keeps them as {@link #rows()} for the kernels: takes ownership of {@code rows}
     * (a layer's W read from the request), which callers must not change afterwards.
     */
    public static Tensor ofRows(double[][] rows) {
        Tensor t = matrix(rows);
        return new Tensor(t.shape, t.data, rows);
    }

    /** A matrix's rows: those it was made from ({@link #ofRows}), else a copy of each. */
    public double[][] rows() {
        return rows != null ? rows : Kernels.rows(data, shape[0], shape[1]);
    }

    /** A 1×n row: a vector in Jacobian form. */
    public static Tensor row(double[] values) {
        return new Tensor(new int[] {1, values.length}, values.clone());
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return data.length;
    }

    public double get(int flatIndex) {
        return data[flatIndex];
    }

    /** The single value of a scalar (or of any one-entry tensor). */
    public double item() {
        if (data.length != 1) {
            throw new IllegalStateException("not a single value: shape " + Arrays.toString(shape));
        }
        return data[0];
    }

    /** The row-major entries themselves, for the engine's kernels: callers must not change them. */
    public double[] data() {
        return data;
    }

    /** A copy of the row-major entries. */
    public double[] toArray() {
        return data.clone();
    }

    /** The same entries under another shape of the same size. */
    public Tensor reshape(int... newShape) {
        return of(newShape, data);
    }

    /** The sub-tensor at {@code index} of the leading dimension (an example of a batch). */
    public Tensor slice(int index) {
        int[] inner = Arrays.copyOfRange(shape, 1, shape.length);
        int stride = data.length / shape[0];
        return new Tensor(inner, Arrays.copyOfRange(data, index * stride, (index + 1) * stride));
    }

    /** Stacks equally shaped tensors along a new leading dimension. */
    public static Tensor stack(java.util.List<Tensor> parts) {
        int[] inner = parts.get(0).shape;
        int stride = parts.get(0).data.length;
        double[] data = new double[stride * parts.size()];
        for (int k = 0; k < parts.size(); k++) {
            Tensor part = parts.get(k);
            if (!Arrays.equals(part.shape, inner)) {
                throw new IllegalArgumentException("cannot stack shapes " + Arrays.toString(inner) + " and " + Arrays.toString(part.shape));
            }
            System.arraycopy(part.data, 0, data, k * stride, stride);
        }
        int[] shape = new int[inner.length + 1];
        shape[0] = parts.size();
        System.arraycopy(inner, 0, shape, 1, inner.length);
        return new Tensor(shape, data);
    }

    /** Where flat entry {@code flat} sits, as {@code [1][2]} (empty for a scalar). */
    public String index(int flat) {
        int[] index = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            index[a] = flat % shape[a];
            flat /= shape[a];
        }
        StringBuilder s = new StringBuilder();
        for (int i : index) {
            s.append('[').append(i).append(']');
        }
        return s.toString();
    }

    /** The first entry that is NaN or infinite, or -1 when all are finite. */
    public int firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Applies {@code f} to every entry. */
    public Tensor map(java.util.function.DoubleUnaryOperator f) {
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(data[i]);
        }
        return new Tensor(shape, out);
    }

    /**
     * The axes along which a tensor of shape {@code from} is stretched to this tensor's shape by NumPy's
     * broadcasting (every axis for a scalar), or null when {@code from} does not broadcast to it.
     */
    public java.util.List<Integer> stretchedFrom(int[] from) {
        if (from.length > shape.length || !Arrays.equals(Broadcast.shape(from, shape), shape)) {
            return null;
        }
        return Broadcast.stretched(from, shape);
    }

    /**
     * This tensor summed back over the axes along which a tensor of shape {@code from} was stretched to it (the
     * gradient of a broadcast operand from the upstream); null when {@code from} does not broadcast to this shape.
     */
    public Tensor sumBackTo(int[] from) {
        return stretchedFrom(from) == null ? null : Broadcast.sumBack(data, Broadcast.map(from, shape), from);
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /** Shape as people write it: {@code 3×5}, {@code 3}, or {@code scalar}. */
    public String shapeText() {
        return Shapes.text(shape);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + Arrays.toString(data);
    }
}
