package dev.chainrule.gradients;

import dev.chainrule.render.Latex;
import dev.chainrule.render.Numbers;
import dev.chainrule.render.TensorText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Golden;
import dev.chainrule.network.Gradients;
import dev.chainrule.network.Problem;
import dev.chainrule.engine.Step;
import dev.chainrule.engine.Tensor;
import dev.chainrule.config.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/**
 * Issue 15's "wrong maths on the page", each as a test: the batch weight step's LaTeX keeps its summand in place,
 * the mean's 1/N scales the whole BCE derivative, max-margin's contributions are labelled by window, the weight
 * step says it is an outer product, no "= 1 = 1", ?digits writes floating-point residue as 0, and every LaTeX
 * string is structurally sound for KaTeX.
 */
class WrongMathsTest {

    private static final GradientEngine ENGINE = new GradientEngine();
    private static final ProblemReader READER = new ProblemReader(Limits.defaults());

    static String example(String id) {
        try (InputStream in = new ClassPathResource("examples/" + id + ".json").getInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Problem problem(String body) {
        return READER.read(Golden.json().readTree(body), "").problem();
    }

    private static Latex.Rendering latex(Problem p, Numbers numbers) {
        return DerivationLatex.render(p, ENGINE.compute(p), numbers);
    }

    private static String text(Problem p, Numbers numbers) {
        return DerivationText.render(p, ENGINE.compute(p), numbers, null, null, null);
    }

    private static final String BCE_BATCH = "{\"network\": {\"layers\": [{\"type\": \"dense\", \"W\": [[0.5, -1], [1, 0.25]], \"activation\": \"tanh\"},"
            + " {\"type\": \"dense\", \"W\": [[1, -1]]}]}, \"batch\": [[1, 2], [0, -1]],"
            + " \"loss\": {\"type\": \"binary_cross_entropy\", \"y\": [1, 0]}, \"reduction\": \"mean\"}";

    @Test
    void batchWeightStepLatexKeepsTheSummandUnderTheSum() {
        Problem xor = problem(example("xor"));
        Gradients g = ENGINE.compute(xor);
        List<String> steps = DerivationLatex.render(xor, g, Numbers.FULL).steps();
        int w2 = indexOf(g.steps(), "W2");
        String s = steps.get(w2);
        assertThat(g.steps().get(w2).formula()).isEqualTo("∂J/∂W2 = Σₖ (δ2ᵀ h1ᵀ)ₖ (δ2 = ∂J/∂z2)");
        assertThat(s).startsWith("\\frac{\\partial J}{\\partial W_{2}} = \\sum_{k} (\\delta_{2}^{\\top} h_{1}^{\\top})_{k} = ");
        assertThat(s).doesNotContain("\\sum_{k} =").endsWith("\\quad (\\delta_{2} = \\frac{\\partial J}{\\partial z_{2}})");
    }

    @Test
    void bceWithAMeanScalesTheWholeDerivative() {
        Problem p = problem(BCE_BATCH);
        Gradients g = ENGINE.compute(p);
        assertThat(g.steps().get(0).formula()).isEqualTo("∂J/∂h2 = (1/N)(σ(h2) − y)");
        assertThat(text(p, Numbers.FULL)).contains("∂J/∂h2 = (1/N)(σ(h2) − y)");
        assertThat(latex(p, Numbers.FULL).steps().get(0)).startsWith("\\frac{\\partial J}{\\partial h_{2}} = (1/N)(\\sigma (h_{2}) - y)");
        // and the value is (1/N)(σ(h2) − y), entry by entry
        double[] h2 = g.forward().get("h2").toArray();
        double[] y = {1, 0};
        for (int k = 0; k < 2; k++) {
            assertThat(g.gradients().get("h2").get(k)).isCloseTo(0.5 * (1 / (1 + Math.exp(-h2[k])) - y[k]),
                    org.assertj.core.api.Assertions.within(1e-15));
        }
    }

    @Test
    void maxMarginTextLabelsTheCorruptWindowsContributions() {
        String text = text(problem(Golden.request("cs224n-max-margin")), Numbers.FULL);
        assertThat(text).contains("  δ [-0.00367067", "  δ_c [0.2055", "  xᵀ [1  2  3  4  5]", "  x_cᵀ [1  0  -1  0  2]");
        assertThat(text).contains("  ∂J/∂s = -1\n", "  ∂J/∂s_c = 1\n", "  h_cᵀ [0.71095");
        assertThat(text).doesNotContain("[0] [", "[1] [");
    }

    @Test
    void theWeightStepSaysItIsAnOuterProduct() {
        String text = text(problem(Golden.request("cs224n-score")), Numbers.FULL);
        assertThat(text).contains("(not a matrix product: ∂z/∂W is a 3-tensor; the step is the outer product δᵀ xᵀ of the two rows above");
    }

    @Test
    void noLatexStringSaysEqualsOneEqualsOne() {
        for (String id : List.of("cs224n-lecture3", "cs224n-max-margin", "softmax-classifier", "xor", "deep-relu")) {
            Latex.Rendering r = latex(problem(example(id)), Numbers.FULL);
            assertThat(r.steps()).noneMatch(s -> s.contains("= 1 = 1"));
        }
        assertThat(latex(problem(Golden.request("cs224n-score")), Numbers.FULL).steps().get(0))
                .isEqualTo("\\frac{\\partial J}{\\partial s} = 1");
    }

    @Test
    void digitsWriteResidueBelowTheTensorsPrecisionAsZero() {
        Numbers four = Numbers.of("4");
        Tensor t = Tensor.vector(new double[] {0.5, 2.776e-17, -0.25, 1e-3});
        assertThat(four.round(t).toArray()).containsExactly(0.5, 0.0, -0.25, 0.001);
        assertThat(four.round(Tensor.scalar(2.776e-17)).item()).isEqualTo(2.776e-17); // alone it is the value
        assertThat(Numbers.FULL.round(t)).isSameAs(t);
        assertThat(TensorText.block(t, four)).containsExactly("[0.5  0  -0.25  0.001]ᵀ");
        assertThat(Latex.value(t, four)).isEqualTo("\\begin{bmatrix} 0.5 \\\\ 0 \\\\ -0.25 \\\\ 0.001 \\end{bmatrix}");
    }

    @Test
    void everyLatexStringOfEveryExampleIsStructurallySoundForKatex() {
        List<String> all = new ArrayList<>();
        for (String id : List.of("cs224n-lecture3", "cs224n-max-margin", "softmax-classifier", "xor", "deep-relu")) {
            for (Numbers n : List.of(Numbers.FULL, Numbers.of("3"))) {
                Latex.Rendering r = latex(problem(example(id)), n);
                all.addAll(r.forward().values());
                all.addAll(r.gradients().values());
                all.addAll(r.steps());
            }
        }
        Problem regularized = problem(Golden.request("cs224n-max-margin").replaceFirst("\\{", "{\"regularization\": {\"l2\": 0.01}, "));
        Latex.Rendering r = latex(regularized, Numbers.FULL);
        all.addAll(r.forward().values());
        all.addAll(r.steps());
        all.addAll(latex(problem(BCE_BATCH), Numbers.FULL).steps());
        for (String s : all) {
            KatexStructure.assertSound(s);
        }
    }

    private static int indexOf(List<Step> steps, String gradient) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).gradient().equals(gradient)) {
                return i;
            }
        }
        throw new AssertionError("no step for " + gradient);
    }
}
