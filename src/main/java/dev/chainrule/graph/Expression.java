package dev.chainrule.graph;

import dev.chainrule.errors.JsonText;
import java.util.ArrayList;
import java.util.List;

/**
 * The syntax of {@code POST /v1/graph}'s expressions: statements separated by newlines or {@code ;}, each
 * {@code name = expr} or {@code name op= expr} ({@code += -= *= /= @=}; the last may be a bare {@code expr}).
 * Precedence, lowest first: comparisons ({@code > < >= <= ==}, not chained); {@code + -}; {@code * / @}; unary
 * {@code -}; {@code ^} or {@code **} (right-associative, constant exponent); postfix {@code .T}, method calls
 * {@code .f(…)} and subscripts {@code [i, a:b, idx]}. Calls take keyword arguments after the positional ones
 * ({@code axis=1}, {@code keepdims=true}); {@code inf} is the constant +∞. Binary chains are read by loops, and
 * nesting (parentheses, unary minus, exponents, calls, subscripts) is bounded, so no input can overflow the stack.
 * Names and numbers are ASCII: a statement with any other character is refused at that character's column (which
 * is then the same counted in characters or in UTF-16 units), so {@code xé}, {@code ｘ} or {@code 1e٣} never reach
 * the parser. A constant exponent folds to a number, and one that is not finite is refused as a literal
 * {@code 1e309} is.
 */
final class Expression {

    /** A parsed expression; {@code start}/{@code end} are its columns in the statement (0-based, end exclusive). */
    sealed interface Expr permits Num, Name, Neg, Binary, Call, Transpose, Power, Comparison, Subscript {
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

    /** {@code keywords} are the keyword arguments, after the positional {@code args}. */
    record Call(String function, List<Expr> args, List<Keyword> keywords, int start, int end) implements Expr {
    }

    /** {@code name=value}, {@code value} a {@link Double} or a {@link Boolean}. */
    record Keyword(String name, Object value, int start, int end) {
    }

    /** {@code op} is one of {@code > < >= <= ==}; {@code at} is the operator's column. */
    record Comparison(String op, Expr left, Expr right, int at, int start, int end) implements Expr {
    }

    /** {@code base[items]}. */
    record Subscript(Expr base, List<Item> items, int start, int end) implements Expr {
    }

    /** One place of a subscript: an integer, a slice, or an index input's name. */
    sealed interface Item permits At, Slice, IndexName {
    }

    record At(int index, int start, int end) implements Item {
    }

    /** {@code from:to}, either bound null when left out. */
    record Slice(Integer from, Integer to, int start, int end) implements Item {
    }

    record IndexName(Name name) implements Item {
    }

    record Transpose(Expr operand, int start, int end) implements Expr {
    }

    record Power(Expr base, double exponent, int start, int end) implements Expr {
    }

    /**
     * One statement: {@code name} is null for a bare expression; {@code number} counts from 1; {@code nodes} its
     * sub-expressions. {@code c += e} is read as {@code c = c + (e)}.
     */
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
            Expr target = null;
            char augmented = 0;
            int augmentedAt = -1;
            int save = pos;
            if (pos < text.length() && isLetter(text.charAt(pos))) {
                int start = pos;
                String word = word();
                int end = pos;
                skip();
                if (pos < text.length() && text.charAt(pos) == '=' && !next('=')) {
                    name = word;
                    pos++;
                } else if (pos + 1 < text.length() && "+-*/@".indexOf(text.charAt(pos)) >= 0 && text.charAt(pos + 1) == '=') {
                    name = word;
                    augmented = text.charAt(pos);
                    augmentedAt = pos;
                    target = count(new Name(word, start, end));
                    pos += 2;
                } else {
                    pos = save;
                }
            }
            skip();
            if (pos >= text.length()) {
                throw error(name == null ? "expected an expression" : "expected an expression after " + (augmented == 0 ? "=" : augmented + "="));
            }
            Expr e = comparison();
            skip();
            if (pos < text.length()) {
                char c = text.charAt(pos);
                throw error(c == '=' ? "unexpected =: a statement is name = expression, one per line or separated by ;"
                        : c == ')' ? "unexpected ): no ( is open here"
                        : c == ']' ? "unexpected ]: no [ is open here"
                        : "expected an operator (+ - * / @ ^ or a comparison) or the end of the statement, but found " + found());
            }
            if (augmented != 0) {
                e = count(new Binary(augmented, target, e, augmentedAt, target.start(), e.end()));
            }
            return new Statement(number, text.strip(), name, e, 0);
        }

        /** True when the character after the current one is {@code c}. */
        private boolean next(char c) {
            return pos + 1 < text.length() && text.charAt(pos + 1) == c;
        }

        // comparison := expr (('>' | '<' | '>=' | '<=' | '==') expr)?
        private Expr comparison() {
            Expr left = sum();
            skip();
            String op = comparator();
            if (op == null) {
                return left;
            }
            int at = pos;
            pos += op.length();
            Expr right = sum();
            skip();
            if (comparator() != null) {
                throw error("comparisons do not chain: write (a < b) * (b < c) for both");
            }
            return count(new Comparison(op, left, right, at, left.start(), right.end()));
        }

        /** The comparison operator at the current position, or null. */
        private String comparator() {
            if (pos >= text.length()) {
                return null;
            }
            char c = text.charAt(pos);
            if ((c == '>' || c == '<') && next('=')) {
                return c + "=";
            }
            if (c == '>' || c == '<') {
                return String.valueOf(c);
            }
            if (c == '=' && next('=')) {
                return "==";
            }
            if (c == '!' && next('=')) {
                throw error("!= is not a comparison here: write 1 - (a == b)");
            }
            return null;
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
                if (pos < text.length() && operators.indexOf(text.charAt(pos)) >= 0 && !(text.charAt(pos) == '*' && next('*'))) {
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

        // power := postfix (('^' | '**') exponent)?, the exponent itself a constant unary (so right-associative)
        private Expr power() {
            Expr base = postfix();
            skip();
            boolean caret = pos < text.length() && text.charAt(pos) == '^';
            boolean stars = pos < text.length() && text.charAt(pos) == '*' && next('*');
            if (caret || stars) {
                String symbol = caret ? "^" : "**";
                pos += symbol.length();
                skip();
                int at = pos;
                if (pos >= text.length()) {
                    throw error("expected a number after " + symbol + " (the exponent must be a constant, e.g. x" + symbol + "2)");
                }
                enter();
                Expr exponent = unary();
                depth--;
                Double c = constant(exponent);
                if (c == null) {
                    pos = at;
                    throw error("the exponent of " + symbol + " must be a numeric constant, e.g. x" + symbol + "2, x" + symbol
                            + "-1 or x" + symbol + "0.5");
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

        // postfix := primary ('.T' | '.' name '(' args ')' | '[' items ']')*
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
                        continue;
                    }
                    if (pos < text.length() && Character.isLetter(text.charAt(pos))) {
                        String method = word();
                        skip();
                        if (pos < text.length() && text.charAt(pos) == '(') {
                            pos++;
                            enter();
                            e = arguments(method, e, e.start());
                            depth--;
                            continue;
                        }
                    }
                    pos = at + 1;
                    throw error("expected T or a method call after . (the transpose is written a.T, a function as a.sum())");
                } else if (pos < text.length() && text.charAt(pos) == '[') {
                    int open = pos++;
                    enter();
                    e = count(new Subscript(e, items(open), e.start(), pos));
                    depth--;
                } else {
                    return e;
                }
            }
        }

        // items := item (',' item)* ']', item := ':' | [int] ':' [int] | int | name
        private List<Item> items(int open) {
            List<Item> items = new ArrayList<>();
            while (true) {
                skip();
                int start = pos;
                Integer from = null;
                if (pos < text.length() && Character.isLetter(text.charAt(pos))) {
                    int nameStart = pos;
                    String name = word();
                    items.add(new IndexName(count(new Name(name, nameStart, pos))));
                } else {
                    if (pos < text.length() && text.charAt(pos) != ':') {
                        from = integer("an integer, a name (an index input) or a slice a:b");
                    }
                    skip();
                    if (pos < text.length() && text.charAt(pos) == ':') {
                        pos++;
                        skip();
                        Integer to = null;
                        if (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != ']') {
                            to = integer("the slice's end: an integer, or nothing for the rest of the axis");
                        }
                        items.add(new Slice(from, to, start, pos));
                    } else if (from != null) {
                        items.add(new At(from, start, pos));
                    } else {
                        throw error("expected an integer, a name (an index input) or a slice a:b, but found " + found());
                    }
                }
                skip();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                } else if (pos < text.length() && text.charAt(pos) == ']') {
                    pos++;
                    return items;
                } else {
                    throw error("expected , or ] to close the [ at column " + (open + 1) + ", but found " + found());
                }
            }
        }

        /** An integer constant, with its sign: {@code -1}, {@code 3}. */
        private int integer(String expected) {
            int start = pos;
            if (pos < text.length() && text.charAt(pos) == '-') {
                pos++;
                skip();
            }
            if (pos >= text.length() || !Character.isDigit(text.charAt(pos))) {
                pos = start;
                throw error("expected " + expected + ", but found " + found());
            }
            double v = number();
            if (v != Math.rint(v) || Math.abs(v) > 1_000_000_000) {
                pos = start;
                throw error("a subscript takes whole numbers, but found " + abbreviate(text.substring(start, Math.min(text.length(), start + 20))));
            }
            return (int) (text.charAt(start) == '-' ? -v : v);
        }

        /** The arguments of a call after its {@code (}, positional then keyword; {@code receiver} first for a method. */
        private Call arguments(String function, Expr receiver, int start) {
            List<Expr> args = new ArrayList<>();
            List<Keyword> keywords = new ArrayList<>();
            if (receiver != null) {
                args.add(receiver);
            }
            skip();
            if (pos < text.length() && text.charAt(pos) == ')') {
                pos++;
                return count(new Call(function, args, keywords, start, pos));
            }
            while (true) {
                skip();
                int save = pos;
                Keyword keyword = null;
                if (pos < text.length() && Character.isLetter(text.charAt(pos))) {
                    String word = word();
                    skip();
                    if (pos < text.length() && text.charAt(pos) == '=' && !next('=')) {
                        pos++;
                        keyword = keyword(word, save);
                    } else {
                        pos = save;
                    }
                }
                if (keyword != null) {
                    for (Keyword k : keywords) {
                        if (k.name().equals(keyword.name())) {
                            pos = save;
                            throw error(keyword.name() + " is given twice in the arguments of " + function + "(");
                        }
                    }
                    keywords.add(keyword);
                } else if (!keywords.isEmpty()) {
                    throw error("a positional argument cannot follow a keyword argument in " + function + "(");
                } else {
                    args.add(comparison());
                }
                skip();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                } else if (pos < text.length() && text.charAt(pos) == ')') {
                    pos++;
                    return count(new Call(function, args, keywords, start, pos));
                } else {
                    throw error("expected , or ) in the arguments of " + function + "(, but found " + found());
                }
            }
        }

        /** A keyword argument's value: a number (with its sign), {@code true} or {@code false}. */
        private Keyword keyword(String name, int start) {
            skip();
            int at = pos;
            if (pos < text.length() && Character.isLetter(text.charAt(pos))) {
                String word = word();
                if (word.equals("true") || word.equals("false")) {
                    return new Keyword(name, word.equals("true"), start, pos);
                }
                if (word.equals("inf")) {
                    return new Keyword(name, Double.POSITIVE_INFINITY, start, pos);
                }
                pos = at;
                throw error("the value of " + name + "= must be a number, true or false, but found " + found());
            }
            boolean negative = pos < text.length() && text.charAt(pos) == '-';
            if (negative) {
                pos++;
                skip();
            }
            if (pos >= text.length() || !(Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos = at;
                throw error("the value of " + name + "= must be a number, true or false, but found " + found());
            }
            double v = number();
            return new Keyword(name, negative ? -v : v, start, pos);
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
                Expr inner = comparison();
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
                    Call call = arguments(word, null, start);
                    depth--;
                    return call;
                }
                if (word.equals("inf")) {
                    pos = afterWord;
                    return count(new Num(Double.POSITIVE_INFINITY, start, pos));
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
