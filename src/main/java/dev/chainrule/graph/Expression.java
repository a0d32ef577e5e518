package dev.chainrule.graph;

import dev.chainrule.errors.JsonText;
import java.util.ArrayList;
import java.util.List;

/**
 * The syntax of {@code POST /v1/graph}'s expressions: statements separated by newlines or {@code ;}, each
 * {@code name = expr} (the last may be a bare {@code expr}). Precedence, lowest first: {@code + -}; {@code * / @};
 * unary {@code -}; {@code ^} (right-associative, constant exponent); postfix {@code .T}. Binary chains are read
 * by loops, and nesting (parentheses, unary minus, exponents) is bounded, so no input can overflow the stack.
 * Names and numbers are ASCII: a statement with any other character is refused at that character's column (which
 * is then the same counted in characters or in UTF-16 units), so {@code xé}, {@code ｘ} or {@code 1e٣} never reach
 * the parser. A constant exponent folds to a number, and one that is not finite is refused as a literal
 * {@code 1e309} is.
 */
final class Expression {

    /** A parsed expression; {@code start}/{@code end} are its columns in the statement (0-based, end exclusive). */
    sealed interface Expr permits Num, Name, Neg, Binary, Call, Transpose, Power {
        int start();

        int end();
    }

    record Num(double value, int start, int end) implements Expr {
    }

    record Name(String name, int start, int end) implements Expr {
    }

    record Neg(Expr operand, int start, int end) implements Expr {
    }

    /** {@code op} is one of {@code + - * / @}; {@code at} is the operator's column. */
    record Binary(char op, Expr left, Expr right, int at, int start, int end) implements Expr {
    }

    record Call(String function, List<Expr> args, int start, int end) implements Expr {
    }

    record Transpose(Expr operand, int start, int end) implements Expr {
    }

    record Power(Expr base, double exponent, int start, int end) implements Expr {
    }

    /** One statement: {@code name} is null for a bare expression; {@code number} counts from 1; {@code nodes} its sub-expressions. */
    record Statement(int number, String text, String name, Expr expr, int nodes) {
    }

    /** What is wrong, where: the statement (from 1, with its text) and the column (from 1). */
    static final class SyntaxError extends RuntimeException {
        final int statement;
        final String text;
        final int column;
        final String what;

        SyntaxError(int statement, String text, int column, String what) {
            super("statement " + statement + " (" + abbreviate(text) + "), column " + column + ": " + what);
            this.statement = statement;
            this.text = text;
            this.column = column;
            this.what = what;
        }

        /** What is wrong with the expression as a whole (no statement in it). */
        SyntaxError(String what) {
            super(what);
            this.statement = 0;
            this.text = "";
            this.column = 0;
            this.what = what;
        }
    }

    /** Too many nodes for the limit: the parse stops as soon as it is crossed. */
    static final class TooManyNodes extends RuntimeException {
        final int max;

        TooManyNodes(int max) {
            super("more than " + max + " nodes");
            this.max = max;
        }
    }

    /** A statement or a name as messages quote it: at most 60 characters, never half a surrogate pair. */
    static String abbreviate(String s) {
        return JsonText.cut(s.strip(), 60, 57);
    }

    private Expression() {
    }

    /**
     * Parses every statement.
     *
     * @param maxDepth nesting allowed (parentheses, unary minus, exponents, function calls)
     * @param maxNodes sub-expressions allowed in all, counting names and numbers
     */
    static List<Statement> parse(String source, int maxDepth, int maxNodes) {
        List<Statement> out = new ArrayList<>();
        int[] nodes = {0};
        int from = 0;
        int number = 0;
        for (int i = 0; i <= source.length(); i++) {
            if (i == source.length() || source.charAt(i) == '\n' || source.charAt(i) == ';') {
                String text = source.substring(from, i).stripLeading();
                from = i + 1;
                if (text.isBlank()) {
                    continue;
                }
                number++;
                refuseNonAscii(number, text);
                int before = nodes[0];
                Statement st = new Parser(number, text, maxDepth, maxNodes, nodes).statement();
                out.add(new Statement(st.number(), st.text(), st.name(), st.expr(), nodes[0] - before));
            }
        }
        if (out.isEmpty()) {
            throw new SyntaxError("the expression holds no statement, only separators (; or line breaks): write statements"
                    + " such as \"a = x + y; f = a * y\"");
        }
        return out;
    }

    /**
     * Names are ASCII letters, digits and {@code _}, numbers ASCII digits: the first other character of a statement
     * is refused at its column. Greek letters are written by name ({@code theta}), as the values' names are.
     */
    private static void refuseNonAscii(int number, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 128) {
                int c = text.codePointAt(i);
                throw new SyntaxError(number, text, i + 1, "found " + JsonText.character(c) + ", which is not ASCII: names are"
                        + " ASCII letters, digits and _ (write Greek letters by name, e.g. theta) and numbers ASCII digits");
            }
        }
    }

    private static final class Parser {
        private final int number;
        private final String text;
        private final int maxDepth;
        private final int maxNodes;
        private final int[] nodes;
        private int pos;
        private int depth;

        Parser(int number, String text, int maxDepth, int maxNodes, int[] nodes) {
            this.number = number;
            this.text = text;
            this.maxDepth = maxDepth;
            this.maxNodes = maxNodes;
            this.nodes = nodes;
        }

        Statement statement() {
            skip();
            String name = null;
            int save = pos;
            if (pos < text.length() && isLetter(text.charAt(pos))) {
                String word = word();
                skip();
                if (pos < text.length() && text.charAt(pos) == '=') {
                    name = word;
                    pos++;
                } else {
                    pos = save;
                }
            }
            skip();
            if (pos >= text.length()) {
                throw error(name == null ? "expected an expression" : "expected an expression after =");
            }
            Expr e = sum();
            skip();
            if (pos < text.length()) {
                char c = text.charAt(pos);
                throw error(c == '=' ? "unexpected =: a statement is name = expression, one per line or separated by ;"
                        : c == ')' ? "unexpected ): no ( is open here" : "expected an operator (+ - * / @ ^) or the end of the statement, but found " + found());
            }
            return new Statement(number, text.strip(), name, e, 0);
        }

        // expr := term (('+' | '-') term)*
        private Expr sum() {
            return chain("+-", this::product);
        }

        // term := unary (('*' | '/' | '@') unary)*
        private Expr product() {
            return chain("*/@", this::unary);
        }

        /** A left-associative chain of operands joined by any of {@code operators}, read by a loop. */
        private Expr chain(String operators, java.util.function.Supplier<Expr> operand) {
            Expr left = operand.get();
            while (true) {
                skip();
                if (pos < text.length() && operators.indexOf(text.charAt(pos)) >= 0) {
                    char op = text.charAt(pos);
                    int at = pos++;
                    Expr right = operand.get();
                    left = count(new Binary(op, left, right, at, left.start(), right.end()));
                } else {
                    return left;
                }
            }
        }

        // unary := '-' unary | power
        private Expr unary() {
            skip();
            if (pos < text.length() && text.charAt(pos) == '-') {
                int start = pos++;
                enter();
                Expr operand = unary();
                depth--;
                return count(new Neg(operand, start, operand.end()));
            }
            return power();
        }

        // power := postfix ('^' exponent)?, the exponent itself a constant unary (so right-associative)
        private Expr power() {
            Expr base = postfix();
            skip();
            if (pos < text.length() && text.charAt(pos) == '^') {
                pos++;
                skip();
                int at = pos;
                if (pos >= text.length()) {
                    throw error("expected a number after ^ (the exponent must be a constant, e.g. x^2)");
                }
                enter();
                Expr exponent = unary();
                depth--;
                Double c = constant(exponent);
                if (c == null) {
                    pos = at;
                    throw error("the exponent of ^ must be a numeric constant, e.g. x^2, x^-1 or x^0.5");
                }
                if (!Double.isFinite(c)) {
                    pos = at;
                    throw error("the exponent " + abbreviate(text.substring(at, exponent.end())) + " is "
                            + (Double.isNaN(c) ? "not a real number" : "too large for double precision"));
                }
                return count(new Power(base, c, base.start(), exponent.end()));
            }
            return base;
        }

        // postfix := primary ('.T')*
        private Expr postfix() {
            Expr e = primary();
            while (true) {
                skip();
                if (pos < text.length() && text.charAt(pos) == '.') {
                    int at = pos;
                    pos++;
                    if (pos < text.length() && text.charAt(pos) == 'T'
                            && (pos + 1 >= text.length() || !isNameChar(text.charAt(pos + 1)))) {
                        pos++;
                        e = count(new Transpose(e, e.start(), pos));
                    } else {
                        pos = at + 1;
                        throw error("expected T after . (the transpose is written a.T)");
                    }
                } else {
                    return e;
                }
            }
        }

        // primary := number | name | name '(' args ')' | '(' expr ')'
        private Expr primary() {
            skip();
            if (pos >= text.length()) {
                throw error("expected a name, a number or ( but the statement ended");
            }
            char c = text.charAt(pos);
            int start = pos;
            if (c == '(') {
                pos++;
                enter();
                Expr inner = sum();
                depth--;
                skip();
                if (pos >= text.length() || text.charAt(pos) != ')') {
                    throw error("expected ) to close the ( at column " + (start + 1) + ", but found " + found());
                }
                pos++;
                return inner;
            }
            if (isDigit(c) || c == '.') {
                return count(new Num(number(), start, pos));
            }
            if (isLetter(c)) {
                String word = word();
                int afterWord = pos;
                skip();
                if (pos < text.length() && text.charAt(pos) == '(') {
                    pos++;
                    enter();
                    List<Expr> args = new ArrayList<>();
                    skip();
                    if (pos < text.length() && text.charAt(pos) == ')') {
                        pos++;
                    } else {
                        while (true) {
                            args.add(sum());
                            skip();
                            if (pos < text.length() && text.charAt(pos) == ',') {
                                pos++;
                            } else if (pos < text.length() && text.charAt(pos) == ')') {
                                pos++;
                                break;
                            } else {
                                throw error("expected , or ) in the arguments of " + word + "(, but found " + found());
                            }
                        }
                    }
                    depth--;
                    return count(new Call(word, args, start, pos));
                }
                pos = afterWord;
                return count(new Name(word, start, pos));
            }
            throw error("expected a name, a number or ( but found " + found());
        }

        private void enter() {
            if (++depth > maxDepth) {
                throw error("nested more than " + maxDepth + " deep (parentheses, unary minus, exponents and calls)");
            }
        }

        private <T extends Expr> T count(T e) {
            if (++nodes[0] > maxNodes) {
                throw new TooManyNodes(maxNodes);
            }
            return e;
        }

        private double number() {
            int start = pos;
            while (pos < text.length() && isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos < text.length() && text.charAt(pos) == '.' && !(pos + 1 < text.length() && text.charAt(pos + 1) == 'T')) {
                pos++;
                while (pos < text.length() && isDigit(text.charAt(pos))) {
                    pos++;
                }
            }
            if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                int e = pos++;
                if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos >= text.length() || !isDigit(text.charAt(pos))) {
                    pos = e;
                    throw error("expected the exponent's digits after e in a number such as 1e-3");
                }
                while (pos < text.length() && isDigit(text.charAt(pos))) {
                    pos++;
                }
            }
            String digits = text.substring(start, pos);
            if (digits.equals(".")) {
                pos = start;
                throw error("expected a name, a number or ( but found .");
            }
            if (pos < text.length() && isLetter(text.charAt(pos))) {
                throw error("a name cannot start with a digit; write 2 * x for a product");
            }
            double v = Double.parseDouble(digits);
            if (!Double.isFinite(v)) {
                pos = start;
                throw error("the number " + abbreviate(digits) + " is too large for double precision");
            }
            return v;
        }

        private String word() {
            int start = pos;
            while (pos < text.length() && isNameChar(text.charAt(pos))) {
                pos++;
            }
            return text.substring(start, pos);
        }

        private static boolean isNameChar(char c) {
            return isLetter(c) || isDigit(c) || c == '_';
        }

        private static boolean isLetter(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private void skip() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t' || text.charAt(pos) == '\r')) {
                pos++;
            }
        }

        private String found() {
            if (pos >= text.length()) {
                return "the end of the statement";
            }
            char c = text.charAt(pos);
            if (isNameChar(c)) {
                int end = pos;
                while (end < text.length() && end < pos + 12 && (isNameChar(text.charAt(end)) || text.charAt(end) == '.')) {
                    end++;
                }
                return "\"" + text.substring(pos, end) + "\"";
            }
            return JsonText.character(c);
        }

        private SyntaxError error(String what) {
            return new SyntaxError(number, text, pos + 1, what);
        }

        /** The value of an exponent made of numbers, unary minus and ^ only, or null. */
        private static Double constant(Expr e) {
            if (e instanceof Num n) {
                return n.value();
            }
            if (e instanceof Neg n) {
                Double v = constant(n.operand());
                return v == null ? null : -v;
            }
            if (e instanceof Power p) {
                Double b = constant(p.base());
                return b == null ? null : Math.pow(b, p.exponent());
            }
            return null;
        }
    }
}
