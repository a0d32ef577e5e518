package dev.chainrule.network;

import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Maths;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.special.Erf;

/**
 * The activations f of a dense layer, h = f(z). Each keeps its forward value and its local derivative side by
 * side; the element-wise ones have the local Jacobian ∂h/∂z = diag(f'(z)), softmax has diag(p) − ppᵀ.
 * Derivatives at kinks are PyTorch's: relu'(0) = 0, leaky_relu'(0) = α, hardtanh'(±1) = 0.
 */
public enum Activation {

    IDENTITY("identity", "{z}", "I",
            "{z}", "I") {
        // h = z; ∂h/∂z = I
        @Override double value(double z, double alpha) { return z; }
        @Override double slope(double z, double h, double alpha) { return 1.0; }
    },

    RELU("relu", "ReLU({z})", "diag(1[{z} > 0])",
            "\\operatorname{ReLU} ({z})", "\\operatorname{diag} (\\mathbf{1}[{z} > 0])") {
        // h = max(0, z); ∂h/∂z = diag(1[z > 0])
        @Override double value(double z, double alpha) { return Maths.relu(z); }
        @Override double slope(double z, double h, double alpha) { return Maths.reluSlope(z); }
        @Override boolean kink(double z, double alpha) { return z == 0; }

        // the same value and slope in loops of their own, without a branch (half a layer's entries are negative: a
        // branch per entry would mispredict) and so vectorised: max(z, 0), and 1[z > 0] as min(1, max(z, 0)·2¹¹⁰⁰)
        // (the least positive double times 2¹¹⁰⁰ is 2²⁶). The same numbers for every finite z; a NaN z stays NaN
        // (the engine refuses a non-finite z before anyone reads h)
        @Override
        public void forward(double[] z, double[] h, double alpha) {
            for (int i = 0; i < z.length; i++) {
                h[i] = Math.max(z[i], 0.0);
            }
        }

        @Override
        public void backward(double[] z, double[] h, double[] upstream, double[] downstream, double alpha) {
            for (int i = 0; i < z.length; i++) {
                downstream[i] = upstream[i] * Math.min(1.0, Math.max(z[i], 0.0) * 0x1p1000 * 0x1p100);
            }
        }
    },

    LEAKY_RELU("leaky_relu", "LeakyReLU({z})", "diag(1[{z} > 0] + α·1[{z} ≤ 0])",
            "\\operatorname{LeakyReLU} ({z})", "\\operatorname{diag} (\\mathbf{1}[{z} > 0] + \\alpha \\cdot \\mathbf{1}[{z} \\le 0])") {
        // h = z if z > 0 else αz; ∂h/∂z = diag(1 if z > 0 else α)
        @Override double value(double z, double alpha) { return z > 0 ? z : alpha * z; }
        @Override double slope(double z, double h, double alpha) { return z > 0 ? 1.0 : alpha; }
        @Override boolean kink(double z, double alpha) { return z == 0 && alpha != 1.0; }
    },

    SIGMOID("sigmoid", "σ({z})", "diag({h} ⊙ (1 − {h}))",
            "\\sigma ({z})", "\\operatorname{diag} ({h} \\odot (1 - {h}))") {
        // h = σ(z) = 1 / (1 + e^−z); ∂h/∂z = diag(h ⊙ (1 − h))
        @Override double value(double z, double alpha) { return Maths.sigmoid(z); }
        @Override double slope(double z, double h, double alpha) { return Maths.sigmoidSlope(h); }
    },

    TANH("tanh", "tanh({z})", "diag(1 − {h} ⊙ {h})",
            "\\tanh ({z})", "\\operatorname{diag} (1 - {h} \\odot {h})") {
        // h = tanh(z); ∂h/∂z = diag(1 − h²)
        @Override double value(double z, double alpha) { return Math.tanh(z); }
        @Override double slope(double z, double h, double alpha) { return Maths.tanhSlope(h); }
    },

    HARDTANH("hardtanh", "hardtanh({z})", "diag(1[−1 < {z} < 1])",
            "\\operatorname{hardtanh} ({z})", "\\operatorname{diag} (\\mathbf{1}[-1 < {z} < 1])") {
        // h = min(1, max(−1, z)); ∂h/∂z = diag(1[−1 < z < 1])
        @Override double value(double z, double alpha) { return z < -1.0 ? -1.0 : (z > 1.0 ? 1.0 : z); }
        @Override double slope(double z, double h, double alpha) { return (z <= -1.0 || z >= 1.0) ? 0.0 : 1.0; }
        @Override boolean kink(double z, double alpha) { return z == 1.0 || z == -1.0; }
    },

    SOFTPLUS("softplus", "softplus({z})", "diag(σ({z}))",
            "\\operatorname{softplus} ({z})", "\\operatorname{diag} (\\sigma ({z}))") {
        // h = log(1 + e^z) (= z above 20, as PyTorch); ∂h/∂z = diag(σ(z)) (= 1 above 20)
        @Override double value(double z, double alpha) { return Maths.softplus(z); }
        @Override double slope(double z, double h, double alpha) { return Maths.softplusSlope(z); }
    },

    GELU("gelu", "GELU({z})", "diag(Φ({z}) + {z} ⊙ φ({z}))",
            "\\operatorname{GELU} ({z})", "\\operatorname{diag} (\\Phi ({z}) + {z} \\odot \\phi ({z}))") {
        // h = z·Φ(z), Φ(z) = ½(1 + erf(z/√2)); ∂h/∂z = diag(Φ(z) + z·φ(z)), φ(z) = e^(−z²/2)/√(2π)
        @Override double value(double z, double alpha) { return z * 0.5 * (1.0 + Erf.erf(z * SQRT1_2)); }
        @Override double slope(double z, double h, double alpha) {
            double cdf = 0.5 * (1.0 + Erf.erf(z * SQRT1_2));
            double pdf = INV_SQRT_2PI * Math.exp(-0.5 * z * z);
            return cdf + z * pdf;
        }
    },

    SILU("silu", "{z} ⊙ σ({z})", "diag(σ({z}) ⊙ (1 + {z} ⊙ (1 − σ({z}))))",
            "{z} \\odot \\sigma ({z})", "\\operatorname{diag} (\\sigma ({z}) \\odot (1 + {z} \\odot (1 - \\sigma ({z}))))") {
        // h = z·σ(z); ∂h/∂z = diag(σ(z)·(1 + z·(1 − σ(z))))
        @Override double value(double z, double alpha) { return z / (1.0 + Math.exp(-z)); }
        @Override double slope(double z, double h, double alpha) {
            double s = 1.0 / (1.0 + Math.exp(-z));
            return s * (1.0 + z * (1.0 - s));
        }
    },

    SOFTMAX("softmax", "softmax({z})", "diag({h}) − {h}{h}ᵀ",
            "\\operatorname{softmax} ({z})", "\\operatorname{diag} ({h}) - {h}{h}^{\\top}") {
        // h = e^(z − max z) / Σ e^(z − max z); ∂h/∂z = diag(h) − h hᵀ
        @Override double value(double z, double alpha) { throw new UnsupportedOperationException("softmax is not element-wise"); }
        @Override double slope(double z, double h, double alpha) { throw new UnsupportedOperationException("softmax is not element-wise"); }

        @Override
        public void forward(double[] z, double[] h, double alpha) {
            Maths.softmax(z, h);
        }

        @Override
        public void backward(double[] z, double[] h, double[] upstream, double[] downstream, double alpha) {
            // g · (diag(h) − h hᵀ) = h ⊙ (g − (g·h))
            Maths.softmaxBackward(h, upstream, downstream);
        }

        @Override
        public double[][] jacobian(double[] z, double[] h, double alpha) {
            return Maths.softmaxJacobian(h);
        }

        @Override
        public boolean elementwise() {
            return false;
        }
    };

    private static final double SQRT1_2 = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    /** The default slope of leaky_relu for z ≤ 0. */
    public static final double DEFAULT_ALPHA = 0.01;

    private final String wireName;
    private final String formula;
    private final String jacobianFormula;
    private final String latex;
    private final String jacobianLatex;

    /** Each formula twice, side by side: Unicode for text, LaTeX for KaTeX; {z} and {h} stand for the names. */
    Activation(String wireName, String formula, String jacobianFormula, String latex, String jacobianLatex) {
        this.wireName = wireName;
        this.formula = formula;
        this.jacobianFormula = jacobianFormula;
        this.latex = latex;
        this.jacobianLatex = jacobianLatex;
    }

    /** f(z) for one entry (element-wise activations only). */
    abstract double value(double z, double alpha);

    /** f'(z) for one entry, given h = f(z) (element-wise activations only). */
    abstract double slope(double z, double h, double alpha);

    /** True where f is not differentiable at z, so a numeric derivative there cannot be trusted. */
    boolean kink(double z, double alpha) {
        return false;
    }

    /** h = f(z), written into {@code h}. */
    public void forward(double[] z, double[] h, double alpha) {
        for (int i = 0; i < z.length; i++) {
            h[i] = value(z[i], alpha);
        }
    }

    /** downstream = upstream · ∂h/∂z, as a row: for the element-wise kinds upstream ⊙ f'(z). */
    public void backward(double[] z, double[] h, double[] upstream, double[] downstream, double alpha) {
        for (int i = 0; i < z.length; i++) {
            downstream[i] = upstream[i] * slope(z[i], h[i], alpha);
        }
    }

    /** The explicit local Jacobian ∂h/∂z. */
    public double[][] jacobian(double[] z, double[] h, double alpha) {
        double[][] jac = new double[z.length][z.length];
        for (int i = 0; i < z.length; i++) {
            jac[i][i] = slope(z[i], h[i], alpha);
        }
        return jac;
    }

    /** f'(z) entry by entry (element-wise activations only). */
    public double[] derivative(double[] z, double[] h, double alpha) {
        double[] d = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            d[i] = slope(z[i], h[i], alpha);
        }
        return d;
    }

    /** True for every activation but softmax. */
    public boolean elementwise() {
        return true;
    }

    /** True when some entry of z sits on a kink of f. */
    public boolean anyKink(double[] z, double alpha) {
        for (double v : z) {
            if (kink(v, alpha)) {
                return true;
            }
        }
        return false;
    }

    /** The name on the wire, e.g. {@code leaky_relu}. */
    public String wireName() {
        return wireName;
    }

    /** f(z) in the lecture's notation with the layer's own name for z, e.g. {@code σ(z1)}. */
    private String formula(String z) {
        return formula.replace("{z}", z);
    }

    /** The local Jacobian ∂h/∂z written out with the layer's names, e.g. {@code diag(h1 ⊙ (1 − h1))}. */
    private String jacobianFormula(String z, String h) {
        return jacobianFormula.replace("{z}", z).replace("{h}", h);
    }

    /** f(z) as a formula, its Unicode and LaTeX side by side. */
    public Formula apply(String z) {
        return new Formula.Tex(formula(z), latex.replace("{z}", Formula.name(z)));
    }

    /** The local Jacobian ∂h/∂z as a formula, its Unicode and LaTeX side by side. */
    public Formula jacobian(String z, String h) {
        return new Formula.Tex(jacobianFormula(z, h),
                jacobianLatex.replace("{z}", Formula.name(z)).replace("{h}{h}", Formula.adjacent(h, h)).replace("{h}", Formula.name(h)));
    }

    /** The activation with this wire name, or null. */
    public static Activation fromWireName(String name) {
        for (Activation a : values()) {
            if (a.wireName.equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** All wire names, in order, for error messages. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(Activation::wireName).toList();
    }
}
