package dev.chainrule.engine;

import java.util.List;

/**
 * A formula as a small tree, written once and rendered twice: as Unicode text for JSON and the text derivation
 * ({@code ∂f/∂y += ∂f/∂b · ∂b/∂y}) and as LaTeX for KaTeX ({@code \frac{\partial f}{\partial y} \mathrel{+}= …}).
 * Each kind of node keeps its two renderings side by side; nothing is ever parsed back out of a rendering.
 */
public sealed interface Formula {

    /** Unicode text, as people type it. */
    String text();

    /** LaTeX for KaTeX or MathJax. */
    String latex();

    /** A quantity's name: {@code y}, {@code W1}, {@code x_c}. */
    record Sym(String name) implements Formula {
        public String text() { return name; }
        public String latex() { return Formula.name(name); }
    }

    /** ∂of/∂wrt. */
    record Partial(String of, String wrt) implements Formula {
        public String text() { return "∂" + of + "/∂" + wrt; }
        public String latex() { return "\\frac{\\partial " + name(of) + "}{\\partial " + name(wrt) + "}"; }
    }

    /** A constant. */
    record Num(double value) implements Formula {
        public String text() { return number(value); }
        public String latex() { return Double.isInfinite(value) ? (value > 0 ? "\\infty" : "-\\infty") : number(value).replace("−", "-"); }
    }

    /** A function applied to its arguments: {@code exp(a)}, {@code max(y, z)}, {@code diag(…)}. */
    record Call(String function, List<Formula> args) implements Formula {
        public Call {
            args = List.copyOf(args);
        }

        public String text() {
            return function + "(" + String.join(", ", args.stream().map(Formula::text).toList()) + ")";
        }

        public String latex() {
            return Formula.function(function) + "\\left(" + String.join(", ", args.stream().map(Formula::latex).toList()) + "\\right)";
        }
    }

    /** An infix relation or operation {@code left op right}: {@code +}, {@code −}, {@code ·}, {@code ⊙}, {@code =}, {@code +=}. */
    record Infix(Formula left, String op, Formula right) implements Formula {
        public String text() { return left.text() + (op.isEmpty() ? " " : " " + op + " ") + right.text(); }
        public String latex() { return left.latex() + (op.isEmpty() ? " " : " " + operator(op) + " ") + right.latex(); }
    }

    /** −f. */
    record Neg(Formula operand) implements Formula {
        public String text() { return "−" + operand.text(); }
        public String latex() { return "-" + operand.latex(); }
    }

    /** base^exponent. */
    record Power(Formula base, Formula exponent) implements Formula {
        public String text() { return base.text() + "^" + exponent.text(); }
        public String latex() { return "{" + base.latex() + "}^{" + exponent.latex() + "}"; }
    }

    /** fᵀ. */
    record Transposed(Formula operand) implements Formula {
        public String text() { return operand.text() + "ᵀ"; }
        public String latex() { return "{" + operand.latex() + "}^{\\top}"; }
    }

    /** (f). */
    record Group(Formula inner) implements Formula {
        public String text() { return "(" + inner.text() + ")"; }
        public String latex() { return "\\left(" + inner.latex() + "\\right)"; }
    }

    /** 1[condition]: 1 where it holds, 0 elsewhere. */
    record Indicator(Formula condition) implements Formula {
        public String text() { return "1[" + condition.text() + "]"; }
        public String latex() { return "\\mathbf{1}\\left[" + condition.latex() + "\\right]"; }
    }

    /** Words beside a formula: {@code (½ each on a tie)}. */
    record Words(String words) implements Formula {
        public String text() { return words; }
        public String latex() { return "\\text{" + words.replace("½", "1/2") + "}"; }
    }

    /**
     * A leaf whose two renderings are written side by side where it is defined (an activation's or a loss's formula
     * on named quantities): {@code σ(z1)} and {@code \sigma (z_{1})}.
     */
    record Tex(String text, String latex) implements Formula {
    }

    /** A batch's sum over its examples: Σₖ (f)ₖ. */
    record Sum(Formula body) implements Formula {
        public String text() { return "Σₖ (" + body.text() + ")ₖ"; }
        public String latex() { return "\\sum_{k} (" + body.latex() + ")_{k}"; }
    }

    /** A formula with an aside that names one of its parts: {@code ∂J/∂W = δᵀxᵀ (δ = ∂J/∂z)}. */
    record Aside(Formula main, Formula aside) implements Formula {
        public String text() { return main.text() + " (" + aside.text() + ")"; }
        public String latex() { return main.latex() + " \\quad (" + aside.latex() + ")"; }
    }

    /** A name transposed as the lecture writes it, without grouping: {@code δ2ᵀ} → {@code \delta_{2}^{\top}}. */
    static Formula transposed(String name) {
        return new Tex(name + "ᵀ", name(name) + "^{\\top}");
    }

    /**
     * Two names side by side in LaTeX as the lecture writes a product: a bare letter is spaced from what follows
     * ({@code W x}, {@code h h}), a subscripted one is not ({@code W_{1}x}).
     */
    public static String adjacent(String left, String right) {
        return name(left) + (left.length() == 1 ? " " : "") + name(right);
    }

    static Formula partial(String of, String wrt) {
        return new Partial(of, wrt);
    }

    static Formula sym(String name) {
        return new Sym(name);
    }

    static Formula num(double v) {
        return new Num(v);
    }

    static Formula call(String function, Formula... args) {
        return new Call(function, List.of(args));
    }

    static Formula infix(Formula left, String op, Formula right) {
        return new Infix(left, op, right);
    }

    /** f in parentheses unless it is an atom. */
    static Formula group(Formula inner) {
        return inner instanceof Sym || inner instanceof Num || inner instanceof Call || inner instanceof Partial
                || inner instanceof Group || inner instanceof Indicator ? inner : new Group(inner);
    }

    /** Terms joined by {@code op}, left to right. */
    static Formula join(List<Formula> terms, String op) {
        Formula out = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            out = new Infix(out, op, terms.get(i));
        }
        return out;
    }

    private static String number(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        String s = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        return s.startsWith("-") ? "−" + s.substring(1) : s;
    }

    private static String operator(String op) {
        switch (op) {
            case "·": case "*": return "\\cdot";
            case "@": return "\\,";
            case "⊙": return "\\odot";
            case "−": return "-";
            case "×": return "\\times";
            case "≥": return "\\ge";
            case "≠": return "\\ne";
            case "≤": return "\\le";
            case "+=": return "\\mathrel{+}=";
            case "⊗": return "\\otimes";
            default: return op;
        }
    }

    private static String function(String name) {
        switch (name) {
            case "exp": case "log": case "sin": case "cos": case "tanh": case "max": case "min":
                return "\\" + name;
            case "σ":
                return "\\sigma";
            default:
                return "\\operatorname{" + name.replace("_", "\\_") + "}";
        }
    }

    /**
     * A name in LaTeX: one letter and digits get a subscript ({@code W1} → {@code W_{1}}, {@code x_c} →
     * {@code x_{c}}, {@code z2_c} → {@code z_{2,c}}, {@code δ1} → {@code \delta_{1}}); any other word is upright
     * ({@code \mathrm{loss}}); a name assigned again keeps its count ({@code c#2} → {@code c\#2}).
     */
    public static String name(String n) {
        if (n.equals("1")) {
            return "\\mathbf{1}";
        }
        int again = n.indexOf('#');
        if (again > 0) { // a name assigned again, c#2: the name, then its count as written
            return name(n.substring(0, again)) + "\\#" + n.substring(again + 1);
        }
        String head = n;
        boolean corrupt = n.length() > 2 && n.endsWith("_c");
        if (corrupt) {
            head = n.substring(0, n.length() - 2);
        }
        int letters = 0;
        while (letters < head.length() && Character.isLetter(head.charAt(letters))) {
            letters++;
        }
        int end = letters;
        while (end < head.length() && Character.isDigit(head.charAt(end))) {
            end++;
        }
        if (letters == 0 || end < head.length()) {
            return "\\mathrm{" + n.replace("_", "\\_") + "}";
        }
        String word = head.substring(0, letters);
        String digits = head.substring(letters);
        String base = word.equals("δ") ? "\\delta" : word.length() == 1 ? word : "\\mathrm{" + word + "}";
        String sub = digits + (!digits.isEmpty() && corrupt ? "," : "") + (corrupt ? "c" : "");
        return sub.isEmpty() ? base : base + "_{" + sub + "}";
    }
}
