package dev.chainrule.graph;

import dev.chainrule.budget.Cost;
import dev.chainrule.budget.CostModel;
import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.Formula;
import dev.chainrule.engine.Graph;
import dev.chainrule.engine.Indexing;
import dev.chainrule.engine.Op;
import dev.chainrule.engine.Ops;
import dev.chainrule.engine.Tensor;
import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.InvalidRequestException;
import dev.chainrule.errors.LimitExceededException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns parsed statements and the given values into a computed {@link Graph}: inputs first (in the order of
 * {@code values}), then each sub-expression as a node, named by its statement or {@code t1, t2, …} in the order
 * computed (skipping names the user took). A name assigned again is a node of its own each time: {@code c},
 * {@code c#2}, {@code c#3}, …; a statement reads the latest before it. Checks names (unknown, unused, a function's
 * name), each call's keywords, the operands' shapes, and the index inputs (an input read as integers by an op, never
 * also used in arithmetic), naming the statement, the operator and the column.
 */
final class GraphCompiler {

    /** The computed graph and which node is the output. */
    record Compiled(Graph graph, int output) {
        Graph.Node outputNode() {
            return graph.node(output);
        }
    }

    /** Where an input was first used: as an index or in arithmetic. */
    private record Use(boolean index, Expression.Statement statement, int column, String how) {
    }

    private static final String INF = "inf";
    /** How a shape error names a subscript, and a function (operators are named by their symbol). */
    private static final String SUBSCRIPT = "subscript […]";
    private static final String FUNCTION = "function ";

    private final List<Expression.Statement> statements;
    private final Map<String, Tensor> values;
    private final long maxWork;
    private final Deadline deadline;
    private final Graph.Builder builder = new Graph.Builder();
    private final Map<String, Integer> defined = new HashMap<>();
    private final Set<String> taken = new HashSet<>();
    private final Map<String, Integer> assignedIn = new HashMap<>();
    private final Map<String, Integer> assignments = new HashMap<>();
    private final Map<Expression.Call, Op> calls = new IdentityHashMap<>();
    private final Map<String, Use> uses = new HashMap<>();
    private int nextAuto = 1;
    private Expression.Statement current;

    private GraphCompiler(List<Expression.Statement> statements, Map<String, Tensor> values, long maxWork, Deadline deadline) {
        this.statements = statements;
        this.values = values;
        this.maxWork = maxWork;
        this.deadline = deadline;
    }

    static Compiled compile(List<Expression.Statement> statements, Map<String, Tensor> values, long maxWork, Deadline deadline) {
        return new GraphCompiler(statements, values, maxWork, deadline).run();
    }

    private Compiled run() {
        List<FieldError> errors = new ArrayList<>();
        // the names: statements' and the values'
        for (int s = 0; s < statements.size(); s++) {
            Expression.Statement st = statements.get(s);
            String name = st.name();
            if (name == null) {
                if (s < statements.size() - 1) {
                    errors.add(new FieldError("expression", "statement " + st.number() + " (" + Expression.abbreviate(st.text())
                            + "): only the last statement may be a bare expression; write name = " + Expression.abbreviate(st.text())));
                    continue;
                }
                name = "f";
                if (values.containsKey("f") || assignedIn.containsKey("f")) {
                    errors.add(new FieldError("expression", "the last statement is a bare expression, which is named f, but f is "
                            + (values.containsKey("f") ? "given in values" : "assigned by statement " + assignedIn.get("f"))
                            + ": give the output a name of its own (name = …)"));
                    continue;
                }
            }
            if (Ops.FUNCTIONS.containsKey(name)) {
                errors.add(new FieldError("expression", "statement " + st.number() + ": " + name
                        + " is a function's name and cannot name a node; choose another name"));
            } else if (name.equals(INF)) {
                errors.add(new FieldError("expression", "statement " + st.number() + ": inf is the constant ∞ and cannot name a node;"
                        + " choose another name"));
            } else if (values.containsKey(name)) {
                errors.add(new FieldError("values." + name, name + " is given in values but statement " + st.number()
                        + " assigns it; a name is either an input or a node"));
            }
            assignedIn.putIfAbsent(name, st.number());
        }
        for (String name : values.keySet()) {
            if (Ops.FUNCTIONS.containsKey(name)) {
                errors.add(new FieldError("values." + name, name + " is a function's name and cannot name a value; rename it"));
            } else if (name.equals(INF)) {
                errors.add(new FieldError("values." + name, "inf is the constant ∞ and cannot name a value; rename it"));
            } else if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
                errors.add(new FieldError("values." + Expression.abbreviate(name), "\"" + Expression.abbreviate(name)
                        + "\" is not a name: names are letters, digits and _, starting with a letter"));
            }
        }
        // every name used, in order, against values and statements; every call's op built from its constants
        Set<String> used = new LinkedHashSet<>();
        for (Expression.Statement st : statements) {
            names(st.expr(), used, st, errors);
        }
        for (String name : values.keySet()) {
            if (!used.contains(name) && !assignedIn.containsKey(name)) {
                errors.add(new FieldError("values." + name, name + " is given but the expression never uses it"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        taken.addAll(values.keySet());
        taken.addAll(assignedIn.keySet());
        values.forEach((name, value) -> defined.put(name, builder.input(name, value)));
        int output = -1;
        for (Expression.Statement st : statements) {
            current = st;
            String name = st.name() == null ? "f" : st.name();
            int count = assignments.merge(name, 1, Integer::sum);
            String own = count == 1 ? name : name + "#" + count;
            taken.add(own);
            output = root(st.expr(), own);
            defined.put(name, output);
        }
        Graph graph = builder.build();
        Graph.Node out = graph.node(output);
        if (out.value().rank() != 0) {
            throw new InvalidRequestException(List.of(new FieldError("expression", out.name() + " is " + Ops.kind(out.value())
                    + "; only a scalar output has a gradient: wrap it in sum(...)")));
        }
        return new Compiled(graph, output);
    }

    /** Collects the names an expression reads, with an error for each it cannot have, and builds its calls' ops. */
    private void names(Expression.Expr e, Set<String> used, Expression.Statement st, List<FieldError> errors) {
        // an explicit stack: a 2,000-term sum is a 2,000-deep tree
        List<Expression.Expr> stack = new ArrayList<>(List.of(e));
        while (!stack.isEmpty()) {
            Expression.Expr x = stack.remove(stack.size() - 1);
            if (x instanceof Expression.Name n) {
                name(n, used, st, errors);
            } else if (x instanceof Expression.Call c) {
                call(c, st, errors);
            }
            List<Expression.Expr> children = children(x);
            for (int i = children.size() - 1; i >= 0; i--) {
                stack.add(children.get(i)); // the leftmost on top: names are read in the order written
            }
        }
    }

    private void name(Expression.Name n, Set<String> used, Expression.Statement st, List<FieldError> errors) {
        String name = n.name();
        Integer at = assignedIn.get(name);
        if (Ops.FUNCTIONS.containsKey(name)) {
            errors.add(syntax(st, n.start(), name + " is a function: write " + name + "(…)"));
        } else if (at != null && at >= st.number() && !values.containsKey(name)) {
            errors.add(syntax(st, n.start(), at == st.number() ? name + " is used in the statement that assigns it"
                    : name + " is used before statement " + at + " assigns it"));
        } else if (at == null && !values.containsKey(name)) {
            errors.add(new FieldError("values." + name, "statement " + st.number() + " (" + Expression.abbreviate(st.text())
                    + ") uses " + name + ", which is neither in values nor assigned by an earlier statement"));
        }
        used.add(name);
    }

    /** Builds a call's op from its constants and keywords, or says why it cannot be. */
    private void call(Expression.Call c, Expression.Statement st, List<FieldError> errors) {
        if (!Ops.FUNCTIONS.containsKey(c.function())) {
            errors.add(syntax(st, c.start(), "there is no function " + c.function() + "; the functions are "
                    + String.join(", ", Ops.FUNCTIONS.keySet())));
            return;
        }
        Op op;
        try {
            op = build(c);
        } catch (Ops.BadCall bad) {
            int column = c.start();
            for (Expression.Keyword k : c.keywords()) {
                if (k.name().equals(bad.keyword())) {
                    column = k.start();
                }
            }
            errors.add(syntax(st, column, bad.getMessage()));
            return;
        }
        if (op.arity() != c.args().size()) {
            errors.add(syntax(st, c.start(), c.function() + " takes " + op.arity() + (op.arity() == 1 ? " argument" : " arguments")
                    + ", not " + c.args().size()));
            return;
        }
        calls.put(c, op);
    }

    /** A call's op, from its constants and keywords. */
    private static Op build(Expression.Call c) {
        List<Double> constants = new ArrayList<>();
        for (Expression.Expr a : c.args()) {
            constants.add(constant(a));
        }
        Map<String, Object> keywords = new LinkedHashMap<>();
        for (Expression.Keyword k : c.keywords()) {
            keywords.put(k.name(), k.value());
        }
        return Ops.build(new Ops.Call(c.function(), constants, keywords));
    }

    /**
     * The names the statements read as integers — inside {@code [...]}, or where a function takes an index (pick's
     * labels, a loss's classes) — found from the text alone, nothing computed: what an example's variants keep.
     */
    static Set<String> indexNames(List<Expression.Statement> statements) {
        Set<String> out = new LinkedHashSet<>();
        visit(statements, x -> {
            if (x instanceof Expression.Subscript s) {
                for (Expression.Item item : s.items()) {
                    if (item instanceof Expression.IndexName in) {
                        out.add(in.name().name());
                    }
                }
            } else if (x instanceof Expression.Call c) {
                Op op = null;
                try {
                    op = Ops.FUNCTIONS.containsKey(c.function()) ? build(c) : null;
                } catch (Ops.BadCall bad) {
                    // not a valid call: compiling the request says so
                }
                for (int k = 0; op != null && k < c.args().size() && k < op.arity(); k++) {
                    if (op.isIndex(k) && c.args().get(k) instanceof Expression.Name n) {
                        out.add(n.name());
                    }
                }
            }
        });
        return out;
    }

    /** How many calls of these functions the statements make, from the text alone. */
    static long calls(List<Expression.Statement> statements, Set<String> functions) {
        long[] n = {0};
        visit(statements, x -> n[0] += x instanceof Expression.Call c && functions.contains(c.function()) ? 1 : 0);
        return n[0];
    }

    /** Every sub-expression of the statements, each once (an explicit stack: a 2,000-term sum is 2,000 deep). */
    private static void visit(List<Expression.Statement> statements, java.util.function.Consumer<Expression.Expr> visitor) {
        List<Expression.Expr> stack = new ArrayList<>();
        for (Expression.Statement st : statements) {
            stack.add(st.expr());
        }
        while (!stack.isEmpty()) {
            Expression.Expr x = stack.remove(stack.size() - 1);
            visitor.accept(x);
            stack.addAll(children(x));
        }
    }

    /** The sub-expressions {@code x} reads, left to right: operands, arguments, a subscript's base then its index names. */
    private static List<Expression.Expr> children(Expression.Expr x) {
        if (x instanceof Expression.Call c) {
            return c.args();
        } else if (x instanceof Expression.Binary b) {
            return List.of(b.left(), b.right());
        } else if (x instanceof Expression.Comparison c) {
            return List.of(c.left(), c.right());
        } else if (x instanceof Expression.Neg n) {
            return List.of(n.operand());
        } else if (x instanceof Expression.Transpose t) {
            return List.of(t.operand());
        } else if (x instanceof Expression.Power p) {
            return List.of(p.base());
        } else if (x instanceof Expression.Subscript s) {
            List<Expression.Expr> out = new ArrayList<>(List.of(s.base()));
            for (Expression.Item item : s.items()) {
                if (item instanceof Expression.IndexName in) {
                    out.add(in.name());
                }
            }
            return out;
        }
        return List.of();
    }

    /** The value of a numeric constant ({@code 2}, {@code -1}, {@code inf}, {@code -inf}), else null. */
    private static Double constant(Expression.Expr e) {
        if (e instanceof Expression.Num n) {
            return n.value();
        }
        if (e instanceof Expression.Neg n) {
            Double v = constant(n.operand());
            return v == null ? null : -v;
        }
        return null;
    }

    private static FieldError syntax(Expression.Statement st, int column, String what) {
        return new FieldError("expression", "statement " + st.number() + " (" + Expression.abbreviate(st.text()) + "), column "
                + (column + 1) + ": " + what);
    }

    /** The node of each unnamed sub-expression already built (see {@link #operandsFirst}). */
    private final java.util.IdentityHashMap<Expression.Expr, Integer> built = new java.util.IdentityHashMap<>();

    /**
     * The statement's own node: a new node even when the expression is a bare name or a number, so that every
     * statement's name (a named constant {@code a = 2}, an output {@code f = 3}) has a forward value.
     */
    private int root(Expression.Expr e, String name) {
        if (e instanceof Expression.Name n) {
            return apply(name, Ops.identity(), List.of(defined.get(n.name())), "", List.of(n), n.start());
        }
        Double c = constant(e);
        if (c != null) {
            // a named number (a = 2, or an output f = 3) is a node of its own over the constant, so its name has a
            // forward value and can be graded
            return apply(name, Ops.identity(), List.of(builder.constant(literal(e), c)), "", List.of(e), e.start());
        }
        operandsFirst(e);
        return node(e, name);
    }

    /**
     * Builds every operand's node below {@code root} before {@code root}'s own, without recursion: a post-order
     * walk with an explicit stack, left to right as {@link #node} would recurse, so the nodes and their names come
     * out in the same order, and a chain up to the node limit ({@code x.T.T…}, {@code x + x + …}) needs no deep
     * stack. {@link #node} then finds each operand built.
     */
    private void operandsFirst(Expression.Expr root) {
        List<Expression.Expr> order = new ArrayList<>();
        List<Expression.Expr> stack = new ArrayList<>(operandsOf(root));
        while (!stack.isEmpty()) {
            Expression.Expr x = stack.remove(stack.size() - 1);
            order.add(x);
            stack.addAll(operandsOf(x));
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            node(order.get(i), null);
        }
    }

    /** The sub-expressions {@link #node} builds nodes for before {@code e}'s own, left to right. */
    private List<Expression.Expr> operandsOf(Expression.Expr e) {
        if (e instanceof Expression.Name || constant(e) != null) {
            return List.of();
        }
        if (e instanceof Expression.Binary b) {
            return List.of(b.left(), b.right());
        }
        if (e instanceof Expression.Comparison c) {
            return List.of(c.left(), c.right());
        }
        if (e instanceof Expression.Neg n) {
            return List.of(n.operand());
        }
        if (e instanceof Expression.Transpose t) {
            return List.of(t.operand());
        }
        if (e instanceof Expression.Power p) {
            return List.of(p.base());
        }
        if (e instanceof Expression.Subscript s) {
            return List.of(s.base());
        }
        return ((Expression.Call) e).args();
    }

    private int node(Expression.Expr e, String name) {
        if (e instanceof Expression.Name n) {
            return defined.get(n.name());
        }
        Integer done = name == null ? built.get(e) : null;
        if (done != null) {
            return done;
        }
        int index = build(e, name);
        if (name == null) {
            built.put(e, index);
        }
        return index;
    }

    private int build(Expression.Expr e, String name) {
        Double c = constant(e);
        if (c != null) {
            return builder.constant(literal(e), c);
        }
        if (e instanceof Expression.Binary b) {
            int left = node(b.left(), null);
            int right = node(b.right(), null);
            Op op = switch (b.op()) {
                case '+' -> Ops.add();
                case '-' -> Ops.sub();
                case '*' -> Ops.mul();
                case '/' -> Ops.div();
                default -> Ops.matmul();
            };
            return apply(name, op, List.of(left, right), String.valueOf(b.op()), List.of(b.left(), b.right()), b.at());
        }
        if (e instanceof Expression.Comparison cmp) {
            int left = node(cmp.left(), null);
            int right = node(cmp.right(), null);
            return apply(name, Ops.compare(cmp.op()), List.of(left, right), cmp.op(), List.of(cmp.left(), cmp.right()), cmp.at());
        }
        if (e instanceof Expression.Neg n) {
            return apply(name, Ops.neg(), List.of(node(n.operand(), null)), "unary -", List.of(n.operand()), n.start());
        }
        if (e instanceof Expression.Transpose t) {
            return apply(name, Ops.transpose(), List.of(node(t.operand(), null)), ".T", List.of(t.operand()), t.start());
        }
        if (e instanceof Expression.Power p) {
            return apply(name, Ops.pow(p.exponent()), List.of(node(p.base(), null)), "^", List.of(p.base()), p.start());
        }
        if (e instanceof Expression.Subscript s) {
            return subscript(s, name);
        }
        Expression.Call call = (Expression.Call) e;
        List<Integer> args = new ArrayList<>();
        for (Expression.Expr a : call.args()) {
            args.add(node(a, null));
        }
        return apply(name, calls.get(call), args, FUNCTION + call.function(), call.args(), call.start());
    }

    /** {@code X[…]}: the operand, then the index inputs the subscript names. */
    private int subscript(Expression.Subscript s, String name) {
        List<Indexing.Item> items = new ArrayList<>();
        List<Integer> inputs = new ArrayList<>(List.of(node(s.base(), null)));
        List<Expression.Expr> operands = new ArrayList<>(List.of(s.base()));
        for (Expression.Item item : s.items()) {
            if (item instanceof Expression.At at) {
                items.add(new Indexing.At(at.index()));
            } else if (item instanceof Expression.Slice sl) {
                items.add(new Indexing.Slice(sl.from(), sl.to()));
            } else {
                Expression.Name n = ((Expression.IndexName) item).name();
                items.add(new Indexing.Index());
                inputs.add(defined.get(n.name()));
                operands.add(n);
            }
        }
        return apply(name, Ops.subscript(items), inputs, SUBSCRIPT, operands, s.start());
    }

    private int apply(String name, Op op, List<Integer> inputs, String operator, List<Expression.Expr> operands, int column) {
        Tensor[] in = new Tensor[inputs.size()];
        String[] labels = new String[inputs.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = builder.node(inputs.get(i)).value();
            labels[i] = label(operands.get(i));
            use(op, i, builder.node(inputs.get(i)), operands.get(i), operator);
        }
        String wrong = op.shapeError(in, labels);
        if (wrong != null) {
            throw new InvalidRequestException(List.of(new FieldError("expression", Expression.abbreviate(current.text()) + ": " + wrong
                    + " (statement " + current.number() + ", " + (operator.startsWith(FUNCTION) || operator.equals(SUBSCRIPT) ? "" : "operator ")
                    + operator + ", column " + (column + 1) + ")")));
        }
        deadline.check(); // between ops
        // the op's work on these operands, priced before it runs, in the cost model's units (a multiply-add is
        // MULTIPLY_ADD units)
        long work = Cost.units((builder.work() + op.work(in)) * CostModel.MULTIPLY_ADD);
        if (work > maxWork) {
            throw new LimitExceededException("chainrule.limits.max-work", maxWork, work, "expression",
                    "computing the graph's values and gradients would take work units");
        }
        List<String> names = new ArrayList<>();
        for (int i : inputs) {
            names.add(builder.node(i).name());
        }
        String own = name != null ? name : autoName();
        String expression = op.apply(names.stream().map(GraphCompiler::sym).toList()).text();
        return builder.apply(own, op, inputs, expression);
    }

    /**
     * An index slot takes an input given in values, or a whole-number constant; an input read as an index is never
     * also used in arithmetic.
     */
    private void use(Op op, int slot, Graph.Node operand, Expression.Expr expr, String operator) {
        boolean index = op.isIndex(slot);
        String how = operator.equals(SUBSCRIPT) ? "inside [...]"
                : operator.startsWith(FUNCTION) ? "as an index of " + operator.substring(FUNCTION.length()) : "with " + operator;
        if (index && operand.kind() == Graph.Kind.OP) {
            throw new InvalidRequestException(List.of(syntax(current, expr.start(), label(expr) + " is read " + how
                    + ", so it must be an index input given in values (integers) or a whole-number constant, not a computed value")));
        }
        if (operand.kind() != Graph.Kind.INPUT) {
            return;
        }
        Use first = uses.get(operand.name());
        if (first == null) {
            uses.put(operand.name(), new Use(index, current, expr.start(), how));
        } else if (first.index() != index) {
            Use indexUse = index ? new Use(true, current, expr.start(), how) : first;
            Use other = index ? first : new Use(false, current, expr.start(), how);
            throw new InvalidRequestException(List.of(syntax(other.statement(), other.column(), operand.name()
                    + " is an index input (statement " + indexUse.statement().number() + " reads it " + indexUse.how()
                    + ") and cannot also be used in arithmetic")));
        }
    }

    private static Formula sym(String name) {
        return new Formula.Sym(name);
    }

    private String label(Expression.Expr e) {
        return Expression.abbreviate(current.text().substring(e.start(), Math.min(e.end(), current.text().length())));
    }

    private String literal(Expression.Expr n) {
        return current.text().substring(n.start(), n.end()).replace(" ", "");
    }

    private String autoName() {
        String name;
        do {
            name = "t" + nextAuto++;
        } while (taken.contains(name));
        return name;
    }

    /** The values in the order given, for tests. */
    static Map<String, Tensor> ordered(Map<String, Tensor> values) {
        return new LinkedHashMap<>(values);
    }
}
