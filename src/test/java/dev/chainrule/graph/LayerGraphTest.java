package dev.chainrule.graph;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.chainrule.config.CorsProperties;
import dev.chainrule.config.EngineConfiguration;
import dev.chainrule.config.Limits;
import dev.chainrule.http.HttpConfiguration;
import dev.chainrule.wire.WireConfiguration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * {@code /v1/graph} with the layer and loss functions (convolution, pooling, norms, losses): their bad input answered
 * as a 400 naming the statement, the function and the shapes (or the keyword and its column), a value that overflows
 * as a 422 naming its node, a convolution priced over the work limit refused before it runs, never a 500; and a
 * layer's large local Jacobians given by their rule. A web slice: the controller, the advice and the filters, with
 * a work limit of 2 ms.
 */
@WebMvcTest(controllers = GraphController.class, properties = "chainrule.limits.max-work=2000000")
@Import({GraphConfiguration.class, EngineConfiguration.class, HttpConfiguration.class, WireConfiguration.class})
@EnableConfigurationProperties({Limits.class, CorsProperties.class, GraphProperties.class})
class LayerGraphTest {

    @Autowired
    private MockMvc mvc;

    private ResultActions send(String expression, String values, String options) throws Exception {
        String body = "{\"expression\": \"" + expression + "\", \"values\": {" + values + "}"
                + (options == null ? "" : ", \"options\": " + options) + "}";
        return mvc.perform(post("/v1/graph").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    /** A 400 whose detail or errors hold every fragment given, with no internals. */
    private void invalid(String expression, String values, String... fragments) throws Exception {
        ResultActions r = send(expression, values, null)
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/invalid-request"))
                .andExpect(content().string(not(containsString("Exception"))));
        for (String f : fragments) {
            r.andExpect(jsonPath("$.errors[*].message", hasItem(containsString(f))));
        }
    }

    /** A nested array of the given shape, entries from {@code random} (or all {@code fill} when it is null). */
    private static String tensor(Random random, double fill, int... shape) {
        return tensor(random, fill, shape, 0);
    }

    private static String tensor(Random random, double fill, int[] shape, int axis) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < shape[axis]; i++) {
            s.append(i == 0 ? "" : ", ");
            if (axis + 1 < shape.length) {
                s.append(tensor(random, fill, shape, axis + 1));
            } else {
                s.append(random == null ? fill : Math.round(random.nextGaussian() * 1000) / 1000.0);
            }
        }
        return s.append("]").toString();
    }

    @Test
    void aConvolutionWhoseChannelsDoNotMatchNamesTheStatementTheFunctionAndBothShapes() throws Exception {
        invalid("Y = conv2d(x, w)\\nf = sum(Y)", "\"x\": " + tensor(null, 1, 3, 8, 8) + ", \"w\": " + tensor(null, 1, 4, 2, 3, 3),
                "Y = conv2d(x, w): conv2d: x is 3×8×8 but w expects 2 input channels", "statement 1", "column 5");
    }

    @Test
    void aWindowLargerThanItsInputAndAMissingChannelAxisAreRefused() throws Exception {
        invalid("f = sum(maxpool2d(x, 3))", "\"x\": " + tensor(null, 1, 1, 2, 2), "maxpool2d: the 3×3 window is larger than x's 2×2");
        invalid("f = sum(conv1d(x, w))", "\"x\": " + tensor(null, 1, 5) + ", \"w\": " + tensor(null, 1, 1, 1, 2),
                "conv1d: x is a 5-vector but takes C×L or N×C×L");
    }

    @Test
    void anUnknownKeywordOrABadSettingNamesTheKeywordAndItsColumn() throws Exception {
        String scores = "\"S\": [[1, 2, 0], [0, 1, 3]], \"y\": [1, 2]";
        invalid("f = svm(S, y, delta=2)", scores, "svm: delta is not a keyword of svm; it takes margin", "column 15");
        invalid("f = sum(conv1d(x, w, padding=-1))", "\"x\": " + tensor(null, 1, 1, 5) + ", \"w\": " + tensor(null, 1, 1, 1, 2),
                "conv1d: padding must be at least 0, not -1");
        invalid("f = huber(a, b, delta=0)", "\"a\": [1, 2], \"b\": [0, 0]", "huber: delta must be above 0, not 0");
        invalid("f = sum(avgpool2d(x, k))", "\"x\": " + tensor(null, 1, 1, 4, 4) + ", \"k\": 2",
                "avgpool2d: takes x and its window k, a whole-number constant at least 1");
    }

    @Test
    void aLabelOutOfRangeOrUsedInArithmeticIsRefused() throws Exception {
        invalid("f = cross_entropy(S, y)", "\"S\": [[1, 2, 0], [0, 1, 3]], \"y\": [0, 3]", "cross_entropy: y[1] is 3 but S has 3 classes (0 to 2)");
        invalid("f = cross_entropy(S, y)", "\"S\": [[1, 2, 0], [0, 1, 3]], \"y\": [0, 1, 2]",
                "cross_entropy: S is 2×3 but y is a 3-vector: it takes one label per row, 2 in all");
        invalid("f = svm(S, y) + sum(y)", "\"S\": [[1, 2, 0], [0, 1, 3]], \"y\": [0, 2]", "y is an index input");
    }

    @Test
    void shapesThatDoNotFitANormOrALossAreRefused() throws Exception {
        invalid("f = mse(a, b)", "\"a\": [1, 2], \"b\": [[1, 2]]", "mse: a is a 2-vector but b is a 1×2 matrix");
        invalid("f = sum(layer_norm(X, g, b))", "\"X\": [[1, 2, 3]], \"g\": [1, 1], \"b\": [0, 0, 0]",
                "layer_norm: g is 2 but X's last axis has 3 entries");
        invalid("f = sum(batch_norm(X, g, b))", "\"X\": [[1, 2, 3]], \"g\": [1, 1, 1], \"b\": [0, 0, 0]",
                "batch_norm: X is 1×3: one value per feature has no variance over the batch");
    }

    @Test
    void aLossThatOverflowsIs422NamingItsNode() throws Exception {
        send("f = mse(a, b)", "\"a\": [1e200, 0], \"b\": [0, 0]", null)
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.errors[*].path", hasItem("forward.f")));
    }

    @Test
    void aConvolutionPricedOverTheWorkLimitIsRefusedBeforeItRuns() throws Exception {
        // one number in, 16 × 401 × 401 out: 16 filters at each of 160,801 positions, forward and back
        send("f = sum(conv2d(x, w, padding=200))", "\"x\": [[[1]]], \"w\": " + tensor(null, 0.5, 16, 1, 1, 1), null)
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.type").value("/problems/limit-exceeded"))
                .andExpect(content().string(containsString("chainrule.limits.max-work")));
    }

    /** conv → ReLU → max-pool → cross-entropy, CS231n's layer on a small image: its large Jacobians by their rule. */
    @Test
    void aLayersLargeLocalJacobiansAreGivenByTheirRuleAndShape() throws Exception {
        Random random = new Random(231);
        String values = "\"x\": " + tensor(random, 0, 3, 8, 8) + ", \"w\": " + tensor(random, 0, 4, 3, 3, 3)
                + ", \"b\": " + tensor(random, 0, 4) + ", \"V\": " + tensor(random, 0, 3, 64) + ", \"y\": 2";
        send("Z = conv2d(x, w, b, padding=1)\\nH = relu(Z)\\nP = maxpool2d(H, 2)\\ns = V @ flatten(P)\\nL = cross_entropy(s, y)",
                values, null)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.nodes[?(@.name == 'Z')].expression", hasItem("conv2d(x, w, b, padding=1)")))
                .andExpect(jsonPath("$.nodes[?(@.name == 'P')].expression", hasItem("maxpool2d(H, 2)")))
                .andExpect(jsonPath("$.gradients.y").doesNotExist())
                .andExpect(jsonPath("$.steps[?(@.gradient == 'x' && @.via == 'Z')].rule",
                        hasItem(allOf(containsString("∂Z[f,i,j]/∂x[c,i+p−1,j+q−1] = w[f,c,p,q]"), containsString("w flipped")))))
                .andExpect(jsonPath("$.steps[?(@.gradient == 'x' && @.via == 'Z')].local.shape", hasItem("256×192")))
                .andExpect(jsonPath("$.steps[?(@.gradient == 'H' && @.via == 'P')].rule",
                        hasItem(containsString("1 at the first maximal entry of the window"))));
    }

    @Test
    void theGradientCheckAgreesThroughALayer() throws Exception {
        Random random = new Random(28);
        String values = "\"x\": " + tensor(random, 0, 2, 5, 5) + ", \"w\": " + tensor(random, 0, 2, 2, 3, 3)
                + ", \"g\": [1.5, 0.5, 1, 2], \"be\": [0.1, -0.2, 0, 0.3], \"y\": [1, 3]";
        send("Z = conv2d(x, w, stride=2)\\nA = reshape(Z, 2, 4)\\nN = layer_norm(A, g, be)\\nf = cross_entropy(N, y)",
                values, "{\"gradient_check\": true, \"steps\": false}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.gradient_check.verdict").value("good"));
    }
}
