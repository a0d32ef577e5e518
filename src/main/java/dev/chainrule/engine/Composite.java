package dev.chainrule.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A small graph of engine ops presented as one op, applied to each example on its own (layer normalisation of a
 * row, a loss on one example's output). Its forward runs its parts in order; its backward walks them back, each
 * part by its own backward rule, summing where a value is used twice (as {@link Backprop} does for a whole graph);
 * its explicit Jacobian is built from that backward ({@link Op#jacobian}'s default); its formula is its parts'
 * formulas composed; its kinks are its parts' kinks. No maths is written here: a composite is only wiring.
 *
 * <p>Operands are either one row per example (with {@code batched}, a leading dimension of examples) or shared by
 * every example (a layer's γ), whose gradient then sums the examples' shares in their order.
 */
public final class Composite implements Op {

    /** A part: {@code op} applied to earlier values; {@code name}, when given, names its value in a kink. */
    private record Part(Op op, int[] args, String name) {
    }

    private final String name;
    private final boolean[] perExample;
    private final List<Tensor> constants;
    private final List<Part> parts;
    private final int output;
    private final boolean batched;

    private Composite(String name, boolean[] perExample, List<Tensor> constants, List<Part> parts, int output, boolean batched) {
        this.name = name;
        this.perExample = perExample;
        this.constants = List.copyOf(constants);
        this.parts = List.copyOf(parts);
        this.output = output;
        this.batched = batched;
    }

    /**
     * Writes a composite down: its operands, then constants and parts in evaluation order, each a reference to use
     * as a later part's argument. References count operands first, then constants and parts as they are added.
     */
    public static final class Recipe {
        private final String name;
        private final List<Boolean> operands = new ArrayList<>();
        private final List<Object> later = new ArrayList<>(); // a Tensor (constant) or a Part, in order

        public Recipe(String name) {
            this.name = name;
        }

        /** The next operand; {@code perExample} when it holds a row per example, false when every example shares it. */
        public int operand(boolean perExample) {
            if (!later.isEmpty()) {
                throw new IllegalStateException("operands come before constants and parts");
            }
            operands.add(perExample);
            return operands.size() - 1;
        }

        public int constant(Tensor value) {
            later.add(value);
            return operands.size() + later.size() - 1;
        }

        public int constant(double value) {
            return constant(Tensor.scalar(value));
        }

        public int apply(Op op, int... args) {
            return apply(null, op, args);
        }

        /** A part whose value is named (for its kinks): {@code y_j − y_y + margin}. */
        public int apply(String partName, Op op, int... args) {
            later.add(new Part(op, args.clone(), partName));
            return operands.size() + later.size() - 1;
        }

        /** The composite whose value is {@code output}; {@code batched} when per-example operands hold a row per example. */
        public Composite build(int output, boolean batched) {
            boolean[] per = new boolean[operands.size()];
            for (int i = 0; i < per.length; i++) {
                per[i] = operands.get(i);
            }
            List<Tensor> consts = new ArrayList<>();
            List<Part> ps = new ArrayList<>();
            int[] slot = new int[later.size()];
            for (int i = 0; i < later.size(); i++) {
                slot[i] = later.get(i) instanceof Tensor ? consts.size() : ps.size();
                if (later.get(i) instanceof Tensor t) {
                    consts.add(t);
                } else {
                    ps.add((Part) later.get(i));
                }
            }
            // values are numbered operands, constants, then parts: renumber the references to that order
            int n = per.length;
            int c = consts.size();
            List<Part> renumbered = new ArrayList<>();
            for (Part p : ps) {
                int[] args = new int[p.args().length];
                for (int j = 0; j < args.length; j++) {
                    args[j] = renumber(p.args()[j], n, c, slot);
                }
                renumbered.add(new Part(p.op(), args, p.name()));
            }
            return new Composite(name, per, consts, renumbered, renumber(output, n, c, slot), batched);
        }

        private int renumber(int ref, int n, int c, int[] slot) {
            if (ref < n) {
                return ref;
            }
            int i = ref - n;
            return later.get(i) instanceof Tensor ? n + slot[i] : n + c + slot[i];
        }
    }

    @Override public String opName() { return name; }
    @Override public int arity() { return perExample.length; }
    @Override public String shapeError(Tensor[] in, String[] labels) { return null; }

    /**
     * The examples of a batch: the rows of the per-example operands. One example's own row (a vector: what a step
     * asks the explicit Jacobian of) is one example, whatever {@code batched} says.
     */
    private int examples(Tensor[] in) {
        for (int k = 0; k < in.length; k++) {
            if (batched && perExample[k]) {
                return in[k].rank() >= 2 ? in[k].dim(0) : 0;
            }
        }
        return 0;
    }

    /** Example e's operands: its row of each per-example operand, the shared ones as they are. */
    private Tensor[] example(Tensor[] in, int e) {
        Tensor[] one = new Tensor[in.length];
        for (int k = 0; k < in.length; k++) {
            one[k] = perExample[k] ? in[k].slice(e) : in[k];
        }
        return one;
    }

    /** Every value of one example: operands, constants, parts. */
    private Tensor[] values(Tensor[] in) {
        Tensor[] v = new Tensor[in.length + constants.size() + parts.size()];
        System.arraycopy(in, 0, v, 0, in.length);
        for (int i = 0; i < constants.size(); i++) {
            v[in.length + i] = constants.get(i);
        }
        int first = in.length + constants.size();
        for (int p = 0; p < parts.size(); p++) {
            v[first + p] = parts.get(p).op().forward(arguments(v, parts.get(p)));
        }
        return v;
    }

    private static Tensor[] arguments(Tensor[] values, Part part) {
        Tensor[] args = new Tensor[part.args().length];
        for (int j = 0; j < args.length; j++) {
            args[j] = values[part.args()[j]];
        }
        return args;
    }

    @Override
    public Tensor forward(Tensor[] in) {
        int examples = examples(in);
        if (examples == 0) {
            return values(in)[output];
        }
        List<Tensor> rows = new ArrayList<>(examples);
        for (int e = 0; e < examples; e++) {
            rows.add(values(example(in, e))[output]);
        }
        return Tensor.stack(rows);
    }

    /** ∂f/∂(every value) of one example, walking the parts back from the output seeded with {@code upstream}. */
    private Tensor[] gradients(Tensor[] values, int operands, Tensor upstream) {
        Tensor[] grads = new Tensor[values.length];
        grads[output] = upstream;
        int first = operands + constants.size();
        for (int p = parts.size() - 1; p >= 0; p--) {
            int at = first + p;
            if (grads[at] == null) {
                continue;
            }
            Part part = parts.get(p);
            Tensor[] args = arguments(values, part);
            for (int j = 0; j < args.length; j++) {
                int to = part.args()[j];
                if (to >= operands && to < first) {
                    continue; // constants get no gradient
                }
                Tensor share = part.op().backward(j, args, values[at], grads[at]);
                grads[to] = grads[to] == null ? share : Backprop.plus(grads[to], share);
            }
        }
        return grads;
    }

    @Override
    public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
        int examples = examples(in);
        if (examples == 0) {
            Tensor g = gradients(values(in), in.length, upstream)[k];
            return g != null ? g : in[k].map(v -> 0.0);
        }
        List<Tensor> rows = new ArrayList<>(examples);
        Tensor shared = null;
        for (int e = 0; e < examples; e++) {
            Tensor[] one = example(in, e);
            Tensor g = gradients(values(one), in.length, upstream.slice(e))[k];
            g = g != null ? g : one[k].map(v -> 0.0);
            if (perExample[k]) {
                rows.add(g);
            } else {
                shared = shared == null ? g : Backprop.plus(shared, g);
            }
        }
        return perExample[k] ? Tensor.stack(rows) : shared;
    }

    /** Its parts' kinks, example by example: on an operand's entry, or on a named part's value. */
    @Override
    public List<Kink> kinks(Tensor[] in, Tensor out, double tolerance) {
        List<Kink> found = new ArrayList<>();
        int examples = examples(in);
        int first = in.length + constants.size();
        for (int e = 0; e < Math.max(1, examples); e++) {
            Tensor[] one = examples == 0 ? in : example(in, e);
            Tensor[] v = values(one);
            for (int p = 0; p < parts.size(); p++) {
                Part part = parts.get(p);
                for (Kink kink : part.op().kinks(arguments(v, part), v[first + p], tolerance)) {
                    int ref = part.args()[kink.operand()];
                    if (ref < in.length) {
                        int width = one[ref].size();
                        found.add(new Kink(ref, (examples > 0 && perExample[ref] ? e * width : 0) + kink.entry(), kink.at(), null, kink.label()));
                    } else {
                        Part named = ref >= first ? parts.get(ref - first) : null;
                        int width = v[ref].size();
                        found.add(new Kink(-1, e * width + kink.entry(), kink.at(), named == null ? null : named.name(), kink.label()));
                    }
                }
            }
        }
        return found;
    }

    /** ∂out/∂in_k: the explicit matrix, built from the parts' backward rules, is what stands for it. */
    @Override
    public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
        return new Formula.Partial(out.text(), in.get(k).text());
    }

    /**
     * The parts' formulas composed, with the operands' formulas where the composite reads them; a part's formula is
     * put in parentheses where the operator that reads it binds tighter ({@code (a − b) / c}, not {@code a − b / c}).
     */
    @Override
    public Formula apply(List<Formula> in) {
        List<Formula> f = new ArrayList<>(in);
        for (Tensor c : constants) {
            f.add(c.rank() == 0 ? Formula.num(c.item()) : Formula.sym("c"));
        }
        for (Part part : parts) {
            List<Formula> args = new ArrayList<>();
            for (int a : part.args()) {
                args.add(f.get(a));
            }
            Formula plain = part.op().apply(args);
            if (plain instanceof Formula.Infix infix) {
                for (int j = 0; j < args.size(); j++) {
                    if (args.get(j) instanceof Formula.Infix inner && looser(inner.op(), infix.op(), j == 1)) {
                        args.set(j, new Formula.Group(inner));
                    }
                }
                plain = part.op().apply(args);
            }
            f.add(plain);
        }
        return f.get(output);
    }

    /** True when {@code inner} must be grouped as the left (or right) operand of {@code outer}. */
    private static boolean looser(String inner, String outer, boolean right) {
        int i = precedence(inner);
        int o = precedence(outer);
        return i < o || (right && i == o && (outer.equals("-") || outer.equals("−") || outer.equals("/")));
    }

    private static int precedence(String op) {
        return switch (op) {
            case "+", "-", "−" -> 1;
            case "*", "/", "·", "⊙", "@", "" -> 2;
            default -> 0;
        };
    }

    @Override
    public long work(Tensor[] in) {
        long entries = 0;
        for (Tensor t : in) {
            entries += t.size();
        }
        return Math.max(1, 2L * entries * Math.max(1, parts.size()));
    }
}
