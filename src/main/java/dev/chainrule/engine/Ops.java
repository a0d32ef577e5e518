package dev.chainrule.engine;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations of a computational graph (CS224N lecture 3, CS231n's backprop notes) on scalars, vectors, matrices
 * and tensors of rank 3 and 4. Each states its forward value and its local derivative side by side, with the maths in
 * a comment. Gradients are in shape convention; "upstream" is ∂f/∂out in out's shape.
 *
 * <h2>The function table</h2>
 *
 * {@link #FUNCTIONS} maps each function's name to a {@link Function}: the keywords it takes and a {@link Factory}
 * that builds its {@link Op} from the call's constant arguments ({@link Call}), before any operand's value is known:
 *
 * <ul>
 *   <li>{@link Call#positional()} is the number of positional arguments, and {@link Call#constant(int)} the value of
 *       one that is a numeric constant (null for any other expression); {@link Call#integer}, {@link Call#number},
 *       {@link Call#flag} and {@link Call#has} read the keyword arguments ({@code axis=1}, {@code keepdims=true},
 *       {@code eps=1e-5}; each value a number or {@code true}/{@code false}).</li>
 *   <li>The op's {@link Op#arity()} must equal the number of positional arguments: each is an operand (a number
 *       written there is a constant node, which gets no gradient). A factory that takes an optional operand
 *       ({@code conv2d(x, w[, b])}) reads {@link Call#positional()}; one that takes any number ({@code concat}) builds
 *       its op with that many.</li>
 *   <li>An operand the op reads as integers (positions, class labels) is declared by {@link Op#isIndex(int)}: the
 *       input given there is an index input (integers, no gradient, not in {@code gradients}); its range is checked
 *       by the op's {@link Op#shapeError} against the other operands.</li>
 *   <li>A keyword the function does not declare is refused before the factory runs; a keyword of the wrong type or
 *       range is refused by the factory with {@link Call#bad}. Either is a {@link BadCall} whose message names the
 *       function and the keyword ({@code sum: axis must be a whole number, not 0.5}); the compiler answers it as a
 *       400 naming the statement and the column.</li>
 *   <li>Every op prices itself ({@link Op#work}) before it runs; the compiler refuses the graph once the total is
 *       over the work limit.</li>
 * </ul>
 *
 * A new function is one line in the table's {@code static} block:
 * {@code put(f, "huber", c -> new Huber(c.positive("delta", 1.0)), "delta");}
 */
public final class Ops {

    private Ops() {
    }

    /** Builds a function's op from its call's constant arguments; {@link BadCall} when they do not fit. */
    @FunctionalInterface
    public interface Factory {
        Op build(Call call);
    }

    /** A function of the table: its name, the keywords it takes (in the order documented) and its factory. */
    public record Function(String name, List<String> keywords, Factory factory) {
        public Function {
            keywords = List.copyOf(keywords);
        }
    }

    /** A call's arguments that are known before any value is: why it cannot be built, naming function and keyword. */
    public static final class BadCall extends IllegalArgumentException {
        private final String keyword;

        public BadCall(String message, String keyword) {
            super(message);
            this.keyword = keyword;
        }

        /** The keyword at fault, or null when the call as a whole is. */
        public String keyword() {
            return keyword;
        }
    }

    /**
     * A function's call as its factory sees it.
     *
     * @param function   the function's name
     * @param constants  one per positional argument: its value when it is a numeric constant, else null
     * @param keywords   the keyword arguments as written: each a {@link Double} or a {@link Boolean}
     */
    public record Call(String function, List<Double> constants, Map<String, Object> keywords) {

        public Call {
            constants = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(constants));
            keywords = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keywords));
        }

        /** Positional arguments. */
        public int positional() {
            return constants.size();
        }

        /** Positional argument {@code i}'s value when it is a numeric constant, else null. */
        public Double constant(int i) {
            return constants.get(i);
        }

        public boolean has(String keyword) {
            return keywords.containsKey(keyword);
        }

        /** A whole-number keyword at least {@code min}, or {@code fallback} when absent. */
        public int integer(String keyword, int fallback, int min) {
            Integer v = integer(keyword);
            if (v == null) {
                return fallback;
            }
            if (v < min) {
                throw bad(keyword, "must be at least " + min + ", not " + v);
            }
            return v;
        }

        /** A whole-number keyword (any sign: an axis), or null when absent. */
        public Integer integer(String keyword) {
            Object v = keywords.get(keyword);
            if (v == null) {
                return null;
            }
            if (!(v instanceof Double d) || d != Math.rint(d) || Math.abs(d) > 1_000_000) {
                throw bad(keyword, "must be a whole number, not " + text(v));
            }
            return (int) (double) d;
        }

        /** A numeric keyword, or {@code fallback} when absent. */
        public double number(String keyword, double fallback) {
            Object v = keywords.get(keyword);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Double d)) {
                throw bad(keyword, "must be a number, not " + text(v));
            }
            return d;
        }

        /** A numeric keyword above 0, or {@code fallback} when absent. */
        public double positive(String keyword, double fallback) {
            double v = number(keyword, fallback);
            if (!(v > 0)) {
                throw bad(keyword, "must be above 0, not " + text(v));
            }
            return v;
        }

        /** {@code true}/{@code false}, or {@code fallback} when absent. */
        public boolean flag(String keyword, boolean fallback) {
            Object v = keywords.get(keyword);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Boolean b)) {
                throw bad(keyword, "must be true or false, not " + text(v));
            }
            return b;
        }

        /** What is wrong with {@code keyword} (null: with the call as a whole), as {@code function: keyword what}. */
        public BadCall bad(String keyword, String what) {
            return new BadCall(function + ": " + (keyword == null ? "" : keyword + " ") + what, keyword);
        }

        private static String text(Object v) {
            return v instanceof Double d ? Shapes.number(d) : String.valueOf(v);
        }
    }

    /** Every function a name can be applied to, by its name: {@code exp(a)}, {@code max(a, b)}, {@code sum(X, axis=0)}, … */
    public static final Map<String, Function> FUNCTIONS;

    static {
        Map<String, Function> f = new LinkedHashMap<>();
        for (Fn fn : Fn.values()) {
            if (fn.graph) {
                put(f, fn.name, c -> fn);
            }
        }
        put(f, "max", c -> extreme(c, Arith.MAX, Reduction.Kind.MAX), "axis", "keepdims");
        put(f, "min", c -> extreme(c, Arith.MIN, Reduction.Kind.MIN), "axis", "keepdims");
        put(f, "sum", c -> reduction(c, Reduce.SUM, Reduction.Kind.SUM), "axis", "keepdims");
        put(f, "mean", c -> reduction(c, Reduce.MEAN, Reduction.Kind.MEAN), "axis", "keepdims");
        put(f, "logsumexp", c -> reduction(c, Reduce.LOGSUMEXP, Reduction.Kind.LOGSUMEXP), "axis", "keepdims");
        put(f, "softmax", c -> new SoftmaxAlong(c.integer("axis") == null ? -1 : c.integer("axis"), false), "axis");
        put(f, "dot", c -> Dot.INSTANCE);
        put(f, "transpose", c -> Transpose.INSTANCE);
        put(f, "var", c -> new Reduction(Reduction.Kind.VAR, c.integer("axis"), c.flag("keepdims", false)), "axis", "keepdims");
        put(f, "log_softmax", c -> new SoftmaxAlong(c.integer("axis") == null ? -1 : c.integer("axis"), true), "axis");
        put(f, "concat", c -> new Shaping.Join(false, c.positional(), c.integer("axis") == null ? 0 : c.integer("axis")), "axis");
        put(f, "stack", c -> new Shaping.Join(true, c.positional(), c.integer("axis") == null ? 0 : c.integer("axis")), "axis");
        put(f, "reshape", Ops::reshape);
        put(f, "flatten", c -> new Shaping.Reshape(null));
        put(f, "pick", c -> Indexing.Pick.INSTANCE);
        put(f, "where", c -> Where.INSTANCE);
        put(f, "conv1d", c -> Conv.of(c, 1), "stride", "padding");
        put(f, "conv2d", c -> Conv.of(c, 2), "stride", "padding");
        put(f, "maxpool2d", c -> Pool.of(c, true), "stride");
        put(f, "avgpool2d", c -> Pool.of(c, false), "stride");
        put(f, "layer_norm", c -> Norm.of(c, true), "eps");
        put(f, "batch_norm", c -> Norm.of(c, false), "eps");
        put(f, "cross_entropy", c -> ClassLoss.CROSS_ENTROPY);
        put(f, "svm", c -> ClassLoss.svm(c.number("margin", 1.0)), "margin");
        put(f, "mse", c -> EntryLoss.mse());
        put(f, "huber", c -> EntryLoss.huber(c.positive("delta", 1.0)), "delta");
        put(f, "bce_with_logits", c -> EntryLoss.bceWithLogits());
        FUNCTIONS = java.util.Collections.unmodifiableMap(f);
    }

    private static void put(Map<String, Function> table, String name, Factory factory, String... keywords) {
        table.put(name, new Function(name, List.of(keywords), factory));
    }

    /**
     * The op of a call to {@code function}: the table's factory applied after the keywords are checked.
     *
     * @throws BadCall when the function does not take a keyword given, or the factory refuses the call
     */
    public static Op build(Call call) {
        Function fn = FUNCTIONS.get(call.function());
        if (fn == null) {
            throw new BadCall("there is no function " + call.function() + "; the functions are "
                    + String.join(", ", FUNCTIONS.keySet()), null);
        }
        for (String k : call.keywords().keySet()) {
            if (!fn.keywords().contains(k)) {
                throw call.bad(k, fn.keywords().isEmpty() ? "is not a keyword of " + call.function() + ", which takes none"
                        : "is not a keyword of " + call.function() + "; it takes " + String.join(", ", fn.keywords()));
            }
        }
        return fn.factory().build(call);
    }

    /** A call with only positional arguments, none of them constants: {@code build("dot", 2)}. */
    public static Op build(String function, int positional) {
        return build(new Call(function, java.util.Collections.nCopies(positional, (Double) null), Map.of()));
    }

    /** {@code max(a, b)} element-wise, or {@code max(x)} over every entry (ties split), or along an axis. */
    private static Op extreme(Call c, Arith pair, Reduction.Kind kind) {
        if (c.positional() > 2) {
            throw c.bad(null, "takes 1 argument (" + c.function() + "(x), " + c.function() + "(x, axis=1)) or 2 ("
                    + c.function() + "(a, b), element-wise), not " + c.positional());
        }
        if (c.positional() == 2) {
            if (!c.keywords().isEmpty()) {
                throw c.bad(c.keywords().keySet().iterator().next(), "applies to " + c.function() + " of one tensor, not to "
                        + c.function() + "(a, b) of two");
            }
            return pair;
        }
        return new Reduction(kind, c.integer("axis"), c.flag("keepdims", false));
    }

    /** The older reduction over every entry when no keyword is given, so its answers stay as they were. */
    private static Op reduction(Call c, Op everyEntry, Reduction.Kind kind) {
        return c.keywords().isEmpty() ? everyEntry : new Reduction(kind, c.integer("axis"), c.flag("keepdims", false));
    }

    /** {@code reshape(x, d1, d2, …)}: the sizes are whole-number constants, at most one of them −1. */
    private static Op reshape(Call c) {
        if (c.positional() < 2) {
            throw c.bad(null, "give the new sizes after the tensor: reshape(x, 3, -1)");
        }
        int[] dims = new int[c.positional() - 1];
        int free = 0;
        for (int i = 1; i < c.positional(); i++) {
            Double d = c.constant(i);
            if (d == null || d != Math.rint(d) || d < -1 || d > Broadcast.MAX_ENTRIES) {
                throw c.bad(null, "size " + i + " must be a whole-number constant (or −1, inferred), not "
                        + (d == null ? "an expression" : Shapes.number(d)));
            }
            dims[i - 1] = (int) (double) d;
            free += d == -1 ? 1 : 0;
        }
        if (free > 1) {
            throw c.bad(null, "only one size may be −1");
        }
        return new Shaping.Reshape(dims);
    }

    /** A comparison typed as {@code >}, {@code <}, {@code >=}, {@code <=} or {@code ==}: a constant 0/1 result. */
    public static Op compare(String typed) {
        return Compare.of(typed);
    }

    /** A subscript {@code X[…]}: the operand, then one index input per {@link Indexing.Index} item. */
    public static Op subscript(List<Indexing.Item> items) {
        return new Indexing.Subscript(items);
    }

    public static Op add() { return Arith.ADD; }
    public static Op sub() { return Arith.SUB; }
    public static Op mul() { return Arith.MUL; }
    public static Op div() { return Arith.DIV; }
    public static Op neg() { return Fn.NEG; }
    public static Op matmul() { return MatMul.INSTANCE; }
    public static Op transpose() { return Transpose.INSTANCE; }
    public static Op identity() { return Identity.INSTANCE; }
    public static Op pow(double exponent) { return new Pow(exponent); }
    public static Op dot() { return Dot.INSTANCE; }
    public static Op softmax() { return Softmax.INSTANCE; }
    public static Op sum() { return Reduce.SUM; }
    public static Op mean() { return Reduce.MEAN; }
    public static Op logsumexp() { return Reduce.LOGSUMEXP; }
    /** A·Bᵀ, B given as it is held (W of outputs × inputs): torch's {@code F.linear} without its bias. */
    public static Op matmulTransposed() { return MatMul.TRANSPOSED; }
    /** The element-wise function of this name ({@code relu}, {@code sigmoid}, {@code gelu}, …), or null. */
    public static Op elementwise(String name) {
        for (Fn fn : Fn.values()) {
            if (fn.name.equals(name)) {
                return fn;
            }
        }
        return null;
    }
    /** max(αa, a) for α ≤ 1: leaky ReLU with slope α below 0. */
    public static Op leakyRelu(double alpha) { return new LeakyRelu(alpha); }
    /** The rows of a table at whole-number indices, concatenated (torch's {@code F.embedding}, flattened). */
    public static Op embedding() { return Embedding.INSTANCE; }

    // ---- shapes, for messages ----

    /** {@code x is a scalar}, {@code x is a 3-vector}, {@code W is 3×5}. */
    static String is(String label, Tensor t) {
        return label + " is " + kind(t);
    }

    /** {@code a scalar}, {@code a 3-vector}, {@code a 3×5 matrix}. */
    public static String kind(Tensor t) {
        return switch (t.rank()) {
            case 0 -> "a scalar";
            case 1 -> "a " + t.dim(0) + "-vector";
            case 2 -> "a " + t.shapeText() + " matrix";
            default -> "a " + t.shapeText() + " tensor";
        };
    }

    /** A Jacobian of {@code rows × cols} entries: a number for 1×1 between scalars is left to the caller. */
    static Tensor jacobianShape(int rows, int cols, double[] data) {
        return Tensor.of(new int[] {rows, cols}, data);
    }

    /** a = b, or within {@code tolerance} of it (equal infinities too, which a difference would make NaN). */
    static boolean near(double a, double b, double tolerance) {
        return a == b || Math.abs(a - b) <= tolerance;
    }

    private static Tensor zerosLike(Tensor t) {
        return Tensor.of(t.shape(), new double[t.size()]);
    }

    private static Tensor diag(double[] d) {
        int n = d.length;
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            out[i * n + i] = d[i];
        }
        return Tensor.of(new int[] {n, n}, out);
    }

    /** diag(f) for a vector or matrix operand, f itself for a scalar one. */
    private static Formula diagOf(Tensor operand, Formula f) {
        return operand.rank() == 0 ? f : Formula.call("diag", f);
    }

    /** Mᵀ of a matrix. */
    private static Tensor transposed(Tensor m) {
        return Tensor.matrix(Kernels.transposeRows(m.data(), m.dim(0), m.dim(1)));
    }

    // ---- element-wise functions of one operand ----

    /** y = f(a) entry by entry: its backward upstream ⊙ f'(a) and its Jacobian diag(f'(a)), from its slope. */
    interface EntryWise extends Op {

        /** f'(a) for one entry, given y = f(a). */
        double slope(double a, double y);

        @Override
        default Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            double[] g = new double[out.size()];
            for (int i = 0; i < g.length; i++) {
                g[i] = upstream.get(i) * slope(in[0].get(i), out.get(i));
            }
            return Tensor.of(out.shape(), g);
        }

        @Override
        default Tensor jacobian(int k, Tensor[] in, Tensor out) {
            double[] d = new double[out.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = slope(in[0].get(i), out.get(i));
            }
            return diag(d);
        }
    }

    /**
     * y = f(a) entry by entry; ∂y/∂a = diag(f'(a)). Each is typed by its wire name ({@code sigmoid(z)}) and written
     * as the lecture and {@code /v1/gradients} write it ({@code σ(z)}, {@code ReLU(z)}).
     */
    enum Fn implements EntryWise {
        // y = eᵃ; f'(a) = eᵃ = y
        EXP("exp") {
            double value(double a) { return Math.exp(a); }
            public double slope(double a, double y) { return y; }
            Formula slope(Formula a, Formula y) { return Formula.call("exp", a); }
        },
        // y = log a; f'(a) = 1/a
        LOG("log") {
            double value(double a) { return Math.log(a); }
            public double slope(double a, double y) { return 1.0 / a; }
            Formula slope(Formula a, Formula y) { return Formula.infix(Formula.num(1), "/", a); }
        },
        // y = √a; f'(a) = 1/(2√a)
        SQRT("sqrt") {
            double value(double a) { return Math.sqrt(a); }
            public double slope(double a, double y) { return 0.5 / y; }
            Formula slope(Formula a, Formula y) {
                return Formula.infix(Formula.num(1), "/", new Formula.Group(Formula.infix(Formula.num(2), "·", Formula.call("sqrt", a))));
            }
        },
        // y = |a|; f'(a) = sign(a), 0 at 0 (PyTorch)
        ABS("abs") {
            double value(double a) { return Math.abs(a); }
            public double slope(double a, double y) { return Math.signum(a); }
            Formula slope(Formula a, Formula y) { return Formula.call("sign", a); }
            @Override String kink(double a, double tolerance) { return Math.abs(a) <= tolerance ? "0" : null; }
        },
        // y = sin a; f'(a) = cos a
        SIN("sin") {
            double value(double a) { return Math.sin(a); }
            public double slope(double a, double y) { return Math.cos(a); }
            Formula slope(Formula a, Formula y) { return Formula.call("cos", a); }
        },
        // y = cos a; f'(a) = −sin a
        COS("cos") {
            double value(double a) { return Math.cos(a); }
            public double slope(double a, double y) { return -Math.sin(a); }
            Formula slope(Formula a, Formula y) { return new Formula.Neg(Formula.call("sin", a)); }
        },
        // y = ReLU(a) = max(0, a); f'(a) = 1[a > 0] (relu'(0) = 0)
        RELU("relu", "ReLU") {
            double value(double a) { return Maths.relu(a); }
            public double slope(double a, double y) { return Maths.reluSlope(a); }
            Formula slope(Formula a, Formula y) { return new Formula.Indicator(Formula.infix(a, ">", Formula.num(0))); }
            @Override String kink(double a, double tolerance) { return Math.abs(a) <= tolerance ? "0" : null; }

            // the same value and slope in loops of their own, without a branch (half a layer's entries are
            // negative: a branch per entry would mispredict) and so vectorised: max(a, 0), and 1[a > 0] as
            // min(1, max(a, 0)·2¹¹⁰⁰) (the least positive double times 2¹¹⁰⁰ is 2²⁶). The same numbers for every
            // finite a; a NaN stays NaN (the engine refuses a non-finite value before anyone reads it)
            @Override
            public Tensor forward(Tensor[] in) {
                double[] a = in[0].data();
                double[] y = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    y[i] = Math.max(a[i], 0.0);
                }
                return Tensor.of(in[0].shape(), y);
            }

            @Override
            public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
                double[] a = in[0].data();
                double[] up = upstream.data();
                double[] g = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    g[i] = up[i] * Math.min(1.0, Math.max(a[i], 0.0) * 0x1p1000 * 0x1p100);
                }
                return Tensor.of(in[0].shape(), g);
            }
        },
        // y = σ(a); f'(a) = y(1 − y)
        SIGMOID("sigmoid", "σ") {
            double value(double a) { return Maths.sigmoid(a); }
            public double slope(double a, double y) { return Maths.sigmoidSlope(y); }
            Formula slope(Formula a, Formula y) {
                return Formula.infix(y, "⊙", new Formula.Group(Formula.infix(Formula.num(1), "−", y)));
            }
        },
        // y = tanh a; f'(a) = 1 − y²
        TANH("tanh") {
            double value(double a) { return Math.tanh(a); }
            public double slope(double a, double y) { return Maths.tanhSlope(y); }
            Formula slope(Formula a, Formula y) { return Formula.infix(Formula.num(1), "−", Formula.infix(y, "⊙", y)); }
        },
        // y = log(1 + eᵃ); f'(a) = σ(a)
        SOFTPLUS("softplus") {
            double value(double a) { return Maths.softplus(a); }
            public double slope(double a, double y) { return Maths.softplusSlope(a); }
            Formula slope(Formula a, Formula y) { return Formula.call("σ", a); }
        },
        // y = −a; f'(a) = −1
        NEG("neg", false) {
            double value(double a) { return -a; }
            public double slope(double a, double y) { return -1.0; }
            Formula slope(Formula a, Formula y) { return Formula.num(-1); }
        },
        // y = min(1, max(−1, a)); f'(a) = 1[−1 < a < 1] (hardtanh'(±1) = 0, as PyTorch)
        HARDTANH("hardtanh", false) {
            double value(double a) { return a < -1.0 ? -1.0 : (a > 1.0 ? 1.0 : a); }
            public double slope(double a, double y) { return (a <= -1.0 || a >= 1.0) ? 0.0 : 1.0; }
            Formula slope(Formula a, Formula y) {
                return new Formula.Indicator(Formula.infix(Formula.infix(Formula.num(-1), "<", a), "<", Formula.num(1)));
            }
            @Override String kink(double a, double tolerance) {
                return Math.abs(Math.abs(a) - 1) <= tolerance ? (a > 0 ? "1" : "-1") : null;
            }
        },
        // y = a·Φ(a), Φ(a) = ½(1 + erf(a/√2)) (exact, with erf); f'(a) = Φ(a) + a·φ(a), φ(a) = e^(−a²/2)/√(2π)
        GELU("gelu", false) {
            double value(double a) { return Maths.gelu(a); }
            public double slope(double a, double y) { return Maths.geluSlope(a); }
            Formula slope(Formula a, Formula y) {
                return Formula.infix(Formula.call("Φ", a), "+", Formula.infix(a, "⊙", Formula.call("φ", a)));
            }
        },
        // y = a·σ(a) = a / (1 + e^−a); f'(a) = σ(a)·(1 + a·(1 − σ(a)))
        SILU("silu", false) {
            double value(double a) { return a / (1.0 + Math.exp(-a)); }
            public double slope(double a, double y) {
                double s = Maths.sigmoid(a);
                return s * (1.0 + a * (1.0 - s));
            }
            Formula slope(Formula a, Formula y) {
                Formula s = Formula.call("σ", a);
                return Formula.infix(s, "⊙", new Formula.Group(Formula.infix(Formula.num(1), "+",
                        Formula.infix(a, "⊙", new Formula.Group(Formula.infix(Formula.num(1), "−", s))))));
            }
        };

        final String name;
        /** How answers write it: the name, or the lecture's symbol. */
        private final String written;
        /** True for the functions the graph language has ({@code /v1/graph}); the rest are the network's activations. */
        final boolean graph;

        Fn(String name) {
            this(name, name, true);
        }

        Fn(String name, String written) {
            this(name, written, true);
        }

        Fn(String name, boolean graph) {
            this(name, name, graph);
        }

        Fn(String name, String written, boolean graph) {
            this.name = name;
            this.written = written;
            this.graph = graph;
        }

        abstract double value(double a);

        public abstract double slope(double a, double y);

        abstract Formula slope(Formula a, Formula y);

        /** Where a is on a kink of f (within tolerance), what it is ("0", "1", "-1"); else null. */
        String kink(double a, double tolerance) {
            return null;
        }

        @Override public String opName() { return name; }
        @Override public int arity() { return 1; }
        @Override public String shapeError(Tensor[] in, String[] labels) { return null; }

        @Override
        public Tensor forward(Tensor[] in) {
            return in[0].map(this::value);
        }

        @Override
        public List<Kink> kinks(Tensor[] in, Tensor out, double tolerance) {
            List<Kink> found = new java.util.ArrayList<>();
            for (int i = 0; i < in[0].size(); i++) {
                String at = kink(in[0].get(i), tolerance);
                if (at != null) {
                    found.add(new Kink(0, i, at, null, name));
                }
            }
            return found;
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            return diagOf(values[0], slope(in.get(0), out));
        }

        @Override
        public Formula apply(List<Formula> in) {
            return this == NEG ? new Formula.Neg(Formula.group(in.get(0))) : Formula.call(written, in.get(0));
        }
    }

    /** y = a for a > 0, αa otherwise, entry by entry; ∂y/∂a = diag(1[a > 0] + α·1[a ≤ 0]) (leaky_relu'(0) = α). */
    record LeakyRelu(double alpha) implements EntryWise {
        // y = a if a > 0 else αa; f'(a) = 1 if a > 0 else α
        @Override public String opName() { return "leaky_relu"; }
        @Override public int arity() { return 1; }
        @Override public String shapeError(Tensor[] in, String[] labels) { return null; }

        @Override
        public double slope(double a, double y) {
            return a > 0 ? 1.0 : alpha;
        }

        @Override
        public Tensor forward(Tensor[] in) {
            return in[0].map(a -> a > 0 ? a : alpha * a);
        }

        @Override
        public List<Kink> kinks(Tensor[] in, Tensor out, double tolerance) {
            List<Kink> found = new java.util.ArrayList<>();
            for (int i = 0; alpha != 1.0 && i < in[0].size(); i++) {
                if (Math.abs(in[0].get(i)) <= tolerance) {
                    found.add(new Kink(0, i, "0", null, "leaky_relu"));
                }
            }
            return found;
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            Formula a = in.get(0);
            return diagOf(values[0], Formula.infix(new Formula.Indicator(Formula.infix(a, ">", Formula.num(0))), "+",
                    Formula.infix(Formula.num(alpha), "·", new Formula.Indicator(Formula.infix(a, "≤", Formula.num(0))))));
        }

        @Override
        public Formula apply(List<Formula> in) {
            return Formula.call("leaky_relu", in.get(0));
        }
    }

    /** y = aᶜ entry by entry, c a constant; ∂y/∂a = diag(c·aᶜ⁻¹). */
    record Pow(double exponent) implements EntryWise {
        @Override public String opName() { return "pow"; }
        @Override public int arity() { return 1; }
        @Override public String shapeError(Tensor[] in, String[] labels) { return null; }

        @Override
        public Tensor forward(Tensor[] in) {
            return in[0].map(a -> Math.pow(a, exponent));
        }

        @Override
        public double slope(double a, double y) {
            return exponent == 0 ? 0.0 : exponent == 1 ? 1.0 : exponent * Math.pow(a, exponent - 1);
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            return diagOf(values[0], Formula.infix(Formula.num(exponent), "·",
                    new Formula.Power(Formula.group(in.get(0)), Formula.num(exponent - 1))));
        }

        @Override
        public Formula apply(List<Formula> in) {
            return new Formula.Power(Formula.group(in.get(0)), Formula.num(exponent));
        }
    }

    /** y = a, a statement that only names another node. */
    enum Identity implements Op {
        INSTANCE;
        // y = a; ∂y/∂a = I
        @Override public String opName() { return "identity"; }
        @Override public int arity() { return 1; }
        @Override public String shapeError(Tensor[] in, String[] labels) { return null; }
        @Override public Tensor forward(Tensor[] in) { return in[0]; }
        @Override public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) { return upstream; }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            return values[0].rank() == 0 ? Formula.num(1) : Formula.sym("I");
        }

        @Override public Formula apply(List<Formula> in) { return in.get(0); }
    }

    // ---- element-wise operations of two operands, a scalar broadcasting to the other's shape ----

    /** y = a ∘ b entry by entry, with the partial derivatives of one entry beside its value. */
    enum Arith implements Op {
        // y = a + b; ∂y/∂a = 1, ∂y/∂b = 1 ("+ distributes")
        ADD("add", "+") {
            double value(double a, double b) { return a + b; }
            double slope(int k, double a, double b) { return 1.0; }
            Formula slope(int k, Formula a, Formula b) { return Formula.num(1); }
        },
        // y = a − b; ∂y/∂a = 1, ∂y/∂b = −1
        SUB("sub", "-") {
            double value(double a, double b) { return a - b; }
            double slope(int k, double a, double b) { return k == 0 ? 1.0 : -1.0; }
            Formula slope(int k, Formula a, Formula b) { return Formula.num(k == 0 ? 1 : -1); }
        },
        // y = a ⊙ b; ∂y/∂a = b, ∂y/∂b = a ("· swaps")
        MUL("mul", "*") {
            double value(double a, double b) { return a * b; }
            double slope(int k, double a, double b) { return k == 0 ? b : a; }
            Formula slope(int k, Formula a, Formula b) { return k == 0 ? b : a; }
        },
        // y = a / b; ∂y/∂a = 1/b, ∂y/∂b = −a/b² (as −(a/b)/b where b² under- or overflows: a = 1e-300, b = 1e-170)
        DIV("div", "/") {
            double value(double a, double b) { return a / b; }
            double slope(int k, double a, double b) {
                if (k == 0) {
                    return 1.0 / b;
                }
                double bb = b * b;
                return bb >= Double.MIN_NORMAL && bb <= Double.MAX_VALUE ? -a / bb : -(a / b) / b;
            }
            Formula slope(int k, Formula a, Formula b) {
                return k == 0 ? Formula.infix(Formula.num(1), "/", b)
                        : new Formula.Neg(Formula.infix(a, "/", new Formula.Power(b, Formula.num(2))));
            }
        },
        // y = max(a, b); ∂y/∂a = 1[a > b] + ½·1[a = b] ("max routes"; a tie splits, as torch.maximum)
        MAX("max", null) {
            double value(double a, double b) { return Math.max(a, b); }
            double slope(int k, double a, double b) {
                double mine = k == 0 ? a : b;
                double other = k == 0 ? b : a;
                return mine > other ? 1.0 : mine == other ? 0.5 : 0.0;
            }
            Formula slope(int k, Formula a, Formula b) { return route(k, a, b, ">"); }
        },
        // y = min(a, b); ∂y/∂a = 1[a < b] + ½·1[a = b]
        MIN("min", null) {
            double value(double a, double b) { return Math.min(a, b); }
            double slope(int k, double a, double b) {
                double mine = k == 0 ? a : b;
                double other = k == 0 ? b : a;
                return mine < other ? 1.0 : mine == other ? 0.5 : 0.0;
            }
            Formula slope(int k, Formula a, Formula b) { return route(k, a, b, "<"); }
        };

        final String name;
        final String symbol;

        Arith(String name, String symbol) {
            this.name = name;
            this.symbol = symbol;
        }

        abstract double value(double a, double b);

        /** ∂y/∂(operand k) of one entry. */
        abstract double slope(int k, double a, double b);

        abstract Formula slope(int k, Formula a, Formula b);

        static Formula route(int k, Formula a, Formula b, String wins) {
            Formula mine = k == 0 ? a : b;
            Formula other = k == 0 ? b : a;
            return Formula.infix(new Formula.Indicator(Formula.infix(mine, wins, other)), "+",
                    Formula.infix(new Formula.Words("½"), "·", new Formula.Indicator(Formula.infix(mine, "=", other))));
        }

        @Override public String opName() { return name; }
        @Override public int arity() { return 2; }
        @Override public boolean broadcasts() { return true; }

        /** The symbol as typed, or the function's name. */
        public String symbol() {
            return symbol == null ? name : symbol;
        }

        @Override
        public String shapeError(Tensor[] in, String[] labels) {
            if (Broadcast.plain(in)) {
                return null;
            }
            int[] shape = Broadcast.shape(in);
            return shape == null ? Broadcast.error(symbol(), in, labels) : Broadcast.tooLarge(labels[0] + " " + symbol() + " " + labels[1], shape);
        }

        /**
         * True when {@code b} is {@code a}'s shape, a scalar, or a row as long as the last axis of a matrix {@code a}:
         * the network's bias added to each example's row, which {@code add} runs in a loop of its own.
         */
        private static boolean rows(Tensor a, Tensor b) {
            return a.sameShape(b) || b.rank() == 0 || (a.rank() == 2 && b.rank() == 1 && b.dim(0) == a.dim(1));
        }

        @Override
        public Tensor forward(Tensor[] in) {
            double[] a = in[0].data();
            double[] b = in[1].data();
            if (this == ADD && rows(in[0], in[1])) {
                // a + b, b repeated down a's rows (or one number, or a's own shape): the same doubles as below
                double[] y = new double[a.length];
                for (int at = 0; at < y.length; at += b.length) {
                    for (int j = 0; j < b.length; j++) {
                        y[at + j] = a[at + j] + b[j];
                    }
                }
                return Tensor.of(in[0].shape(), y);
            }
            if (!Broadcast.plain(in)) { // NumPy's broadcasting: each entry from the entries stretched onto it
                int[] shape = Broadcast.shape(in);
                int[] ma = Broadcast.map(in[0].shape(), shape);
                int[] mb = Broadcast.map(in[1].shape(), shape);
                double[] y = new double[ma.length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = value(a[ma[i]], b[mb[i]]);
                }
                return Tensor.of(shape, y);
            }
            Tensor shape = in[0].rank() == 0 ? in[1] : in[0];
            double[] y = new double[shape.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = value(a[a.length == 1 ? 0 : i], b[b.length == 1 ? 0 : i]);
            }
            return Tensor.of(shape.shape(), y);
        }

        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            if (this == ADD && rows(in[0], in[1])) {
                // the slope is 1: each entry of the operand collects the upstream of every entry it fed, from 0
                double[] up = upstream.data();
                int mine = in[k].size();
                double[] g = new double[mine];
                for (int at = 0; at < up.length; at += mine) {
                    for (int j = 0; j < mine; j++) {
                        g[j] += up[at + j];
                    }
                }
                return Tensor.of(in[k].shape(), g);
            }
            if (!Broadcast.plain(in)) { // a stretched operand collects the upstream of every entry it fed
                int[] a = Broadcast.map(in[0].shape(), out.shape());
                int[] b = Broadcast.map(in[1].shape(), out.shape());
                double[] g = new double[a.length];
                for (int i = 0; i < g.length; i++) {
                    g[i] = upstream.get(i) * slope(k, in[0].get(a[i]), in[1].get(b[i]));
                }
                return Broadcast.sumBack(g, k == 0 ? a : b, in[k].shape());
            }
            boolean aOne = in[0].rank() == 0;
            boolean bOne = in[1].rank() == 0;
            boolean mineOne = k == 0 ? aOne : bOne;
            double[] g = new double[in[k].size()];
            for (int i = 0; i < out.size(); i++) {
                // a broadcast scalar collects the upstream of every entry it fed
                g[mineOne ? 0 : i] += upstream.get(i) * slope(k, in[0].get(aOne ? 0 : i), in[1].get(bOne ? 0 : i));
            }
            return Tensor.of(in[k].shape(), g);
        }

        @Override
        public Tensor jacobian(int k, Tensor[] in, Tensor out) {
            if (!Broadcast.plain(in)) { // row i has the one slope of the operand's entry stretched onto entry i
                int[] a = Broadcast.map(in[0].shape(), out.shape());
                int[] b = Broadcast.map(in[1].shape(), out.shape());
                int[] mine = k == 0 ? a : b;
                int cols = in[k].size();
                double[] j = new double[a.length * cols];
                for (int i = 0; i < a.length; i++) {
                    j[i * cols + mine[i]] = slope(k, in[0].get(a[i]), in[1].get(b[i]));
                }
                return jacobianShape(a.length, cols, j);
            }
            boolean aOne = in[0].rank() == 0;
            boolean bOne = in[1].rank() == 0;
            double[] d = new double[out.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = slope(k, in[0].get(aOne ? 0 : i), in[1].get(bOne ? 0 : i));
            }
            if (in[k].rank() == 0) {
                return jacobianShape(d.length, 1, d); // a column: the scalar moves every entry
            }
            return diag(d);
        }


        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            Formula f = slope(k, in.get(0), in.get(1));
            Tensor mine = values[k];
            Tensor other = values[1 - k];
            if (!Broadcast.plain(values)) {
                Formula base = this == ADD || this == SUB ? local(k, in, out, new Tensor[] {mine, mine}) : Formula.call("diag", f);
                Formula.Words note = Broadcast.note(in.get(k).text(), mine, Broadcast.shape(values));
                return note == null ? base : new Formula.Aside(base, note);
            }
            if (mine.rank() == 0) {
                return f;
            }
            if (this == ADD || this == SUB) {
                return f instanceof Formula.Num n && n.value() < 0 ? new Formula.Neg(Formula.sym("I")) : Formula.sym("I");
            }
            if (other.rank() == 0 && this == MUL) {
                return Formula.infix(f, "·", Formula.sym("I"));
            }
            return Formula.call("diag", f);
        }

        @Override
        public Formula apply(List<Formula> in) {
            if (symbol == null) {
                return Formula.call(name, in.get(0), in.get(1));
            }
            return Formula.infix(in.get(0), symbol, in.get(1));
        }

        // max and min bend where the two operands tie
        @Override
        public List<Kink> kinks(Tensor[] in, Tensor out, double tolerance) {
            List<Kink> kinks = new java.util.ArrayList<>();
            if (this == MAX || this == MIN) {
                int[] a = Broadcast.map(in[0].shape(), out.shape());
                int[] b = Broadcast.map(in[1].shape(), out.shape());
                for (int i = 0; i < a.length; i++) {
                    if (near(in[0].get(a[i]), in[1].get(b[i]), tolerance)) {
                        kinks.add(new Kink(0, a[i], "tie", null, name + ": a tie"));
                    }
                }
            }
            return kinks;
        }

        @Override
        public long work(Tensor[] in) {
            return Broadcast.plain(in) ? Op.super.work(in) : Op.super.work(in) + 4 * Broadcast.entries(Broadcast.shape(in));
        }
    }

    // ---- products, reductions and the rest ----

    /**
     * A @ B with torch.matmul's rules for 1-D operands ({@code INSTANCE}), or A @ Bᵀ with B held as it is written
     * ({@code TRANSPOSED}: a layer's W of outputs × inputs applied to a row per example, torch's {@code F.linear}).
     */
    enum MatMul implements Op {
        INSTANCE(false),
        TRANSPOSED(true);

        private final boolean transposed;

        MatMul(boolean transposed) {
            this.transposed = transposed;
        }

        @Override public String opName() { return transposed ? "linear" : "matmul"; }
        @Override public int arity() { return 2; }

        @Override
        public String shapeError(Tensor[] in, String[] labels) {
            Tensor a = in[0];
            Tensor b = in[1];
            if (a.rank() == 0 || b.rank() == 0) {
                return (a.rank() == 0 ? is(labels[0], a) : is(labels[1], b)) + ": @ multiplies vectors and matrices (use * for a scalar)";
            }
            if (transposed && b.rank() != 2) {
                return is(labels[1], b) + ": A @ Bᵀ needs a matrix B";
            }
            int inner = a.rank() == 1 ? a.dim(0) : a.dim(1);
            int outer = inner(b);
            if (inner == outer) {
                return null;
            }
            String left = a.rank() == 1 ? labels[0] + " has " + a.dim(0) + " entries" : labels[0] + " is " + a.shapeText();
            String right = b.rank() == 1 ? labels[1] + " has " + b.dim(0) + " entries" : labels[1] + " is " + b.shapeText();
            return left + " but " + right;
        }

        /** Rows of the product: A's rows, or 1 for a vector on the left (a 1×n row). */
        private static int rowsOf(Tensor a) {
            return a.rank() == 2 ? a.dim(0) : 1;
        }

        /** The length of the sum: B's rows (or its columns, transposed). */
        private int inner(Tensor b) {
            return transposed ? b.dim(1) : b.dim(0);
        }

        /** Columns of the product: B's columns (its rows, transposed), or 1 for a vector on the right. */
        private int colsOf(Tensor b) {
            return transposed ? b.dim(0) : b.rank() == 2 ? b.dim(1) : 1;
        }

        /** The product's entries in the result's shape (a vector operand's 1 dropped). */
        private Tensor result(double[] y, Tensor a, Tensor b) {
            boolean bVector = !transposed && b.rank() == 1;
            if (a.rank() == 1 && bVector) {
                return Tensor.scalar(y[0]);
            }
            if (a.rank() == 1 || bVector) {
                return Tensor.of(new int[] {y.length}, y);
            }
            return Tensor.of(new int[] {a.dim(0), colsOf(b)}, y);
        }

        /** The rows of B as the product reads them: B's own rows, or those of Bᵀ when B is held transposed. */
        private double[][] productRows(Tensor b, int inner, int m) {
            return transposed ? Kernels.transposeRows(b.data(), m, inner) : Kernels.rows(b.data(), inner, m);
        }

        // Y = A·B; ∂f/∂A = δ Bᵀ, ∂f/∂B = Aᵀ δ (δ = ∂f/∂Y). With B held transposed (Y = A·Bᵀ) the same two products
        // with the operands' roles swapped: ∂f/∂A = δ B, ∂f/∂B = δᵀ A. A vector's entries are the same flat whether
        // it is read as a row or as a column
        @Override
        public Tensor forward(Tensor[] in) {
            int n = rowsOf(in[0]);
            int inner = inner(in[1]);
            int m = colsOf(in[1]);
            double[] y = new double[n * m];
            Kernels.multiply(in[0].data(), productRows(in[1], inner, m), null, y, n, inner, m);
            return result(y, in[0], in[1]);
        }

        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            int n = rowsOf(in[0]);
            int inner = inner(in[1]);
            int m = colsOf(in[1]);
            double[] g = new double[in[k].size()];
            if (k == 0) {
                // δ times the rows of Bᵀ: B's rows when B is held transposed
                double[][] bt = transposed ? in[1].rows() : Kernels.transposeRows(in[1].data(), inner, m);
                Kernels.multiply(upstream.data(), bt, null, g, n, m, inner);
            } else if (transposed) {
                Kernels.transposeMultiply(upstream.data(), Kernels.rows(in[0].data(), n, inner), g, n, m, inner);
            } else {
                Kernels.transposeMultiply(in[0].data(), Kernels.rows(upstream.data(), n, m), g, n, inner, m);
            }
            return Tensor.of(in[k].shape(), g);
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            Tensor a = values[0];
            Tensor b = values[1];
            Formula fa = in.get(0);
            Formula fb = in.get(1);
            if (transposed) {
                // y = B a (a vector): ∂y/∂a = B, ∂yᵢ/∂B_pq = 1[i = p]·a_q, i.e. I ⊗ aᵀ; a row per example: I ⊗ B and the same per row
                return k == 0 ? (a.rank() == 1 ? fb : Formula.infix(Formula.sym("I"), "⊗", fb))
                        : Formula.infix(Formula.sym("I"), "⊗", new Formula.Transposed(fa));
            }
            if (a.rank() == 1 && b.rank() == 1) {
                return new Formula.Transposed(k == 0 ? fb : fa); // ∂(aᵀb)/∂a = bᵀ
            }
            if (a.rank() == 2 && b.rank() == 1) {
                // y = A x: ∂y/∂x = A; ∂yᵢ/∂A_pq = 1[i = p]·x_q, i.e. I ⊗ xᵀ
                return k == 1 ? fa : Formula.infix(Formula.sym("I"), "⊗", new Formula.Transposed(fb));
            }
            if (a.rank() == 1) {
                // y = xᵀB (as a vector): ∂y/∂x = Bᵀ; ∂y_j/∂B_pq = x_p·1[q = j], i.e. xᵀ ⊗ I
                return k == 0 ? new Formula.Transposed(fb) : Formula.infix(new Formula.Transposed(fa), "⊗", Formula.sym("I"));
            }
            // Y = A B: ∂Y/∂A = I ⊗ Bᵀ, ∂Y/∂B = A ⊗ I (rows of Y and of the operand read row-major)
            return k == 0 ? Formula.infix(Formula.sym("I"), "⊗", new Formula.Transposed(fb)) : Formula.infix(fa, "⊗", Formula.sym("I"));
        }

        @Override
        public Formula apply(List<Formula> in) {
            return Formula.infix(in.get(0), "@", transposed ? new Formula.Transposed(in.get(1)) : in.get(1));
        }

        @Override
        public long work(Tensor[] in) {
            long rows = in[0].rank() == 2 ? in[0].dim(0) : 1;
            long inner = in[0].rank() == 1 ? in[0].dim(0) : in[0].dim(1);
            long cols = colsOf(in[1]);
            return 3L * rows * inner * cols; // the forward product and both operands' backward products
        }
    }

    /** Aᵀ (a vector's or a scalar's transpose is itself). */
    enum Transpose implements Op {
        INSTANCE;
        // Y = Aᵀ; ∂f/∂A = (∂f/∂Y)ᵀ
        @Override public String opName() { return "transpose"; }
        @Override public int arity() { return 1; }
        @Override public String shapeError(Tensor[] in, String[] labels) { return null; }

        @Override
        public Tensor forward(Tensor[] in) {
            return in[0].rank() == 2 ? transposed(in[0]) : in[0];
        }

        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            return in[0].rank() == 2 ? transposed(upstream) : upstream;
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            if (values[0].rank() == 0) {
                return Formula.num(1);
            }
            return values[0].rank() == 1 ? Formula.sym("I") : new Formula.Words("the permutation taking entry (i, j) to (j, i)");
        }

        @Override
        public Formula apply(List<Formula> in) {
            return new Formula.Transposed(Formula.group(in.get(0)));
        }
    }

    /** Every entry to one number. */
    enum Reduce implements Op {
        // y = Σᵢ aᵢ; ∂y/∂a = 1ᵀ
        SUM("sum") {
            @Override public Tensor forward(Tensor[] in) {
                double s = 0;
                for (int i = 0; i < in[0].size(); i++) {
                    s += in[0].get(i);
                }
                return Tensor.scalar(s);
            }
            @Override public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
                return in[0].map(v -> upstream.item());
            }
            @Override public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
                return values[0].rank() == 0 ? Formula.num(1) : new Formula.Transposed(Formula.sym("1"));
            }
        },
        // y = (1/n) Σᵢ aᵢ; ∂y/∂a = (1/n)·1ᵀ
        MEAN("mean") {
            @Override public Tensor forward(Tensor[] in) {
                return Tensor.scalar(SUM.forward(in).item() / in[0].size());
            }
            @Override public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
                double share = upstream.item() / in[0].size();
                return in[0].map(v -> share);
            }
            @Override public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
                Formula n = Formula.infix(Formula.num(1), "/", Formula.num(values[0].size()));
                return values[0].rank() == 0 ? Formula.num(1) : Formula.infix(new Formula.Group(n), "·", new Formula.Transposed(Formula.sym("1")));
            }
        },
        // y = log Σᵢ e^aᵢ (stable: m + log Σ e^(aᵢ − m)); ∂y/∂a = softmax(a)ᵀ
        LOGSUMEXP("logsumexp") {
            @Override public String shapeError(Tensor[] in, String[] labels) {
                return in[0].rank() > 0 ? null : is(labels[0], in[0]) + ": " + name + " takes a vector or a tensor";
            }
            @Override public Tensor forward(Tensor[] in) {
                return Tensor.scalar(Maths.logSumExp(in[0].toArray()));
            }
            @Override public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
                double lse = out.item();
                return in[0].map(v -> upstream.item() * Math.exp(v - lse));
            }
            @Override public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
                return new Formula.Transposed(Formula.call("softmax", in.get(0)));
            }
        };

        final String name;

        Reduce(String name) {
            this.name = name;
        }

        @Override public String opName() { return name; }
        @Override public int arity() { return 1; }
        @Override public String shapeError(Tensor[] in, String[] labels) { return null; }
        @Override public Formula apply(List<Formula> in) { return Formula.call(name, in.get(0)); }
    }

    private static String vectorOnly(String function, Tensor t, String label) {
        return t.rank() == 1 ? null : is(label, t) + ": " + function + " takes a vector";
    }

    /**
     * aᵀb of two vectors of equal length; with a matrix on the left, each of its rows with b (a score per example:
     * the graph language writes only the two vectors).
     */
    enum Dot implements Op {
        INSTANCE;
        // y = aᵀb; ∂y/∂a = bᵀ, ∂y/∂b = aᵀ (row by row: ∂f/∂aₖ = ∂f/∂yₖ·bᵀ, ∂f/∂b = Σₖ ∂f/∂yₖ·aₖᵀ)
        @Override public String opName() { return "dot"; }
        @Override public int arity() { return 2; }

        @Override
        public String shapeError(Tensor[] in, String[] labels) {
            if (in[0].rank() == 1 && in[1].rank() == 1 && in[0].dim(0) == in[1].dim(0)) {
                return null;
            }
            return is(labels[0], in[0]) + " but " + is(labels[1], in[1]) + ": dot takes two vectors of equal length";
        }

        @Override
        public Tensor forward(Tensor[] in) {
            int n = in[1].size();
            int rows = in[0].size() / n;
            double[] y = new double[rows];
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += in[0].get(r * n + i) * in[1].get(i);
                }
                y[r] = s;
            }
            return in[0].rank() == 1 ? Tensor.scalar(y[0]) : Tensor.of(new int[] {rows}, y);
        }

        // the left operand is read as rows (one for a vector), the right one is shared by them: each row's share
        // is its own product, the right operand's the sum over the rows (from 0, as a batch's parameter's)
        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            int n = in[1].size();
            int rows = in[0].size() / n;
            if (k == 0) {
                double[] g = new double[rows * n];
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < n; i++) {
                        g[r * n + i] = upstream.get(r) * in[1].get(i);
                    }
                }
                return Tensor.of(in[0].shape(), g);
            }
            double[] g = new double[n];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < n; i++) {
                    g[i] += upstream.get(r) * in[0].get(r * n + i);
                }
            }
            return Tensor.of(in[1].shape(), g);
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            return new Formula.Transposed(in.get(1 - k));
        }

        @Override
        public Formula apply(List<Formula> in) {
            return Formula.call("dot", in.get(0), in.get(1));
        }
    }

    /** p = softmax(v) of a vector, computed stably; of each row of a matrix (an example's) on its own. */
    enum Softmax implements Op {
        INSTANCE;
        // p = e^(v − max v) / Σ e^(v − max v); ∂p/∂v = diag(p) − p pᵀ (Maths.softmax)
        @Override public String opName() { return "softmax"; }
        @Override public int arity() { return 1; }
        @Override public String shapeError(Tensor[] in, String[] labels) { return vectorOnly("softmax", in[0], labels[0]); }

        private static int width(Tensor t) {
            return t.rank() == 0 ? 1 : t.dim(t.rank() - 1);
        }

        @Override
        public Tensor forward(Tensor[] in) {
            int n = width(in[0]);
            double[] p = new double[in[0].size()];
            double[] row = new double[n];
            for (int at = 0; at < p.length; at += n) {
                Maths.softmax(java.util.Arrays.copyOfRange(in[0].data(), at, at + n), row);
                System.arraycopy(row, 0, p, at, n);
            }
            return Tensor.of(in[0].shape(), p);
        }

        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            int n = width(out);
            double[] g = new double[out.size()];
            double[] row = new double[n];
            for (int at = 0; at < g.length; at += n) {
                Maths.softmaxBackward(java.util.Arrays.copyOfRange(out.data(), at, at + n),
                        java.util.Arrays.copyOfRange(upstream.data(), at, at + n), row);
                System.arraycopy(row, 0, g, at, n);
            }
            return Tensor.of(out.shape(), g);
        }

        @Override
        public Tensor jacobian(int k, Tensor[] in, Tensor out) {
            return out.rank() <= 1 ? Tensor.matrix(Maths.softmaxJacobian(out.toArray())) : Op.super.jacobian(k, in, out);
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            return Formula.infix(Formula.call("diag", out), "−", Formula.infix(out, "", new Formula.Transposed(out)));
        }

        @Override
        public Formula apply(List<Formula> in) {
            return Formula.call("softmax", in.get(0));
        }
    }

    /**
     * The rows of a table L at whole-number indices (a window of words), concatenated: [L[w₁]; L[w₂]; …], one such
     * row per example when the indices are a matrix (torch's {@code F.embedding}, each example's rows flattened).
     */
    enum Embedding implements Op {
        INSTANCE;
        // x = [L[w₁]; …; L[wₙ]]; ∂f/∂L[r] = Σ_{i: wᵢ = r} ∂f/∂xᵢ (the rows' gradients scattered back, added where a
        // word repeats); the indices are constants and get none
        @Override public String opName() { return "embedding"; }
        @Override public int arity() { return 2; }

        @Override
        public String shapeError(Tensor[] in, String[] labels) {
            if (in[0].rank() != 2) {
                return is(labels[0], in[0]) + ": embedding looks up the rows of a matrix";
            }
            if (in[1].rank() == 0 || in[1].rank() > 2) {
                return is(labels[1], in[1]) + ": embedding takes a list of row indices (one per example in a batch)";
            }
            for (int i = 0; i < in[1].size(); i++) {
                double w = in[1].get(i);
                if (w != Math.rint(w) || w < 0 || w >= in[0].dim(0)) {
                    return labels[1] + " has " + w + " at entry " + i + ": an index must be a whole number from 0 to " + (in[0].dim(0) - 1);
                }
            }
            return null;
        }

        /** The lookup is the subscript {@code L[words]} (its gather and scatter-add), each example's rows flattened. */
        private static final Indexing.Subscript ROWS = new Indexing.Subscript(List.of(new Indexing.Index()));

        @Override
        public Tensor forward(Tensor[] in) {
            double[] x = ROWS.forward(in).data();
            return in[1].rank() == 1 ? Tensor.of(new int[] {x.length}, x) : Tensor.of(new int[] {in[1].dim(0), x.length / in[1].dim(0)}, x);
        }

        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            return k == 1 ? zerosLike(in[1]) : ROWS.backward(0, in, out, upstream);
        }

        @Override
        public Taken taken(int k, Tensor[] in) {
            return ROWS.taken(k, in);
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            // ∂x/∂L = S ⊗ I with S the one-hot rows of the indices
            return k == 0 ? Formula.infix(Formula.call("onehot", in.get(1)), "⊗", Formula.sym("I")) : Formula.num(0);
        }

        @Override
        public Formula apply(List<Formula> in) {
            return Formula.call("embedding", in.get(0), in.get(1));
        }

        @Override
        public long work(Tensor[] in) {
            return 2L * in[1].size() * in[0].dim(1);
        }
    }

    /** The operands' shapes, for messages: {@code [3, 5]}. */
    static String shapes(Tensor[] in) {
        StringBuilder s = new StringBuilder();
        for (Tensor t : in) {
            s.append(Arrays.toString(t.shape()));
        }
        return s.toString();
    }
}
