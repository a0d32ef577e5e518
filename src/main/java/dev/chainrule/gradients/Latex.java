package dev.chainrule.gradients;

import dev.chainrule.network.Gradients;
import dev.chainrule.network.Problem;
import dev.chainrule.network.Step;
import dev.chainrule.network.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The derivation typeset for KaTeX or MathJax ({@code options.latex}): each forward value with its formula, each
 * gradient, and each step's formula with its numbers filled in. Vectors are column {@code bmatrix}es, Jacobian-form
 * rows one-row {@code bmatrix}es, and a list of per-example or per-contribution values is written
 * {@code \left( M_{1}, M_{2} \right)}.
 */
public final class Latex {

    /** The JSON member {@code latex}. */
    public record Rendering(Map<String, String> forward, Map<String, String> gradients, List<String> steps) {
    }

    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("diag", "\\operatorname{diag}"), Map.entry("softmax", "\\operatorname{softmax}"),
            Map.entry("ReLU", "\\operatorname{ReLU}"), Map.entry("LeakyReLU", "\\operatorname{LeakyReLU}"),
            Map.entry("hardtanh", "\\operatorname{hardtanh}"), Map.entry("softplus", "\\operatorname{softplus}"),
            Map.entry("GELU", "\\operatorname{GELU}"), Map.entry("tanh", "\\tanh"), Map.entry("log", "\\log"),
            Map.entry("max", "\\max"), Map.entry("margin", "\\text{margin}"));
    private static final Set<Character> NAME_LETTERS = Set.of('W', 'b', 'z', 'h', 'x', 'u', 's', 'J', 'y', 'f');
    private static final Map<Character, String> SYMBOLS = Map.ofEntries(
            Map.entry('−', "-"), Map.entry('·', " \\cdot "), Map.entry('⊙', " \\odot "), Map.entry('σ', "\\sigma "),
            Map.entry('Φ', "\\Phi "), Map.entry('φ', "\\phi "), Map.entry('α', "\\alpha "), Map.entry('≤', " \\le "),
            Map.entry('δ', "\\delta "), Map.entry('λ', "\\lambda "), Map.entry('Σ', "\\sum"), Map.entry('ₖ', "_{k}"), Map.entry('ᵢ', "_{i}"),
            Map.entry('ᵀ', "^{\\top}"), Map.entry('½', "\\tfrac{1}{2}"), Map.entry('‖', "\\|"), Map.entry('²', "^{2}"),
            Map.entry('×', " \\times "), Map.entry('{', "\\{"), Map.entry('}', "\\}"), Map.entry('%', "\\%"),
            Map.entry('#', "\\#"), Map.entry('&', "\\&"), Map.entry('$', "\\$"));

    private Latex() {
    }

    static Rendering render(Problem problem, Gradients g, Numbers numbers) {
        Map<String, String> formulas = Derivation.forwardFormulas(problem);
        Map<String, String> forward = new LinkedHashMap<>();
        g.forward().forEach((name, value) -> {
            String f = formulas.get(name);
            forward.put(name, name(name) + (f == null ? "" : " = " + formula(f)) + " = " + value(value, numbers));
        });
        Map<String, String> gradients = new LinkedHashMap<>();
        g.gradients().forEach((name, value) -> gradients.put(name, partial(name) + " = " + value(value, numbers)));
        List<String> steps = new ArrayList<>();
        if (g.steps() != null) {
            for (Step step : g.steps()) {
                steps.add(step(step, numbers));
            }
        }
        return new Rendering(forward, gradients, steps);
    }

    /** The step's formula, then the same with its numbers, then the result. */
    static String step(Step step, Numbers numbers) {
        String f = step.formula();
        // the aside "(δ = ∂J/∂z)" ends the formula; a batch's summand "Σₖ (δᵀ xᵀ)ₖ" before it stays in place
        int aside = f.lastIndexOf(" (δ");
        String core = aside < 0 ? f : f.substring(0, aside);
        String result = value(step.downstream().value(), numbers);
        if (step.upstream().name().equals("∂J/∂J")) {
            // ∂J/∂s = 1 is its own value: no "= 1 = 1"
            boolean constant = step.downstream().value().rank() == 0 && core.endsWith(" = " + numbers.text(step.downstream().value().item()));
            return constant ? formula(core) : formula(core) + " = " + result;
        }
        String up = value(step.upstream().value(), numbers);
        String local = value(step.local().value(), numbers);
        boolean weights = Derivation.isWeights(step);
        String filled = weights ? up + "^{\\top} " + local : Derivation.isPenalty(step) ? up + " + " + local : up + " " + local;
        return formula(core) + " = " + filled + " = " + result + (aside < 0 ? "" : " \\quad " + formula(f.substring(aside + 1)));
    }

    static String partial(String name) {
        return "\\frac{\\partial J}{\\partial " + name(name) + "}";
    }

    /** A quantity's name: {@code W1} → {@code W_{1}}, {@code x_c} → {@code x_{c}}, {@code z2_c} → {@code z_{2,c}}. */
    static String name(String n) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        out.append(n.startsWith("δ") ? "\\delta" : String.valueOf(n.charAt(0)));
        i = 1;
        String digits = "";
        while (i < n.length() && Character.isDigit(n.charAt(i))) {
            digits += n.charAt(i++);
        }
        boolean corrupt = n.startsWith("_c", i);
        if (!digits.isEmpty() || corrupt) {
            out.append("_{").append(digits).append(!digits.isEmpty() && corrupt ? "," : "").append(corrupt ? "c" : "").append('}');
        }
        if (corrupt) {
            i += 2;
        }
        return out.append(n.substring(i)).toString();
    }

    /** A Unicode formula of the engine ({@code ∂J/∂z1 = ∂J/∂h1 · diag(f'(z1))}) in LaTeX. */
    static String formula(String f) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < f.length()) {
            char c = f.charAt(i);
            if (c == '∂') {
                // ∂A/∂B
                int slash = f.indexOf("/∂", i);
                int end = slash < 0 ? -1 : nameEnd(f, slash + 2);
                if (slash > i + 1 && end > slash + 2 && nameEnd(f, i + 1) == slash) {
                    out.append("\\frac{\\partial ").append(names(f.substring(i + 1, slash))).append("}{\\partial ")
                            .append(names(f.substring(slash + 2, end))).append('}');
                    i = end;
                    continue;
                }
                out.append("\\partial ");
                i++;
            } else if (Character.isLetter(c) && c < 128 || c == 'δ') {
                int end = nameEnd(f, i);
                String word = f.substring(i, end);
                String letters = word.replaceAll("[0-9_].*$", "");
                if (WORDS.containsKey(word)) {
                    out.append(WORDS.get(word)).append(' ');
                } else if (WORDS.containsKey(letters) && letters.length() > 1) {
                    out.append(WORDS.get(letters)).append(' ').append(word.substring(letters.length()));
                } else {
                    out.append(names(word));
                }
                i = end;
            } else if (SYMBOLS.containsKey(c)) {
                out.append(SYMBOLS.get(c));
                i++;
            } else if (c == '1' && i + 1 < f.length() && f.charAt(i + 1) == '[' && (i == 0 || !Character.isDigit(f.charAt(i - 1)))) {
                out.append("\\mathbf{1}");
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString().replaceAll(" +", " ").trim();
    }

    /** End of the name or word starting at {@code i}: letters, then digits, then an optional {@code _c}. */
    private static int nameEnd(String f, int i) {
        int j = i;
        while (j < f.length() && (Character.isLetter(f.charAt(j)) && f.charAt(j) < 128 || f.charAt(j) == 'δ')) {
            j++;
        }
        while (j < f.length() && Character.isDigit(f.charAt(j))) {
            j++;
        }
        if (f.startsWith("_c", j)) { // the corrupt pass's suffix; no name goes on after it
            j += 2;
        }
        return j;
    }

    /** A run such as {@code hh} (h hᵀ), {@code Wx}, {@code h2}: each letter a name, the last one with the subscript. */
    private static String names(String word) {
        if (word.equals("J") || word.length() == 1) {
            return name(word);
        }
        int letters = 0;
        while (letters < word.length() && (Character.isLetter(word.charAt(letters)) && word.charAt(letters) < 128 || word.charAt(letters) == 'δ')) {
            letters++;
        }
        boolean allNames = true;
        for (int k = 0; k < letters; k++) {
            char ch = word.charAt(k);
            allNames &= NAME_LETTERS.contains(ch) || ch == 'δ';
        }
        if (!allNames) {
            return letters == word.length() ? "\\mathrm{" + word + "}" : "\\mathrm{" + word.substring(0, letters) + "}" + word.substring(letters);
        }
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < letters - 1; k++) {
            out.append(name(String.valueOf(word.charAt(k)))).append(' ');
        }
        return out.append(name(word.substring(letters - 1))).toString().trim();
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
