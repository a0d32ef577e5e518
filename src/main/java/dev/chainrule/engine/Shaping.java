package dev.chainrule.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that move entries without changing them: {@code concat} and {@code stack} (the upstream split back into the
 * pieces), {@code reshape} and {@code flatten} (the upstream reshaped back). Their local Jacobians are 0/1
 * placements.
 */
final class Shaping {

    private Shaping() {
    }

    /** The Jacobian of an op that copies operand entry {@code source[i]} to output entry i (−1: not from it). */
    static Tensor placement(int[] source, int cols) {
        double[] j = new double[source.length * cols];
        for (int i = 0; i < source.length; i++) {
            if (source[i] >= 0) {
                j[i * cols + source[i]] = 1.0;
            }
        }
        return Ops.jacobianShape(source.length, cols, j);
    }

    /** Positional arguments followed by keyword ones, as written: {@code concat(a, b, axis=1)}. */
    static Formula call(String function, List<Formula> args, String... keywords) {
        List<Formula> all = new ArrayList<>(args);
        for (String k : keywords) {
            all.add(new Formula.Words(k));
        }
        return new Formula.Call(function, all);
    }

    /**
     * {@code concat(a, b, …, axis)} ({@code torch.cat}) or {@code stack(a, b, …, axis)} ({@code torch.stack}):
     * pieces of one shape but along the axis (concat), or of one shape (stack, which adds the axis).
     *
     * @param parts operands
     */
    record Join(boolean stack, int parts, int axis) implements Op {

        @Override public String opName() { return stack ? "stack" : "concat"; }
        @Override public int arity() { return parts; }

        /** The axis in the result's rank. */
        private Integer resolved(Tensor first) {
            return Shapes.axis(axis, first.rank() + (stack ? 1 : 0));
        }

        @Override
        public String shapeError(Tensor[] in, String[] labels) {
            Tensor first = in[0];
            if (!stack && first.rank() == 0) {
                return Ops.is(labels[0], first) + ": concat joins vectors or tensors along an axis (stack joins scalars)";
            }
            Integer a = resolved(first);
            if (a == null) {
                return "axis " + axis + " is out of range for " + opName() + " of " + Shapes.of(labels[0], first) + " pieces";
            }
            for (int k = 1; k < in.length; k++) {
                int[] s = in[k].shape();
                boolean fits = stack ? Arrays.equals(s, first.shape()) : s.length == first.rank() && fitsBeside(first.shape(), s, a);
                if (!fits) {
                    return labels[0] + " is " + Shapes.text(first.shape()) + " but " + labels[k] + " is " + Shapes.text(s) + ": "
                            + (stack ? "stack needs pieces of one shape" : "concat along axis " + a + " needs the other axes equal");
                }
            }
            return null;
        }

        private static boolean fitsBeside(int[] a, int[] b, int axis) {
            for (int d = 0; d < a.length; d++) {
                if (d != axis && a[d] != b[d]) {
                    return false;
                }
            }
            return true;
        }

        /** Each operand's extent along the axis (1 for stack), and the block count before it and size after. */
        private int[] shape(Tensor[] in) {
            int a = resolved(in[0]);
            int[] piece = in[0].shape();
            if (stack) {
                int[] out = new int[piece.length + 1];
                for (int d = 0, j = 0; d < out.length; d++) {
                    out[d] = d == a ? in.length : piece[j++];
                }
                return out;
            }
            int[] out = piece.clone();
            out[a] = 0;
            for (Tensor t : in) {
                out[a] += t.dim(a);
            }
            return out;
        }

        // y = [a; b; …] along the axis: each block of the output is one operand's block, in order
        @Override
        public Tensor forward(Tensor[] in) {
            int[] shape = shape(in);
            int a = resolved(in[0]);
            int outer = Shapes.product(shape, 0, a);
            double[] y = new double[Shapes.product(shape, 0, shape.length)];
            int at = 0;
            for (int o = 0; o < outer; o++) {
                for (Tensor t : in) {
                    int block = t.size() / outer;
                    System.arraycopy(t.data(), o * block, y, at, block);
                    at += block;
                }
            }
            return Tensor.of(shape, y);
        }

        /** For each output entry, its entry in operand k, or −1. */
        private int[] source(int k, Tensor[] in, int[] shape) {
            int a = resolved(in[0]);
            int outer = Shapes.product(shape, 0, a);
            int[] source = new int[Shapes.product(shape, 0, shape.length)];
            int at = 0;
            for (int o = 0; o < outer; o++) {
                for (int p = 0; p < in.length; p++) {
                    int block = in[p].size() / outer;
                    for (int e = 0; e < block; e++) {
                        source[at++] = p == k ? o * block + e : -1;
                    }
                }
            }
            return source;
        }

        // ∂f/∂(operand k) = its block of the upstream
        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            int[] source = source(k, in, out.shape());
            double[] g = new double[in[k].size()];
            for (int i = 0; i < source.length; i++) {
                if (source[i] >= 0) {
                    g[source[i]] = upstream.get(i);
                }
            }
            return Tensor.of(in[k].shape(), g);
        }

        @Override
        public Tensor jacobian(int k, Tensor[] in, Tensor out) {
            return placement(source(k, in, out.shape()), in[k].size());
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            int a = resolved(values[0]);
            int from = 0;
            for (int p = 0; p < k; p++) {
                from += stack ? 1 : values[p].dim(a);
            }
            int to = from + (stack ? 1 : values[k].dim(a));
            String where = stack ? "entry " + from + " along axis " + a : "entries " + from + " to " + (to - 1) + " along axis " + a;
            return new Formula.Words("1 where " + out.text() + " holds " + in.get(k).text() + " (" + where + "), 0 elsewhere");
        }

        @Override
        public Formula apply(List<Formula> in) {
            return axis == 0 ? new Formula.Call(opName(), in) : call(opName(), in, "axis=" + axis);
        }

        @Override
        public long work(Tensor[] in) {
            long n = 0;
            for (Tensor t : in) {
                n += t.size();
            }
            return 4 * n + 2;
        }
    }

    /**
     * {@code reshape(x, d1, d2, …)} ({@code torch.reshape}, row-major; one size may be −1, the rest inferred) and
     * {@code flatten(x)}. The sizes are constants: operands 1.. are the constant nodes they were written as, which
     * get no gradient.
     *
     * @param dims the sizes as written, or null for flatten
     */
    record Reshape(int[] dims) implements Op {

        @Override public String opName() { return dims == null ? "flatten" : "reshape"; }
        @Override public int arity() { return dims == null ? 1 : 1 + dims.length; }

        /** The shape asked for, with −1 inferred; null when it does not fit. */
        private int[] target(Tensor x) {
            if (dims == null) {
                return new int[] {x.size()};
            }
            int[] out = dims.clone();
            int free = -1;
            long known = 1;
            for (int d = 0; d < out.length; d++) {
                if (out[d] == -1) {
                    free = d;
                } else {
                    known *= out[d];
                }
            }
            if (free >= 0) {
                if (known == 0 || x.size() % known != 0) {
                    return null;
                }
                out[free] = (int) (x.size() / known);
            } else if (known != x.size()) {
                return null;
            }
            return out;
        }

        @Override
        public String shapeError(Tensor[] in, String[] labels) {
            if (target(in[0]) != null) {
                return null;
            }
            StringBuilder asked = new StringBuilder();
            for (int d = 0; d < dims.length; d++) {
                asked.append(d == 0 ? "" : "×").append(dims[d]);
            }
            return labels[0] + " is " + Shapes.text(in[0].shape()) + ", " + in[0].size() + " entries, which do not fit " + asked;
        }

        // y = x under another shape; ∂f/∂x = the upstream reshaped back
        @Override
        public Tensor forward(Tensor[] in) {
            return in[0].reshape(target(in[0]));
        }

        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            return upstream.reshape(in[0].shape());
        }

        @Override
        public Tensor jacobian(int k, Tensor[] in, Tensor out) {
            int[] source = new int[out.size()];
            Arrays.setAll(source, i -> i);
            return placement(source, in[0].size());
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            return values[0].rank() == 0 ? Formula.num(1) : new Formula.Aside(Formula.sym("I"), new Formula.Words("the same entries, row-major"));
        }

        @Override
        public Formula apply(List<Formula> in) {
            return new Formula.Call(opName(), in);
        }

        @Override
        public long work(Tensor[] in) {
            return 2L * in[0].size() + 2;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Reshape r && Arrays.equals(dims, r.dims);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(dims);
        }

        @Override
        public String toString() {
            return "Reshape" + Arrays.toString(dims);
        }
    }
}
