package dev.chainrule.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chainrule.render.Numbers;
import dev.chainrule.engine.Backprop;
import org.junit.jupiter.api.Test;

/**
 * The numbers of CS224N lecture 3's graph, f = (x + y)·max(y, z) at (1, 2, 0), and of CS231n's sigmoid circuit,
 * each as its own test.
 */
class LectureGraphTest {

    static final String LECTURE = "{\"expression\": \"a = x + y\\nb = max(y, z)\\nf = a * b\", \"values\": {\"x\": 1, \"y\": 2, \"z\": 0}}";
    static final String SIGMOID_CIRCUIT = "{\"expression\": \"f = 1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))\","
            + " \"values\": {\"w0\": 2, \"x0\": -1, \"w1\": -3, \"x1\": -2, \"w2\": -3}}";

    private static double value(GraphSolver.Solution s, String name) {
        return s.forward().get(name).item();
    }

    private static double gradient(GraphSolver.Solution s, String name) {
        return s.gradients().get(name).item();
    }

    @Test
    void fIs6() {
        assertThat(value(GraphCases.solve(LECTURE), "f")).isEqualTo(6.0);
    }

    @Test
    void dfdxIs2() {
        assertThat(gradient(GraphCases.solve(LECTURE), "x")).isEqualTo(2.0);
    }

    @Test
    void dfdyIs5() {
        assertThat(gradient(GraphCases.solve(LECTURE), "y")).isEqualTo(5.0);
    }

    @Test
    void dfdzIs0() {
        assertThat(gradient(GraphCases.solve(LECTURE), "z")).isEqualTo(0.0);
    }

    @Test
    void yBranchesIntoTwoPlusThree() {
        GraphSolver.Solution s = GraphCases.solve(LECTURE);
        assertThat(s.backward().branches()).hasSize(1);
        Backprop.Branch y = s.backward().branches().get(0);
        assertThat(s.graph().node(y.node()).name()).isEqualTo("y");
        assertThat(y.contributions()).extracting(e -> s.graph().node(e.via()).name()).containsExactly("a", "b");
        assertThat(y.contributions()).extracting(e -> e.contribution().item()).containsExactly(2.0, 3.0);
        assertThat(y.total().item()).isEqualTo(5.0);
    }

    @Test
    void theTextWritesTheBranchSumOutAsTheLectureDoes() {
        String text = GraphText.render(GraphCases.solve(LECTURE), true, Numbers.FULL);
        assertThat(text).contains("∂f/∂y = ∂f/∂a · ∂a/∂y + ∂f/∂b · ∂b/∂y = 2 + 3 = 5");
        assertThat(text).contains("f = a * b = 6");
    }

    @Test
    void plusDistributesMaxRoutesTimesSwaps() {
        GraphSolver.Solution s = GraphCases.solve(LECTURE);
        assertThat(GraphAnswer.edges(s)).extracting(e -> e.via().name() + "→" + e.to().name() + ": " + e.rule().text())
                .contains("f→a: ∂f/∂a = b", "f→b: ∂f/∂b = a", "a→x: ∂a/∂x = 1", "a→y: ∂a/∂y = 1",
                        "b→y: ∂b/∂y = 1[y > z] + ½ · 1[y = z]", "b→z: ∂b/∂z = 1[z > y] + ½ · 1[z = y]");
    }

    @Test
    void cs231nSigmoidCircuitIsAbout073() {
        assertThat(value(GraphCases.solve(SIGMOID_CIRCUIT), "f")).isCloseTo(0.7311, within(1e-4));
    }

    @Test
    void cs231nSigmoidCircuitWeightGradients() {
        GraphSolver.Solution s = GraphCases.solve(SIGMOID_CIRCUIT);
        assertThat(gradient(s, "w0")).isCloseTo(-0.1966, within(1e-4));
        assertThat(gradient(s, "w1")).isCloseTo(-0.3932, within(1e-4));
        assertThat(gradient(s, "w2")).isCloseTo(0.1966, within(1e-4));
    }

    @Test
    void cs231nSigmoidCircuitInputGradients() {
        GraphSolver.Solution s = GraphCases.solve(SIGMOID_CIRCUIT);
        assertThat(gradient(s, "x0")).isCloseTo(0.3932, within(1e-4));
        assertThat(gradient(s, "x1")).isCloseTo(-0.5898, within(1e-4));
    }
}
