package dev.chainrule.graph;

import dev.chainrule.budget.Cost;
import dev.chainrule.budget.CostModel;
import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.Graph;
import dev.chainrule.engine.Op;
import dev.chainrule.engine.Ops;
import dev.chainrule.engine.Tensor;
import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.FieldErrors;
import dev.chainrule.errors.InvalidRequestException;
import dev.chainrule.errors.LimitExceededException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns parsed statements and the given values into a computed {@link Graph}: inputs first (in the order of
 * {@code values}), then each sub-expression as a node, named by its statement or {@code t1, t2, …} in the order
 * computed (skipping names the user took). Checks names (unknown, unused, taken twice, a function's name) and the
 * operands' shapes, naming the statement and the operator.
 */
final class GraphCompiler {

    /** The computed graph and which node is the output. */
    record Compiled(Graph graph, int output) {
        Graph.Node outputNode() {
            return graph.node(output);
        }
    }

    private final List<Expression.Statement> statements;
    private final Map<String, Tensor> values;
    private final long maxWork;
    private final Deadline deadline;
    private final Graph.Builder builder = new Graph.Builder();
    private final Map<String, Integer> defined = new HashMap<>();
    private final Set<String> taken = new HashSet<>();
    private final Map<String, Integer> assignedIn = new HashMap<>();
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
        // bounded (FieldErrors): a statement per line of a 100,000-character expression finds at most fifty listed
        List<FieldError> errors = new FieldErrors();
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
            } else if (assignedIn.containsKey(name)) {
                errors.add(new FieldError("expression", "statement " + st.number() + ": " + Expression.abbreviate(name) + " is already assigned by statement "
                        + assignedIn.get(name) + "; each name is assigned once"));
            } else if (values.containsKey(name)) {
                errors.add(new FieldError("values." + name, Expression.abbreviate(name) + " is given in values but statement " + st.number()
                        + " assigns it; a name is either an input or a node"));
            }
            assignedIn.putIfAbsent(name, st.number());
        }
        for (String name : values.keySet()) {
            if (Ops.FUNCTIONS.containsKey(name)) {
                errors.add(new FieldError("values." + name, name + " is a function's name and cannot name a value; rename it"));
            } else if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
                errors.add(new FieldError("values." + Expression.abbreviate(name), "\"" + Expression.abbreviate(name)
                        + "\" is not a name: names are letters, digits and _, starting with a letter"));
            }
        }
        // every name used, in order, against values and statements
        Set<String> used = new LinkedHashSet<>();
        for (Expression.Statement st : statements) {
            names(st.expr(), used, st, errors);
        }
        for (String name : values.keySet()) {
            if (!used.contains(name) && !assignedIn.containsKey(name)) {
                errors.add(new FieldError("values." + name, Expression.abbreviate(name) + " is given but the expression never uses it"));
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
            output = root(st.expr(), name);
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

    /** Collects the names an expression reads, with an error for each it cannot have. */
    private void names(Expression.Expr e, Set<String> used, Expression.Statement st, List<FieldError> errors) {
        // an explicit stack: a 2,000-term sum is a 2,000-deep tree
        List<Expression.Expr> stack = new ArrayList<>(List.of(e));
        while (!stack.isEmpty()) {
            Expression.Expr x = stack.remove(stack.size() - 1);
            if (x instanceof Expression.Name n) {
                String name = n.name();
                String quoted = Expression.abbreviate(name);
                Integer at = assignedIn.get(name);
                if (Ops.FUNCTIONS.containsKey(name)) {
                    errors.add(syntax(st, n.start(), name + " is a function: write " + name + "(…)"));
                } else if (at != null && at >= st.number() && !values.containsKey(name)) {
                    errors.add(syntax(st, n.start(), at == st.number() ? quoted + " is used in the statement that assigns it"
                            : quoted + " is used before statement " + at + " assigns it"));
                } else if (at == null && !values.containsKey(name)) {
                    errors.add(new FieldError("values." + name, "statement " + st.number() + " (" + Expression.abbreviate(st.text())
                            + ") uses " + quoted + ", which is neither in values nor assigned by an earlier statement"));
                }
                used.add(name);
            } else if (x instanceof Expression.Call c) {
                Op op = Ops.FUNCTIONS.get(c.function());
                if (op == null) {
                    errors.add(syntax(st, c.start(), "there is no function " + Expression.abbreviate(c.function()) + "; the functions are "
                            + String.join(", ", Ops.FUNCTIONS.keySet())));
                } else if (op.arity() != c.args().size()) {
                    errors.add(syntax(st, c.start(), c.function() + " takes " + op.arity() + (op.arity() == 1 ? " argument" : " arguments")
                            + ", not " + c.args().size()));
                }
                for (int i = c.args().size() - 1; i >= 0; i--) {
                    stack.add(c.args().get(i));
                }
            } else if (x instanceof Expression.Binary b) {
                stack.add(b.right());
                stack.add(b.left());
            } else if (x instanceof Expression.Neg n) {
                stack.add(n.operand());
            } else if (x instanceof Expression.Transpose t) {
                stack.add(t.operand());
            } else if (x instanceof Expression.Power p) {
                stack.add(p.base());
            }
        }
    }

    private static FieldError syntax(Expression.Statement st, int column, String what) {
        return new FieldError("expression", "statement " + st.number() + " (" + Expression.abbreviate(st.text()) + "), column "
                + (column + 1) + ": " + what);
    }

    /**
     * The statement's own node: a new node even when the expression is a bare name or a number, so that every
     * statement's name (a named constant {@code a = 2}, an output {@code f = 3}) has a forward value and a gradient.
     */
    private int root(Expression.Expr e, String name) {
        if (e instanceof Expression.Name n) {
            return apply(name, Ops.identity(), List.of(defined.get(n.name())), "", List.of(n));
        }
        if (e instanceof Expression.Num n) {
            return apply(name, Ops.identity(), List.of(builder.constant(literal(n), n.value())), "", List.of(n));
        }
        return node(e, name);
    }

    /**
     * Builds the nodes of {@code root} and its sub-expressions, operands before the operation and left before right
     * (the order that numbers the {@code t1, t2, …}), by an explicit stack: a chain such as {@code x.T.T…} or a
     * 2,000-term sum is a tree as deep as it is long. Only the root gets {@code name}.
     */
    private int node(Expression.Expr root, String name) {
        List<Expression.Expr> pending = new ArrayList<>(List.of(root));
        List<Boolean> expanded = new ArrayList<>(List.of(false));
        int[] built = new int[16]; // the nodes of the operands built so far, innermost last
        int size = 0;
        while (!pending.isEmpty()) {
            int top = pending.size() - 1;
            Expression.Expr e = pending.get(top);
            List<Expression.Expr> operands = operands(e);
            if (!operands.isEmpty() && !expanded.get(top)) {
                expanded.set(top, true);
                for (int i = operands.size() - 1; i >= 0; i--) {
                    pending.add(operands.get(i));
                    expanded.add(false);
                }
                continue;
            }
            pending.remove(top);
            expanded.remove(top);
            int[] in = new int[operands.size()];
            size -= in.length;
            System.arraycopy(built, size, in, 0, in.length);
            int index = build(e, e == root ? name : null, in);
            if (size == built.length) {
                built = java.util.Arrays.copyOf(built, 2 * size);
            }
            built[size++] = index;
        }
        return built[0];
    }

    /** The sub-expressions an expression applies its operator to, in order; none for a name or a number. */
    private static List<Expression.Expr> operands(Expression.Expr e) {
        if (e instanceof Expression.Binary b) {
            return List.of(b.left(), b.right());
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
        if (e instanceof Expression.Call c) {
            return c.args();
        }
        return List.of();
    }

    /** The node of one expression whose operands' nodes are {@code in}. */
    private int build(Expression.Expr e, String name, int[] in) {
        if (e instanceof Expression.Name n) {
            return defined.get(n.name());
        }
        if (e instanceof Expression.Num n) {
            return builder.constant(literal(n), n.value());
        }
        List<Integer> inputs = java.util.Arrays.stream(in).boxed().toList();
        if (e instanceof Expression.Binary b) {
            Op op = switch (b.op()) {
                case '+' -> Ops.add();
                case '-' -> Ops.sub();
                case '*' -> Ops.mul();
                case '/' -> Ops.div();
                default -> Ops.matmul();
            };
            return apply(name, op, inputs, String.valueOf(b.op()), operands(e));
        }
        if (e instanceof Expression.Neg) {
            return apply(name, Ops.neg(), inputs, "unary -", operands(e));
        }
        if (e instanceof Expression.Transpose) {
            return apply(name, Ops.transpose(), inputs, ".T", operands(e));
        }
        if (e instanceof Expression.Power p) {
            return apply(name, Ops.pow(p.exponent()), inputs, "^", operands(e));
        }
        Expression.Call c = (Expression.Call) e;
        return apply(name, Ops.FUNCTIONS.get(c.function()), inputs, c.function(), c.args());
    }

    private int apply(String name, Op op, List<Integer> inputs, String operator, List<Expression.Expr> operands) {
        Tensor[] in = new Tensor[inputs.size()];
        String[] labels = new String[inputs.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = builder.node(inputs.get(i)).value();
            labels[i] = label(operands.get(i));
        }
        String wrong = op.shapeError(in, labels);
        if (wrong != null) {
            throw new InvalidRequestException(List.of(new FieldError("expression", Expression.abbreviate(current.text()) + ": " + wrong
                    + " (statement " + current.number() + ", operator " + operator + ")")));
        }
        deadline.check(); // between ops
        // the products' real sizes, known only now, in the cost model's units (a multiply-add is MULTIPLY_ADD units)
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

    private static dev.chainrule.engine.Formula sym(String name) {
        return new dev.chainrule.engine.Formula.Sym(name);
    }

    private String label(Expression.Expr e) {
        return Expression.abbreviate(current.text().substring(e.start(), Math.min(e.end(), current.text().length())));
    }

    private String literal(Expression.Num n) {
        return current.text().substring(n.start(), n.end());
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
