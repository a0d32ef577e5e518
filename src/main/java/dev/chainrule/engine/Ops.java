package dev.chainrule.engine;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations of a computational graph (CS224N lecture 3, CS231n's backprop notes) on scalars, vectors and
 * matrices. Each states its forward value and its local derivative side by side, with the maths in a comment.
 * Gradients are in shape convention; "upstream" is ∂f/∂out in out's shape.
 */
public final class Ops {

    private Ops() {
    }

    /** Every function a name can be applied to, by its name: {@code exp(a)}, {@code max(a, b)}, … */
    public static final Map<String, Op> FUNCTIONS;

    static {
        Map<String, Op> f = new LinkedHashMap<>();
        for (Fn fn : Fn.values()) {
            if (fn.graph) {
                f.put(fn.name, fn);
            }
        }
        f.put("max", Arith.MAX);
        f.put("min", Arith.MIN);
        f.put("sum", Reduce.SUM);
        f.put("mean", Reduce.MEAN);
        f.put("logsumexp", Reduce.LOGSUMEXP);
        f.put("softmax", Softmax.INSTANCE);
        f.put("dot", Dot.INSTANCE);
        f.put("transpose", Transpose.INSTANCE);
        FUNCTIONS = java.util.Collections.unmodifiableMap(f);
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
            default -> "a " + t.shapeText() + " matrix";
        };
    }

    /** A Jacobian of {@code rows × cols} entries: a number for 1×1 between scalars is left to the caller. */
    static Tensor jacobianShape(int rows, int cols, double[] data) {
        return Tensor.of(new int[] {rows, cols}, data);
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

    /** y = f(a) entry by entry; ∂y/∂a = diag(f'(a)). */
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
        // y = max(0, a); f'(a) = 1[a > 0] (relu'(0) = 0)
        RELU("relu") {
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
        SIGMOID("sigmoid") {
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
        /** True for the functions the graph language has ({@code /v1/graph}); the rest are the network's activations. */
        final boolean graph;

        Fn(String name) {
            this(name, true);
        }

        Fn(String name, boolean graph) {
            this.name = name;
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
            return this == NEG ? new Formula.Neg(Formula.group(in.get(0))) : Formula.call(name, in.get(0));
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
        // y = a / b; ∂y/∂a = 1/b, ∂y/∂b = −a/b²
        DIV("div", "/") {
            double value(double a, double b) { return a / b; }
            double slope(int k, double a, double b) { return k == 0 ? 1.0 / b : -a / (b * b); }
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

        /** The symbol as typed, or the function's name. */
        public String symbol() {
            return symbol == null ? name : symbol;
        }

        /**
         * Equal shapes, or a scalar on one side. (The network also adds a bias vector to each row of a batch, a
         * vector of the rows' width broadcast down them; the graph language does not write that.)
         */
        @Override
        public String shapeError(Tensor[] in, String[] labels) {
            Tensor a = in[0];
            Tensor b = in[1];
            if (a.sameShape(b) || a.rank() == 0 || b.rank() == 0) {
                return null;
            }
            return is(labels[0], a) + " but " + is(labels[1], b) + ": " + symbol()
                    + " needs equal shapes, or a scalar on one side";
        }

        /** The operand with every entry: the other is a scalar, equal, or a row repeated down it. */
        private static Tensor shapeOf(Tensor[] in) {
            return in[0].size() >= in[1].size() ? in[0] : in[1];
        }

        // entry i of the output reads entry i % size of each operand: its own entry, a scalar's one, a row's column

        @Override
        public Tensor forward(Tensor[] in) {
            Tensor shape = shapeOf(in);
            double[] y = new double[shape.size()];
            double[] a = in[0].data();
            double[] b = in[1].data();
            if (this == ADD && a.length == y.length) {
                // a + b with b the same shape, a row or a scalar: the network's bias, in a loop of its own
                for (int at = 0; at < y.length; at += b.length) {
                    for (int j = 0; j < b.length; j++) {
                        y[at + j] = a[at + j] + b[j];
                    }
                }
                return Tensor.of(shape.shape(), y);
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = value(a[i % a.length], b[i % b.length]);
            }
            return Tensor.of(shape.shape(), y);
        }

        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            double[] a = in[0].data();
            double[] b = in[1].data();
            double[] up = upstream.data();
            int mine = in[k].size();
            double[] g = new double[mine];
            if (this == ADD) {
                // the slope is 1: each entry collects the upstream of every entry it fed, from 0
                for (int at = 0; at < up.length; at += mine) {
                    for (int j = 0; j < mine && at + j < up.length; j++) {
                        g[j] += up[at + j];
                    }
                }
                return Tensor.of(in[k].shape(), g);
            }
            for (int i = 0; i < up.length; i++) {
                // a broadcast operand collects the upstream of every entry it fed
                g[i % mine] += up[i] * slope(k, a[i % a.length], b[i % b.length]);
            }
            return Tensor.of(in[k].shape(), g);
        }

        @Override
        public Tensor jacobian(int k, Tensor[] in, Tensor out) {
            if (in[k].rank() > 0 && in[k].size() < out.size()) {
                return Op.super.jacobian(k, in, out); // a row broadcast down a batch: not diagonal
            }
            int na = in[0].size();
            int nb = in[1].size();
            double[] d = new double[out.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = slope(k, in[0].get(i % na), in[1].get(i % nb));
            }
            if (in[k].rank() == 0) {
                return jacobianShape(d.length, 1, d); // a column: the scalar moves every entry
            }
            return diag(d);
        }

        @Override
        public List<Kink> kinks(Tensor[] in, Tensor out, double tolerance) {
            if (this != MAX && this != MIN) {
                return List.of();
            }
            List<Kink> found = new java.util.ArrayList<>();
            int na = in[0].size();
            int nb = in[1].size();
            for (int i = 0; i < out.size(); i++) {
                if (Math.abs(in[0].get(i % na) - in[1].get(i % nb)) <= tolerance) {
                    found.add(new Kink(0, i, "tie", null, name));
                }
            }
            return found;
        }

        @Override
        public Formula local(int k, List<Formula> in, Formula out, Tensor[] values) {
            Formula f = slope(k, in.get(0), in.get(1));
            Tensor mine = values[k];
            Tensor other = values[1 - k];
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
                return vectorOnly(name, in[0], labels[0]);
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

        @Override
        public Tensor forward(Tensor[] in) {
            int d = in[0].dim(1);
            double[] table = in[0].data();
            double[] words = in[1].data();
            double[] x = new double[words.length * d];
            for (int i = 0; i < words.length; i++) {
                System.arraycopy(table, (int) words[i] * d, x, i * d, d);
            }
            return in[1].rank() == 1 ? Tensor.of(new int[] {x.length}, x) : Tensor.of(new int[] {in[1].dim(0), in[1].dim(1) * d}, x);
        }

        @Override
        public Tensor backward(int k, Tensor[] in, Tensor out, Tensor upstream) {
            if (k == 1) {
                return zerosLike(in[1]);
            }
            int d = in[0].dim(1);
            double[] words = in[1].data();
            double[] g = new double[in[0].size()];
            for (int i = 0; i < words.length; i++) {
                int row = (int) words[i] * d;
                for (int c = 0; c < d; c++) {
                    g[row + c] += upstream.get(i * d + c);
                }
            }
            return Tensor.of(in[0].shape(), g);
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
