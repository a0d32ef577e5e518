package dev.chainrule.render;

import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensors as text lines, for every derivation read as text ({@code Accept: text/plain}): a column vector is written
 * {@code [a  b  c]ᵀ}, a 1×n row (Jacobian form) {@code [a  b  c]}, a matrix as aligned rows between ⎡ ⎤ brackets.
 */
public final class TensorText {

    private TensorText() {
    }

    /** {@code label = value} on one line, or {@code label =} and the value's rows below it. */
    public static void line(StringBuilder out, String indent, String label, Tensor value, Numbers numbers) {
        line(out, indent, label, value, numbers, null);
    }

    public static void line(StringBuilder out, String indent, String label, Tensor value, Numbers numbers, List<String> labels) {
        List<String> block = block(value, numbers, labels);
        if (block.size() == 1) {
            out.append(indent).append(label).append(" = ").append(block.get(0)).append('\n');
            return;
        }
        out.append(indent).append(label).append(" =\n");
        for (String row : block) {
            out.append(indent).append("    ").append(row).append('\n');
        }
    }

    public static List<String> block(Tensor tensor, Numbers numbers) {
        return block(tensor, numbers, null);
    }

    /**
     * A tensor's lines; {@code labels} name the entries of its leading dimension (a contribution's window, say)
     * instead of {@code [0]}, {@code [1]}, … when given.
     */
    public static List<String> block(Tensor tensor, Numbers numbers, List<String> labels) {
        Tensor t = numbers.round(tensor); // residue below the shown precision reads 0
        int[] shape = t.shape();
        if (shape.length == 0) {
            return List.of(numbers.text(t.item()));
        }
        if (labels != null && shape.length == 1) {
            List<String> out = new ArrayList<>();
            for (int k = 0; k < shape[0]; k++) {
                out.add(labels.get(k) + " = " + numbers.text(t.get(k)));
            }
            return out;
        }
        if (shape.length == 1) {
            return List.of("[" + String.join("  ", cells(t, numbers)) + "]ᵀ");
        }
        if (shape.length == 2) {
            return matrix(t, shape[0], shape[1], numbers);
        }
        List<String> out = new ArrayList<>();
        for (int k = 0; k < shape[0]; k++) {
            List<String> inner = block(t.slice(k), numbers);
            out.add((labels == null ? "[" + k + "]" : labels.get(k)) + (inner.size() == 1 ? " " + inner.get(0) : ""));
            if (inner.size() > 1) {
                for (String row : inner) {
                    out.add("  " + row);
                }
            }
        }
        return out;
    }

    private static List<String> cells(Tensor t, Numbers numbers) {
        List<String> cells = new ArrayList<>(t.size());
        for (int i = 0; i < t.size(); i++) {
            cells.add(numbers.text(t.get(i)));
        }
        return cells;
    }

    private static List<String> matrix(Tensor t, int rows, int cols, Numbers numbers) {
        List<String> cells = cells(t, numbers);
        if (rows == 1) {
            return List.of("[" + String.join("  ", cells) + "]");
        }
        int[] width = new int[cols];
        for (int i = 0; i < cells.size(); i++) {
            width[i % cols] = Math.max(width[i % cols], cells.get(i).length());
        }
        List<String> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            StringBuilder row = new StringBuilder(r == 0 ? "⎡ " : r == rows - 1 ? "⎣ " : "⎢ ");
            for (int c = 0; c < cols; c++) {
                String cell = cells.get(r * cols + c);
                row.append(" ".repeat(width[c] - cell.length())).append(cell).append(c == cols - 1 ? " " : "  ");
            }
            row.append(r == 0 ? "⎤" : r == rows - 1 ? "⎦" : "⎥");
            out.add(row.toString());
        }
        return out;
    }
}
