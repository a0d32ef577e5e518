package dev.chainrule.render;

import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Derivations typeset for KaTeX or MathJax ({@code options.latex}): the answer's {@link Rendering} (each forward
 * value with its formula, each gradient, each step with its numbers filled in, every formula rendered from its
 * structured {@code Formula}, nothing parsed back out of the Unicode text) and the numbers laid out. Vectors are column {@code bmatrix}es, Jacobian-form
 * rows one-row {@code bmatrix}es, and a list of per-example or per-contribution values is written
 * {@code \left( M_{1}, M_{2} \right)}.
 */
public final class Latex {

    /** The JSON member {@code latex}. */
    public record Rendering(Map<String, String> forward, Map<String, String> gradients, List<String> steps) {
    }

    private Latex() {
    }

    /** A tensor as a number, a bmatrix, or a list of them. */
    public static String value(Tensor t, Numbers numbers) {
        int[] shape = t.shape();
        if (shape.length == 0) {
            return numbers.latex(t.item());
        }
        if (numbers.rounds()) {
            t = numbers.round(t); // residue below the shown precision reads 0
        }
        if (shape.length == 1) {
            return bmatrix(t, shape[0], 1, numbers);
        }
        if (shape.length == 2) {
            return bmatrix(t, shape[0], shape[1], numbers);
        }
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < shape[0]; k++) {
            parts.add(value(t.slice(k), numbers));
        }
        return "\\left( " + String.join(",\\ ", parts) + " \\right)";
    }

    private static String bmatrix(Tensor t, int rows, int cols, Numbers numbers) {
        StringBuilder out = new StringBuilder("\\begin{bmatrix} ");
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out.append(numbers.latex(t.get(r * cols + c))).append(c == cols - 1 ? "" : " & ");
            }
            out.append(r == rows - 1 ? " " : " \\\\ ");
        }
        return out.append("\\end{bmatrix}").toString();
    }
}
