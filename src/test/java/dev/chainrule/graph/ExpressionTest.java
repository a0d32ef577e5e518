package dev.chainrule.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.InvalidRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The expression syntax: precedence, associativity, names, and every kind of error message. */
class ExpressionTest {

    private static double f(String expression, String values) {
        return GraphCases.solve("{\"expression\": \"" + expression + "\", \"values\": " + values + "}").outputNode().value().item();
    }

    private static FieldError error(String expression, String values) {
        try {
            GraphCases.solve("{\"expression\": \"" + expression + "\", \"values\": " + values + "}");
        } catch (InvalidRequestException e) {
            return e.errors().get(0);
        }
        throw new AssertionError("no error for " + expression);
    }

    // ---- precedence and associativity ----

    @Test
    void timesBindsTighterThanPlus() {
        assertThat(f("f = 2 + 3 * x", "{\"x\": 4}")).isEqualTo(14.0);
        assertThat(f("f = (2 + 3) * x", "{\"x\": 4}")).isEqualTo(20.0);
    }

    @Test
    void minusAndDivideAreLeftAssociative() {
        assertThat(f("f = x - y - z", "{\"x\": 10, \"y\": 3, \"z\": 2}")).isEqualTo(5.0);
        assertThat(f("f = x / y / z", "{\"x\": 12, \"y\": 3, \"z\": 2}")).isEqualTo(2.0);
    }

    @Test
    void powerIsRightAssociativeAndBindsTighterThanUnaryMinus() {
        assertThat(f("f = x^3^2", "{\"x\": 2}")).isEqualTo(512.0);
        assertThat(f("f = -x^2", "{\"x\": 3}")).isEqualTo(-9.0);
        assertThat(f("f = (-x)^2", "{\"x\": 3}")).isEqualTo(9.0);
        assertThat(f("f = x^-1", "{\"x\": 4}")).isEqualTo(0.25);
        assertThat(f("f = x^0.5", "{\"x\": 9}")).isEqualTo(3.0);
    }

    @Test
    void matmulHasTheProductsPrecedenceAndTransposeBindsTightest() {
        // 2 * v @ w = (2v)·w; v.T @ w = v·w for vectors; A.T @ v reads Aᵀ v
        assertThat(f("f = 2 * v @ w + 1", "{\"v\": [1, 2], \"w\": [3, 4]}")).isEqualTo(23.0);
        assertThat(f("f = sum(A.T @ v)", "{\"A\": [[1, 2], [3, 4]], \"v\": [1, 0]}")).isEqualTo(3.0);
        assertThat(f("f = sum(transpose(A) @ v)", "{\"A\": [[1, 2], [3, 4]], \"v\": [1, 0]}")).isEqualTo(3.0);
    }

    @Test
    void statementsBySemicolonOrNewlineAndABareLastExpressionIsF() {
        GraphSolver.Solution s = GraphCases.solve("{\"expression\": \"a = x * 2; b = a + 1\\n\\n  a * b\", \"values\": {\"x\": 1}}");
        assertThat(s.outputNode().name()).isEqualTo("f");
        assertThat(s.outputNode().value().item()).isEqualTo(6.0);
    }

    @Test
    void unnamedSubExpressionsAreT1T2SkippingTakenNames() {
        GraphSolver.Solution s = GraphCases.solve("{\"expression\": \"t1 = x * x\\nf = exp(t1) + sin(x)\", \"values\": {\"x\": 0.5}}");
        assertThat(s.graph().nodes()).extracting(n -> n.name()).containsExactly("x", "t1", "t2", "t3", "f");
        assertThat(s.forward().get("f").item()).isCloseTo(Math.exp(0.25) + Math.sin(0.5), within(1e-15));
    }

    @Test
    void aNameAloneOrANumberIsANodeOfItsOwn() {
        GraphSolver.Solution s = GraphCases.solve("{\"expression\": \"a = x\\nc = 3\\nf = a * c\", \"values\": {\"x\": 2}}");
        assertThat(s.graph().nodes()).extracting(n -> n.name() + " " + n.opName())
                .containsExactly("x input", "a identity", "3 const", "c identity", "f mul");
        assertThat(s.gradients().get("x").item()).isEqualTo(3.0);
        // a named constant is a node with a forward value; computed from constants only, it is a constant itself
        // and has no gradient (tensor-contract.md: constants are never in gradients)
        assertThat(s.forward()).containsOnlyKeys("x", "a", "c", "f");
        assertThat(s.forward().get("c").item()).isEqualTo(3.0);
        assertThat(s.gradients()).containsOnlyKeys("x", "a", "f");
    }

    @Test
    void aConstantOutputIsInForwardWithItsGradient() {
        GraphSolver.Solution s = GraphCases.solve("{\"expression\": \"f = 3\"}");
        assertThat(s.forward()).containsOnlyKeys("f");
        assertThat(s.forward().get("f").item()).isEqualTo(3.0);
        assertThat(s.gradients().get("f").item()).isEqualTo(1.0);
    }

    @Test
    void aQuotientsSlopeIsFiniteWhereTheDivisorsSquareUnderflows() {
        // ∂(x/y)/∂y = −x/y² = −1e-300 / 1e-340 = −1e40, though y² = 1e-340 is below double precision
        GraphSolver.Solution s = GraphCases.solve("{\"expression\": \"f = x / y\", \"values\": {\"x\": 1e-300, \"y\": 1e-170}}");
        assertThat(s.gradients().get("y").item()).isCloseTo(-1e40, within(1e25));
        assertThat(s.gradients().get("x").item()).isCloseTo(1e170, within(1e155));
        // and where y² overflows: −1e300 / 1e400 = −1e-100
        GraphSolver.Solution big = GraphCases.solve("{\"expression\": \"f = x / y\", \"values\": {\"x\": 1e300, \"y\": 1e200}}");
        assertThat(big.gradients().get("y").item()).isCloseTo(-1e-100, within(1e-115));
    }

    // ---- errors ----

    @Test
    void separatorsAloneAreRefused() {
        FieldError e = error(";", "{}");
        assertThat(e.path()).isEqualTo("expression");
        assertThat(e.message()).startsWith("the expression holds no statement");
    }

    @Test
    void aNonAsciiLetterOrDigitIsRefusedAtItsColumn() {
        assertThat(error("a = x\\nf = a + xé", "{\"x\": 1}").message())
                .startsWith("statement 2 (f = a + xé), column 10: found \"é\" (U+00E9), which is not ASCII");
        assertThat(error("f = 1e٣", "{}").message()).contains("column 7: found \"٣\" (U+0663)");
        assertThat(error("f = 𝑥 + 1", "{}").message()).contains("column 5: found \"𝑥\" (U+1D465)");
    }

    @Test
    void aSyntaxErrorNamesTheStatementTheColumnAndWhatWasExpected() {
        FieldError e = error("a = x\\nf = a + * x", "{\"x\": 1}");
        assertThat(e.path()).isEqualTo("expression");
        assertThat(e.message()).isEqualTo("statement 2 (f = a + * x), column 9: expected a name, a number or ( but found \"*\"");
    }

    @Test
    void anUnclosedParenthesisSaysWhichOne() {
        assertThat(error("f = (x + 1", "{\"x\": 1}").message())
                .isEqualTo("statement 1 (f = (x + 1), column 11: expected ) to close the ( at column 5, but found the end of the statement");
    }

    @Test
    void aStrayClosingParenthesisOrEqualsSign() {
        assertThat(error("f = x)", "{\"x\": 1}").message()).contains("column 6: unexpected ): no ( is open here");
        assertThat(error("f = x = 1", "{\"x\": 1}").message()).contains("column 7: unexpected =");
    }

    @Test
    void anExponentMustBeAConstant() {
        assertThat(error("f = x^y", "{\"x\": 1, \"y\": 2}").message())
                .contains("column 7: the exponent of ^ must be a numeric constant");
    }

    @Test
    void anUnknownFunctionOrTheWrongNumberOfArguments() {
        assertThat(error("f = foo(x)", "{\"x\": 1}").message()).contains("column 5: there is no function foo; the functions are exp, log");
        assertThat(error("f = max(x, x, x)", "{\"x\": 1}").message()).contains("column 5: max: takes 1 argument (max(x), max(x, axis=1)) or 2 (max(a, b), element-wise), not 3");
        assertThat(error("f = dot(x)", "{\"x\": [1]}").message()).contains("column 5: dot takes 2 arguments, not 1");
    }

    @Test
    void aFunctionsNameCannotNameAValue() {
        assertThat(error("exp = x\\nf = exp", "{\"x\": 1}").message()).contains("exp is a function's name and cannot name a node");
        assertThat(error("f = sum + 1", "{\"sum\": 1}").path()).isEqualTo("values.sum");
    }

    @Test
    void aNameUsedButNotGivenIsNamed() {
        FieldError e = error("f = x + z", "{\"x\": 1}");
        assertThat(e.path()).isEqualTo("values.z");
        assertThat(e.message()).contains("uses z, which is neither in values nor assigned by an earlier statement");
    }

    @Test
    void aNameGivenButNotUsedIsNamed() {
        FieldError e = error("f = x * 2", "{\"x\": 1, \"q\": 3}");
        assertThat(e.path()).isEqualTo("values.q");
        assertThat(e.message()).isEqualTo("q is given but the expression never uses it");
    }

    @Test
    void namesAreAssignedBeforeUse() {
        assertThat(error("a = a + 1\\nf = a", "{\"x\": 1}").message()).contains("a is used in the statement that assigns it");
        assertThat(error("f = a * 2\\na = x", "{\"x\": 1}").message()).contains("a is used before statement 2 assigns it");
        assertThat(error("x * 2\\nf = x", "{\"x\": 1}").message()).contains("only the last statement may be a bare expression");
    }

    @Test
    void shapeErrorsNameTheOperatorAndBothShapes() {
        assertThat(error("f = sum(v + w)", "{\"v\": [1, 2], \"w\": [1, 2, 3]}").message())
                .isEqualTo("f = sum(v + w): v is 2 but w is 3: + needs shapes that broadcast (aligned at the last axis, each axis"
                        + " equal or 1 on one side) (statement 1, operator +, column 11)");
        assertThat(error("f = dot(v, w)", "{\"v\": [1, 2], \"w\": [1, 2, 3]}").message())
                .contains("v is a 2-vector but w is a 3-vector: dot takes two vectors of equal length");
        assertThat(error("f = sum(A @ B)", "{\"A\": [[1, 2]], \"B\": [[1, 2]]}").message())
                .contains("A is 1×2 but B is 1×2 (statement 1, operator @, column 11)");
        assertThat(error("f = logsumexp(x)", "{\"x\": 1}").message()).contains("x is a scalar: logsumexp takes a vector or a tensor");
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        String deep = "(".repeat(101) + "x" + ")".repeat(101);
        assertThat(error("f = " + deep, "{\"x\": 1}").message()).contains("nested more than 100 deep");
        String minus = "-".repeat(150) + "x";
        assertThat(error("f = " + minus, "{\"x\": 1}").message()).contains("nested more than 100 deep");
        assertThat(f("f = " + "(".repeat(100) + "x" + ")".repeat(100), "{\"x\": 1}")).isEqualTo(1.0);
    }

    @Test
    void moreNodesThanTheLimitIsRefused() {
        assertThat(error("f = x" + " + x".repeat(1_500), "{\"x\": 1}").message()).contains("more than 2000 nodes");
    }

    /**
     * Chains as long as the node limit allows compile without recursion: on a thread with a 128 kB stack, where a
     * recursive walk of a 2,000-deep tree overflows.
     */
    @Test
    void chainsUpToTheNodeLimitCompileOnASmallStack() throws Exception {
        double[] out = new double[3];
        Throwable[] failed = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                out[0] = f("f = x" + ".T".repeat(1998), "{\"x\": 2}");
                out[1] = f("f = x" + " + x".repeat(999), "{\"x\": 1}");
                out[2] = f("f = x" + " * 1".repeat(999), "{\"x\": 3}");
            } catch (Throwable e) {
                failed[0] = e;
            }
        }, "small-stack", 128 * 1024);
        t.start();
        t.join();
        assertThat(failed[0]).isNull();
        assertThat(out).containsExactly(2.0, 1000.0, 3.0);
    }

    @Test
    void aLongerExpressionThanTheLimitIsRefusedUnread() {
        InvalidRequestException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class,
                () -> GraphCases.solve("{\"expression\": \"f = x" + " + x".repeat(30_000) + "\", \"values\": {\"x\": 1}}"));
        assertThat(e.errors().get(0).message()).contains("at most 100000 are read");
    }

    @Test
    void aNumberCannotBeFollowedByAName() {
        assertThat(error("f = 2x", "{\"x\": 1}").message()).contains("a name cannot start with a digit; write 2 * x");
    }

    @Test
    void valuesMustBeNumbersVectorsOrMatrices() {
        assertThatThrownBy(() -> GraphCases.solve("{\"expression\": \"f = sum(W)\", \"values\": {\"W\": [[1, 2], [3]]}}"))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(t -> assertThat(((InvalidRequestException) t).errors())
                        .extracting(FieldError::path).containsExactly("values.W[1]"));
        assertThat(List.of(error("f = x", "{\"x\": \"one\"}").message())).first().asString().contains("expected a number, a vector");
    }
}
