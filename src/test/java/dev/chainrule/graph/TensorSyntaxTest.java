package dev.chainrule.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.engine.Graph;
import dev.chainrule.engine.NonFiniteException;
import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.InvalidRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tensor language's syntax and what it means: keyword arguments, method calls, {@code **}, subscripts,
 * comparisons, {@code inf}, names assigned again, index inputs and constants (no gradient, no step), and the errors
 * for each, naming the statement, the function and the column.
 */
class TensorSyntaxTest {

    private static GraphSolver.Solution solve(String expression, String values) {
        return GraphCases.solve("{\"expression\": \"" + expression.replace("\n", "\\n") + "\", \"values\": " + values + "}");
    }

    private static double f(String expression, String values) {
        return solve(expression, values).outputNode().value().item();
    }

    private static FieldError error(String expression, String values) {
        try {
            solve(expression, values);
        } catch (InvalidRequestException e) {
            return e.errors().get(0);
        }
        throw new AssertionError("no error for " + expression);
    }

    private static final String X = "{\"X\": [[1, -2, 3], [4, 5, -6]]}";

    @Test
    void aMethodCallIsTheFunctionWithItsReceiverFirst() {
        assertThat(f("f = dot(X.sum(axis=0), X.sum(axis=0))", X)).isEqualTo(f("f = dot(sum(X, axis=0), sum(X, axis=0))", X));
        assertThat(f("f = (X * 2).relu().sum()", X)).isEqualTo(2 * (1 + 3 + 4 + 5));
        GraphSolver.Solution s = solve("f = X.max(axis=1, keepdims=true).sum()", X);
        assertThat(s.graph().node(1).expression()).isEqualTo("max(X, axis=1, keepdims=true)");
        assertThat(s.graph().node(1).value().shape()).containsExactly(2, 1);
    }

    @Test
    void starStarIsCaret() {
        assertThat(f("f = x ** 3", "{\"x\": 2}")).isEqualTo(8.0);
        assertThat(f("f = x**-1 * 2 ** 2", "{\"x\": 4}")).isEqualTo(1.0);
        assertThat(f("f = 2 * x ** 2", "{\"x\": 3}")).isEqualTo(18.0);
    }

    @Test
    void keywordsComeAfterPositionalArgumentsAndAreConstants() {
        assertThat(f("f = sum(mean(X, axis=-1, keepdims=false))", X)).isCloseTo(2.0 / 3 + 1.0, within(1e-15));
        assertThat(error("f = sum(X, axis=0, 1)", X).message()).contains("column 20: a positional argument cannot follow a keyword");
        assertThat(error("f = sum(X, axis=y)", X).message()).contains("column 17: the value of axis= must be a number, true or false");
        assertThat(error("f = sum(X, axis=0, axis=1)", X).message()).contains("axis is given twice");
        assertThat(error("f = sum(X, keepdims=1)", X).message()).contains("column 12: sum: keepdims must be true or false, not 1");
        assertThat(error("f = exp(X, axis=0).sum()", X).message()).contains("exp: axis is not a keyword of exp, which takes none");
        assertThat(error("f = max(X, X, axis=0).sum()", X).message()).contains("max: axis applies to max of one tensor");
    }

    @Test
    void aSubscriptBindsTighterThanMinusAndPower() {
        assertThat(f("f = -X[0, 1]^2", X)).isEqualTo(-4.0);
        assertThat(f("f = X[-1, -1] + X[1][0]", X)).isEqualTo(-2.0);
        assertThat(f("f = sum(X[:, 1:])", X)).isEqualTo(-2 + 3 + 5 - 6);
        assertThat(f("f = sum(X[:, :-1])", X)).isEqualTo(1 - 2 + 4 + 5);
        assertThat(error("f = X[0, 1.5]", X).message()).contains("column 10: a subscript takes whole numbers");
        assertThat(error("f = X[0, 3]", X).message())
                .contains("index 3 is out of range for X's 3 columns (-3 to 2) (statement 1, subscript […], column 5)");
        assertThat(error("f = sum(X[0", X).message()).contains("expected , or ] to close the [ at column 10");
    }

    @Test
    void comparisonsAreLoosestAndGiveConstantMasks() {
        GraphSolver.Solution s = solve("m = X + 1 > 2\nf = sum(where(m, X, 0.5 * X))", X);
        assertThat(s.forward().get("m").toArray()).containsExactly(0, 0, 1, 1, 1, 0);
        assertThat(s.gradients()).doesNotContainKey("m").containsKey("X");
        assertThat(s.gradients().get("X").toArray()).containsExactly(0.5, 0.5, 1, 1, 1, 0.5);
        assertThat(s.backward().edges()).noneMatch(e -> s.graph().node(e.to()).name().equals("m"));
        assertThat(f("f = sum(X >= 3) + sum(X <= -2) + sum(X == 5) + sum(X < 0)", X)).isEqualTo(3 + 2 + 1 + 2);
        assertThat(error("f = sum(X > 0 == 1)", X).message()).contains("comparisons do not chain");
    }

    @Test
    void infMasksBeforeASoftmax() {
        GraphSolver.Solution s = solve("P = softmax(where(M, X, -inf), axis=1)\nf = sum(P * X)",
                "{\"M\": [[1, 1, 0], [0, 1, 1]], \"X\": [[1, -2, 3], [4, 5, -6]]}");
        assertThat(s.forward().get("P").get(2)).isEqualTo(0.0);
        assertThat(s.forward().get("t1").get(2)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(s.gradients().get("M").toArray()).containsOnly(0.0); // only a condition: nothing flows into it
        assertThat(s.graph().nodes().stream().filter(n -> n.kind() == Graph.Kind.CONST).map(Graph.Node::name)).containsExactly("-inf");
    }

    @Test
    void aNameAssignedAgainIsANodeOfItsOwnEachTime() {
        GraphSolver.Solution s = solve("c = a + b\nc += c + 1\nc *= 2\nc @= W\nf = sum(c)", "{\"a\": [1, 2], \"b\": [3, 4], \"W\": [[1, 0], [0, 1]]}");
        assertThat(s.graph().nodes().stream().map(Graph.Node::name).filter(n -> n.startsWith("c")))
                .containsExactly("c", "c#2", "c#3", "c#4");
        assertThat(s.forward().get("c#3").toArray()).containsExactly(18, 26);
        assertThat(s.gradients()).containsKeys("c", "c#2", "c#3");
        assertThat(s.gradients().get("c").toArray()).containsExactly(4, 4); // c feeds c#2 twice, each ×2
        GraphSolver.Solution micrograd = solve("c = a + b\nd = a * b + b**3\nc += c + 1\nc += 1 + c + (-a)\n"
                + "d += d * 2 + (b + a).relu()\nd += 3 * d + (b - a).relu()\ne = c - d\nf = e**2\ng = f / 2.0\ng += 10.0 / f",
                "{\"a\": -4, \"b\": 2}");
        assertThat(micrograd.outputNode().name()).isEqualTo("g#2");
        assertThat(micrograd.outputNode().value().item()).isCloseTo(24.70408163265306, within(1e-12));
        assertThat(micrograd.gradients().get("a").item()).isCloseTo(138.83381924198252, within(1e-10));
        assertThat(micrograd.gradients().get("b").item()).isCloseTo(645.5772594752186, within(1e-10));
        assertThat(error("c += 1\nf = c", "{}").message()).contains("c is used in the statement that assigns it");
    }

    @Test
    void anIndexInputHasAValueButNoGradient() {
        GraphSolver.Solution s = solve("E = L[w]\nf = sum(E * E) + sum(pick(L, y))",
                "{\"L\": [[1, 2], [3, 4], [5, 6]], \"w\": [0, 2, 0], \"y\": [1, 0, 1]}");
        assertThat(s.forward()).containsKeys("w", "y");
        assertThat(s.gradients()).doesNotContainKeys("w", "y");
        assertThat(s.gradients().get("L").toArray()).containsExactly(4, 8 + 1, 1, 0, 10 + 0, 12 + 1);
        assertThat(s.backward().edges()).noneMatch(e -> List.of("w", "y").contains(s.graph().node(e.to()).name()));
    }

    @Test
    void anIndexIsAnIntegerInRangeAndNeverArithmetic() {
        String values = "{\"L\": [[1, 2], [3, 4]], \"i\": %s}";
        assertThat(error("f = sum(L[i])", values.formatted("2.5")).message()).contains("i = 2.5 is not an integer");
        assertThat(error("f = sum(L[i])", values.formatted("[0, 2]")).message()).contains("i[1] = 2 is out of range for L's 2 rows (-2 to 1)");
        assertThat(f("f = sum(L[i])", values.formatted("-1"))).isEqualTo(7.0);
        assertThat(f("f = sum(L[i])", values.formatted("1.0"))).isEqualTo(7.0);
        assertThat(error("e = L[i]\nf = sum(e) * i", values.formatted("1")).message())
                .isEqualTo("statement 2 (f = sum(e) * i), column 14: i is an index input (statement 1 reads it inside [...]) and cannot"
                        + " also be used in arithmetic");
        assertThat(error("j = i\nf = sum(L[j])", values.formatted("1")).message()).contains("j is read inside [...], so it must be an index input");
        assertThat(error("f = sum(pick(L, i + 1))", values.formatted("[0, 1]")).message())
                .contains("column 17: i + 1 is read as an index of pick, so it must be an index input");
        assertThat(error("f = sum(L[i, k])", "{\"L\": [[1, 2], [3, 4]], \"i\": [0, 1], \"k\": [1, 1]}").message())
                .contains("at most one index input in a subscript may hold more than one position");
    }

    @Test
    void numbersAndIndexInputsAreNeverNodesOfGradientsNorSteps() {
        GraphSolver.Solution s = solve("f = sum(reshape(X * 2, 3, -1)[i] + 1)", "{\"X\": [[1, -2, 3], [4, 5, -6]], \"i\": 1}");
        assertThat(s.gradients().keySet()).containsExactly("X", "t1", "t2", "t3", "t4", "f");
        assertThat(s.forward()).doesNotContainKeys("2", "3", "-1", "1");
        assertThat(s.backward().edges()).allMatch(e -> s.graph().node(e.to()).kind() != Graph.Kind.CONST && !s.graph().node(e.to()).name().equals("i"));
        assertThat(s.graph().nodes().stream().filter(n -> n.kind() == Graph.Kind.CONST).map(Graph.Node::name))
                .containsExactly("2", "3", "-1", "1");
    }

    @Test
    void broadcastingFollowsNumPyAndSaysHowTheGradientComesBack() {
        GraphSolver.Solution s = solve("Y = X + b\nf = sum(Y * c)", "{\"X\": [[1, 2, 3], [4, 5, 6]], \"b\": [1, 0, -1], \"c\": [[2], [3]]}");
        assertThat(s.gradients().get("b").toArray()).containsExactly(5, 5, 5);
        assertThat(s.gradients().get("c").shape()).containsExactly(2, 1);
        assertThat(s.gradients().get("c").toArray()).containsExactly(2 + 2 + 2, 5 + 5 + 5);
        Graph.Node y = s.graph().node(3);
        assertThat(GraphAnswer.local(s.graph(), y, 1).text()).isEqualTo("I (summed over axis 0: b was broadcast to 2×3)");
        assertThat(error("f = sum(X + b)", "{\"X\": [[1, 2, 3], [4, 5, 6]], \"b\": [1, 0]}").message())
                .startsWith("f = sum(X + b): X is 2×3 but b is 2: + needs shapes that broadcast");
    }

    @Test
    void valuesOfRankThreeAndFourAreRectangular() {
        GraphSolver.Solution s = solve("f = sum(x * x)", "{\"x\": [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]}");
        assertThat(s.forward().get("x").shape()).containsExactly(2, 2, 2);
        assertThat(s.outputNode().value().item()).isEqualTo(204.0);
        assertThat(f("f = sum(x)", "{\"x\": [[[[1], [2]]], [[[3], [4]]]]}")).isEqualTo(10.0);
        FieldError ragged = error("f = sum(x)", "{\"x\": [[[1, 2], [3, 4]], [[5, 6], [7]]]}");
        assertThat(ragged.path()).isEqualTo("values.x[1][1]");
        assertThat(ragged.message()).isEqualTo("expected a row of 2 numbers like row 0, but got a row of 1");
        assertThat(error("f = sum(x)", "{\"x\": [[[[[1]]]]]}").message()).contains("at most 4 axes");
    }

    @Test
    void anInfinityMayPassThroughButNotReachTheOutputNorBeMadeFromFiniteValues() {
        NonFiniteException atOutput = assertThrows(NonFiniteException.class, () -> solve("f = sum(where(M, X, -inf))", "{\"M\": [1, 0], \"X\": [1, 2]}"));
        assertThat(atOutput.quantity()).isEqualTo("forward.f");
        NonFiniteException made = assertThrows(NonFiniteException.class, () -> solve("y = log(x)\nf = sum(exp(y))", "{\"x\": [1, 0]}"));
        assertThat(made.quantity()).isEqualTo("forward.y");
        NonFiniteException nan = assertThrows(NonFiniteException.class, () -> solve("f = sum(where(M, X, -inf) * 0)", "{\"M\": [1, 0], \"X\": [1, 2]}"));
        assertThat(nan.quantity()).isEqualTo("forward.t2");
    }
}
