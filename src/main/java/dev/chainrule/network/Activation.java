package dev.chainrule.network;

import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Op;
import dev.chainrule.engine.Ops;
import dev.chainrule.engine.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * The activations f of a dense layer, h = f(z): each is the engine's op of that name (its value, derivative, local
 * Jacobian and kinks are the op's: diag(f'(z)) for the element-wise ones, diag(p) − ppᵀ for softmax; at a kink
 * PyTorch's: relu'(0) = 0, leaky_relu'(0) = α, hardtanh'(±1) = 0) with the lecture's notation for it beside:
 * {@code σ(z)}, {@code ReLU(z)}.
 */
public enum Activation {

    IDENTITY("identity", "{z}", "I",
            "{z}", "I"),
    RELU("relu", "ReLU({z})", "diag(1[{z} > 0])",
            "\\operatorname{ReLU} ({z})", "\\operatorname{diag} (\\mathbf{1}[{z} > 0])"),
    LEAKY_RELU("leaky_relu", "LeakyReLU({z})", "diag(1[{z} > 0] + α·1[{z} ≤ 0])",
            "\\operatorname{LeakyReLU} ({z})", "\\operatorname{diag} (\\mathbf{1}[{z} > 0] + \\alpha \\cdot \\mathbf{1}[{z} \\le 0])"),
    SIGMOID("sigmoid", "σ({z})", "diag({h} ⊙ (1 − {h}))",
            "\\sigma ({z})", "\\operatorname{diag} ({h} \\odot (1 - {h}))"),
    TANH("tanh", "tanh({z})", "diag(1 − {h} ⊙ {h})",
            "\\tanh ({z})", "\\operatorname{diag} (1 - {h} \\odot {h})"),
    HARDTANH("hardtanh", "hardtanh({z})", "diag(1[−1 < {z} < 1])",
            "\\operatorname{hardtanh} ({z})", "\\operatorname{diag} (\\mathbf{1}[-1 < {z} < 1])"),
    SOFTPLUS("softplus", "softplus({z})", "diag(σ({z}))",
            "\\operatorname{softplus} ({z})", "\\operatorname{diag} (\\sigma ({z}))"),
    GELU("gelu", "GELU({z})", "diag(Φ({z}) + {z} ⊙ φ({z}))",
            "\\operatorname{GELU} ({z})", "\\operatorname{diag} (\\Phi ({z}) + {z} \\odot \\phi ({z}))"),
    SILU("silu", "{z} ⊙ σ({z})", "diag(σ({z}) ⊙ (1 + {z} ⊙ (1 − σ({z}))))",
            "{z} \\odot \\sigma ({z})", "\\operatorname{diag} (\\sigma ({z}) \\odot (1 + {z} \\odot (1 - \\sigma ({z}))))"),
    SOFTMAX("softmax", "softmax({z})", "diag({h}) − {h}{h}ᵀ",
            "\\operatorname{softmax} ({z})", "\\operatorname{diag} ({h}) - {h}{h}^{\\top}");

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

    /** The engine's op for f: leaky_relu's with its slope α below 0. */
    public Op op(double alpha) {
        return switch (this) {
            case IDENTITY -> Ops.identity();
            case LEAKY_RELU -> Ops.leakyRelu(alpha);
            case SOFTMAX -> Ops.softmax();
            default -> Ops.elementwise(wireName);
        };
    }

    /** h = f(z), written into {@code h}. */
    public void forward(double[] z, double[] h, double alpha) {
        System.arraycopy(op(alpha).forward(new Tensor[] {Tensor.vector(z)}).data(), 0, h, 0, h.length);
    }

    /** downstream = upstream · ∂h/∂z, as a row: for the element-wise kinds upstream ⊙ f'(z). */
    public void backward(double[] z, double[] h, double[] upstream, double[] downstream, double alpha) {
        Tensor g = op(alpha).backward(0, new Tensor[] {Tensor.vector(z)}, Tensor.vector(h), Tensor.vector(upstream));
        System.arraycopy(g.data(), 0, downstream, 0, downstream.length);
    }

    /** The explicit local Jacobian ∂h/∂z. */
    public double[][] jacobian(double[] z, double[] h, double alpha) {
        Tensor j = op(alpha).jacobian(0, new Tensor[] {Tensor.vector(z)}, Tensor.vector(h));
        double[][] rows = new double[z.length][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = java.util.Arrays.copyOfRange(j.data(), i * z.length, (i + 1) * z.length);
        }
        return rows;
    }

    /** True for every activation but softmax. */
    public boolean elementwise() {
        return this != SOFTMAX;
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
