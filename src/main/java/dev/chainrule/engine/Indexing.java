package dev.chainrule.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Taking entries: NumPy's indexing {@code X[i]}, {@code X[:, j]}, {@code X[a:b]}, {@code L[idx]} (a gather, any
 * rank of index) and {@code pick(S, y)} ({@code S[range(N), y]}). Every output entry is one entry of the operand,
 * so the gradient scatters the upstream back into zeros of the operand's shape, adding where an index repeats.
 */
public final class Indexing {

    private Indexing() {
    }

    /** One place of a subscript, as written. */
    public sealed interface Item permits At, Slice, Index {
    }

    /** An integer constant: {@code X[1]}, {@code X[-1]}. */
    public record At(int index) implements Item {
    }

    /** {@code a:b}, either bound left out ({@code :} is both); no step. */
    public record Slice(Integer from, Integer to) implements Item {
    }

    /** An index input, the subscript's next operand: a scalar (one position) or a tensor of positions (a gather). */
    public record Index() implements Item {
    }

    /** How many index inputs a subscript reads. */
    static int indexes(List<Item> items) {
        int n = 0;
        for (Item i : items) {
            n += i instanceof Index ? 1 : 0;
        }
        return n;
    }

    /** Why the entries of an index tensor cannot index an axis of {@code size}, or null: integers within range. */
    static String badIndex(String label, Tensor index, int size, String what) {
        for (int e = 0; e < index.size(); e++) {
            double v = index.get(e);
            String at = label + index.index(e);
            if (v != Math.rint(v) || Double.isInfinite(v)) {
                return at + " = " + Shapes.number(v) + " is not an integer: an index is a whole number";
            }
            if (v < -size || v >= size) {
                return at + " = " + Shapes.number(v) + " is out of range for " + what + " (" + -size + " to " + (size - 1) + ")";
            }
        }
        return null;
    }

    /** An index's value as a position along an axis of {@code size} (negative counts from the end). */
    static int position(double v, int size) {
        int i = (int) v;
        return i < 0 ? i + size : i;
    }

    /** The one op of a subscript: the operand, then one index input per {@link Index} item. */
    record Subscript(List<Item> items) implements Op {

        Subscript {
            items = List.copyOf(items);
        }

        @Override public String opName() { return "index"; }
        @Override public int arity() { return 1 + indexes(items); }
        @Override public boolean isIndex(int k) { return k > 0; }

        /**
         * The output's shape, and for each output entry the operand's entry it is and the entry of the index tensor
         * that chose it (−1 without one); {@code slot} is that index tensor's operand, −1 without one.
         */
        private record Plan(int[] shape, int[] source, int[] position, int slot) {
        }

        @Override
        public String shapeError(Tensor[] in, String[] labels) {
            Tensor x = in[0];
            if (items.size() > x.rank()) {
                return labels[0] + " is " + (x.rank() == 0 ? "a scalar" : x.shapeText()) + " but the subscript indexes "
                        + items.size() + (items.size() == 1 ? " axis" : " axes");
            }
            int k = 1;
            int tensors = 0;
            for (int a = 0; a < items.size(); a++) {
                Item item = items.get(a);
                int size = x.dim(a);
                String what = axisName(labels[0], x, a);
                if (item instanceof At at) {
                    if (at.index() < -size || at.index() >= size) {
                        return "index " + at.index() + " is out of range for " + what + " (" + -size + " to " + (size - 1) + ")";
                    }
                } else if (item instanceof Index) {
                    Tensor index = in[k];
                    String bad = badIndex(labels[k], index, size, what);
                    if (bad != null) {
                        return bad;
                    }
                    tensors += index.rank() > 0 ? 1 : 0;
                    k++;
                }
            }
            if (tensors > 1) {
                return "at most one index input in a subscript may hold more than one position";
            }
            return Broadcast.tooLarge(labels[0] + "[…]", plan(in, false).shape());
        }

        /** {@code the 4 rows of X}, {@code the 3 columns of X}, {@code axis 2 of X (5 entries)}. */
        private static String axisName(String label, Tensor x, int a) {
            if (x.rank() <= 2) {
                return (a == 0 && x.rank() == 2 ? label + "'s " + x.dim(0) + " rows" : a == 1 ? label + "'s " + x.dim(1) + " columns"
                        : label + "'s " + x.dim(0) + " entries");
            }
            return "axis " + a + " of " + label + " (" + x.dim(a) + " entries)";
        }

        /**
         * NumPy's rule: slices keep their axis; an integer drops it; with one index tensor, its shape takes the place
         * of the indexed axes when they are adjacent, and comes first when a slice separates them.
         */
        private Plan plan(Tensor[] in, boolean sources) {
            Tensor x = in[0];
            int rank = x.rank();
            int[] dims = x.shape();
            int[] from = new int[rank];      // per axis of x: a slice's start, an integer's position
            int[] length = new int[rank];    // per axis: a slice's length, −1 for an integer, −2 for the index tensor
            Tensor gather = null;
            int slot = -1;
            int k = 1;
            List<Integer> advanced = new ArrayList<>();
            for (int a = 0; a < rank; a++) {
                Item item = a < items.size() ? items.get(a) : new Slice(null, null);
                if (item instanceof At at) {
                    from[a] = position(at.index(), dims[a]);
                    length[a] = -1;
                    advanced.add(a);
                } else if (item instanceof Index) {
                    Tensor index = in[k++];
                    if (index.rank() == 0) {
                        from[a] = position(index.item(), dims[a]);
                        length[a] = -1;
                    } else {
                        gather = index;
                        slot = k - 1;
                        length[a] = -2;
                    }
                    advanced.add(a);
                } else {
                    Slice s = (Slice) item;
                    int start = bound(s.from(), dims[a], 0);
                    int stop = bound(s.to(), dims[a], dims[a]);
                    from[a] = start;
                    length[a] = Math.max(0, stop - start);
                }
            }
            List<Integer> shape = new ArrayList<>();
            boolean adjacent = gather == null || advanced.get(advanced.size() - 1) - advanced.get(0) + 1 == advanced.size();
            int gatherAt = -1;
            if (gather != null && !adjacent) {
                gatherAt = 0;
                for (int d : gather.shape()) {
                    shape.add(d);
                }
            }
            for (int a = 0; a < rank; a++) {
                if (length[a] >= 0) {
                    shape.add(length[a]);
                } else if (length[a] == -2 && adjacent) {
                    gatherAt = shape.size();
                    for (int d : gather.shape()) {
                        shape.add(d);
                    }
                }
            }
            int[] out = shape.stream().mapToInt(Integer::intValue).toArray();
            if (!sources) {
                return new Plan(out, null, null, slot);
            }
            int size = Shapes.product(out, 0, out.length);
            int[] source = new int[size];
            int[] position = new int[size];
            int[] index = new int[out.length];
            int gatherRank = gather == null ? 0 : gather.rank();
            for (int i = 0; i < size; i++) {
                // the output's multi-index: the gather's own axes sit at gatherAt, the slices' axes in order around them
                int flat = 0;
                int g = 0;
                if (gather != null) {
                    for (int d = 0; d < gatherRank; d++) {
                        g = g * gather.dim(d) + index[gatherAt + d];
                    }
                }
                int o = 0;
                for (int a = 0; a < rank; a++) {
                    if (o == gatherAt) {
                        o += gatherRank;
                    }
                    int pos;
                    if (length[a] >= 0) {
                        pos = from[a] + index[o++];
                    } else if (length[a] == -1) {
                        pos = from[a];
                    } else {
                        pos = position(gather.get(g), dims[a]);
                    }
                    flat = flat * dims[a] + pos;
                }
                source[i] = flat;
                position[i] = gather == null ? -1 : g;
                for (int d = out.length - 1; d >= 0; d--) {
                    if (++index[d] < out[d]) {
                        break;
                    }
                    index[d] = 0;
                }
            }
            return new Plan(out, source, position, slot);
        }

        /** A slice bound: absent is {@code fallback}, negative counts from the end, clipped to the axis (NumPy). */
        private static int bound(Integer b, int size, int fallback) {
            if (b == null) {
                return fallback;
            }
            int v = b < 0 ? b + size : b;
            return Math.max(0, Math.min(size, v));
        }

        // y = the entries of x the subscript names, each once per time it is named
        @Override
        public Tensor forward(Tensor[] in) {
            Plan p = plan(in, true);
            double[] y = new double[p.source().length];
            for (int i = 0; i < y.length; i++) {
                y[i] = in[0].get(p.source()[i]);
            }
            return Tensor.of(p.shape(), y);
        }

        // ∂f/∂x: the upstream scattered into zeros of x's shape, added where an entry is taken twice
        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            int[] source = plan(in, true).source();
            double[] g = new double[in[0].size()];
            for (int i = 0; i < source.length; i++) {
                g[source[i]] += upstream.get(i);
            }
            return Tensor.of(in[0].shape(), g);
        }

        @Override
        public Tensor jacobian(int k, Tensor[] in, Tensor out) {
            return Shaping.placement(plan(in, true).source(), in[0].size());
        }

        @Override
        public Taken taken(int k, Tensor[] in) {
            Plan p = plan(in, true);
            return k == 0 ? new Taken(p.source(), p.position(), p.slot()) : null;
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            Tensor x = values[0];
            String name = in.get(0).text();
            if (items.size() == 1 && items.get(0) instanceof Index && values[1].rank() > 0 && x.rank() >= 1) {
                return new Formula.Words("scatter-add into " + (x.rank() == 2 ? "rows " : x.rank() == 1 ? "entries " : "slices ")
                        + positions(values[1], x.dim(0)) + " of " + name);
            }
            if (items.size() == 2 && items.get(0) instanceof Slice s && s.from() == null && s.to() == null
                    && items.get(1) instanceof Index && values[1].rank() > 0 && x.rank() == 2) {
                return new Formula.Words("scatter-add into columns " + positions(values[1], x.dim(1)) + " of " + name);
            }
            return new Formula.Words("1 where " + out.text() + " takes its entry from " + apply(in).text() + ", 0 elsewhere");
        }

        /** {@code 2, 5, 2}: an index's positions, the first dozen. */
        private static String positions(Tensor index, int size) {
            List<String> out = new ArrayList<>();
            for (int e = 0; e < Math.min(12, index.size()); e++) {
                out.add(String.valueOf(position(index.get(e), size)));
            }
            return String.join(", ", out) + (index.size() > 12 ? ", … (" + index.size() + " in all)" : "");
        }

        @Override
        public Formula apply(List<Formula> in) {
            StringBuilder s = new StringBuilder();
            int k = 1;
            for (Item item : items) {
                s.append(s.length() == 0 ? "" : ", ");
                if (item instanceof At at) {
                    s.append(at.index());
                } else if (item instanceof Index) {
                    s.append(in.get(k++).text());
                } else {
                    Slice sl = (Slice) item;
                    s.append(sl.from() == null ? "" : sl.from()).append(':').append(sl.to() == null ? "" : sl.to());
                }
            }
            return new Formula.Tex(Formula.group(in.get(0)).text() + "[" + s + "]",
                    Formula.group(in.get(0)).latex() + "\\left[" + s.toString().replace("−", "-") + "\\right]");
        }

        @Override
        public long work(Tensor[] in) {
            return 2L * in[0].size() + 4 * Broadcast.entries(plan(in, false).shape()) + 2;
        }
    }

    /**
     * {@code pick(S, y)}: each row's entry at its label, {@code S[range(N), y]} ({@code S} a vector and {@code y} a
     * scalar: {@code S[y]}).
     */
    enum Pick implements Op {
        INSTANCE;

        @Override public String opName() { return "pick"; }
        @Override public int arity() { return 2; }
        @Override public boolean isIndex(int k) { return k == 1; }

        @Override
        public String shapeError(Tensor[] in, String[] labels) {
            Tensor s = in[0];
            Tensor y = in[1];
            boolean rows = s.rank() == 2 && y.rank() == 1 && y.dim(0) == s.dim(0);
            boolean one = s.rank() == 1 && y.rank() == 0;
            if (!rows && !one) {
                return Ops.is(labels[0], s) + " but " + Ops.is(labels[1], y)
                        + ": pick takes a matrix and one label per row, or a vector and one label";
            }
            return badIndex(labels[1], y, s.dim(s.rank() - 1), s.rank() == 2 ? labels[0] + "'s " + s.dim(1) + " columns"
                    : labels[0] + "'s " + s.dim(0) + " entries");
        }

        /** The entry of S picked by row r. */
        private static int source(Tensor s, Tensor y, int r) {
            int c = s.dim(s.rank() - 1);
            return (s.rank() == 2 ? r * c : 0) + position(y.get(r), c);
        }

        // pᵢ = S[i, yᵢ]; ∂f/∂S = the upstream at (i, yᵢ), 0 elsewhere
        @Override
        public Tensor forward(Tensor[] in) {
            double[] p = new double[in[1].size()];
            for (int r = 0; r < p.length; r++) {
                p[r] = in[0].get(source(in[0], in[1], r));
            }
            return Tensor.of(in[1].shape(), p);
        }

        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            double[] g = new double[in[0].size()];
            for (int r = 0; r < in[1].size(); r++) {
                g[source(in[0], in[1], r)] += upstream.get(r);
            }
            return Tensor.of(in[0].shape(), g);
        }

        @Override
        public Tensor jacobian(int k, Tensor[] in, Tensor out) {
            int[] source = new int[in[1].size()];
            Arrays.setAll(source, r -> source(in[0], in[1], r));
            return Shaping.placement(source, in[0].size());
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            return new Formula.Words("1 at each row's label " + in.get(1).text() + " in " + in.get(0).text() + ", 0 elsewhere");
        }

        @Override
        public Formula apply(List<Formula> in) {
            return Formula.call("pick", in.get(0), in.get(1));
        }
    }
}
