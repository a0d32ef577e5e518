package dev.chainrule.gradients;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The catalogue of bad input, one test per kind: each answers a 4xx problem+json that names the field, never a
 * 500 and never a class name or stack trace. A web slice: the controller, the advice and the filters.
 */
@GradientsWebSlice
class InvalidInputCatalogueTest {

    private static final String NET = """
            {"layers": [{"type": "dense", "W": [[1, 0, 2], [0, 1, -1]], "b": [0.5, -0.5], "activation": "tanh"},
                        {"type": "score", "u": [1, -1]}]}""";

    @Autowired
    private MockMvc mvc;

    private ResultActions send(String body) throws Exception {
        return mvc.perform(post("/v1/gradients").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    /** A 4xx problem, with no internals in it. */
    private ResultActions problem(String body, int status, String type) throws Exception {
        return send(body)
                .andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(type))
                .andExpect(jsonPath("$.title").isString())
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.detail").isString())
                .andExpect(content().string(not(containsString("Exception"))))
                .andExpect(content().string(not(containsString("jackson"))))
                .andExpect(content().string(not(containsString("\tat "))));
    }

    private ResultActions invalid(String body, String path) throws Exception {
        return problem(body, 400, "/problems/invalid-request").andExpect(jsonPath("$.errors[*].path", hasItem(path)));
    }

    private ResultActions malformed(String body) throws Exception {
        return problem(body, 400, "/problems/malformed-json");
    }

    private static String request(String network, String input, String loss) {
        return "{\"network\": " + network + ", " + input + (loss == null ? "" : ", \"loss\": " + loss) + "}";
    }

    private static String withX(String loss) {
        return request(NET, "\"x\": [1, 2, 3]", loss);
    }

    private static String dense(String output, String loss, String input) {
        return request("{\"layers\": [{\"type\": \"dense\", \"W\": " + output + "}]}", input, loss);
    }

    /** A 2-class output (identity W, x of 2) under softmax cross-entropy with the target {@code y}. */
    private static String softmaxOnTwoClasses(String y) {
        return dense("[[1, 0], [0, 1]]", "{\"type\": \"softmax_cross_entropy\", \"y\": " + y + "}", "\"x\": [1, 2]");
    }

    @Test
    void malformedJson() throws Exception {
        malformed("{\"x\": [1, 2,").andExpect(jsonPath("$.detail", containsString("line 1")));
    }

    @Test
    void emptyBody() throws Exception {
        malformed("");
    }

    @Test
    void wrongContentType() throws Exception {
        mvc.perform(post("/v1/gradients").contentType(MediaType.TEXT_PLAIN).content(withX(null)))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/unsupported-media-type"));
    }

    @Test
    void missingContentType() throws Exception {
        mvc.perform(post("/v1/gradients").content(withX(null)))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.type").value("/problems/unsupported-media-type"));
    }

    @Test
    void unknownFieldIsNamed() throws Exception {
        invalid(request("{\"layers\": [{\"type\": \"dense\", \"W\": [[1]], \"activaton\": \"relu\"}]}", "\"x\": [1]",
                "{\"type\": \"squared_error\", \"y\": 1}"), "network.layers[0].activaton")
                .andExpect(jsonPath("$.errors[0].message", containsString("did you mean \"activation\"")));
    }

    @Test
    void duplicateKeys() throws Exception {
        malformed("{\"x\": [1, 2, 3], \"x\": [4, 5, 6], \"network\": " + NET + "}")
                .andExpect(jsonPath("$.errors[0].message", containsString("twice")))
                .andExpect(jsonPath("$.errors[0].message", containsString("x")));
    }

    @Test
    void nanAndInfinityLiterals() throws Exception {
        malformed(request(NET, "\"x\": [NaN, 1, 2]", null)).andExpect(jsonPath("$.detail", containsString("NaN")));
        malformed(request(NET, "\"x\": [Infinity, 1, 2]", null));
        malformed(request(NET, "\"x\": [-Infinity, 1, 2]", null));
    }

    @Test
    void aNumberThatParsesAsInfinityIsRefused() throws Exception {
        invalid(request(NET, "\"x\": [1e400, 1, 2]", null), "x[0]");
    }

    @Test
    void nullOrAStringWhereANumberBelongs() throws Exception {
        invalid(request(NET, "\"x\": [null, 1, 2]", null), "x[0]");
        invalid(request(NET, "\"x\": [\"1.5\", 1, 2]", null), "x[0]")
                .andExpect(jsonPath("$.errors[0].message", containsString("string")));
    }

    @Test
    void raggedMatrix() throws Exception {
        invalid(dense("[[1, 2, 3], [1, 2]]", "{\"type\": \"squared_error\", \"y\": [1, 1]}", "\"x\": [1, 2, 3]"),
                "network.layers[0].W[1]");
    }

    @Test
    void wColumnsDifferFromTheInputLength() throws Exception {
        invalid(request(NET, "\"x\": [1, 2, 3, 4, 5]", null), "network.layers[0].W")
                .andExpect(jsonPath("$.errors[0].message").value("has 3 columns but its input (x) has 5 entries"));
    }

    @Test
    void bLengthDiffersFromWRows() throws Exception {
        invalid(request(NET.replace("\"b\": [0.5, -0.5]", "\"b\": [0.5, -0.5, 1]"), "\"x\": [1, 2, 3]", null),
                "network.layers[0].b")
                .andExpect(jsonPath("$.errors[0].message").value("has 3 entries but W has 2 rows"));
    }

    @Test
    void uLengthMismatch() throws Exception {
        invalid(request(NET.replace("\"u\": [1, -1]", "\"u\": [1, -1, 2]"), "\"x\": [1, 2, 3]", null), "network.layers[1].u");
    }

    @Test
    void scoreLayerThatIsNotLast() throws Exception {
        invalid(request("{\"layers\": [{\"type\": \"score\", \"u\": [1, 2, 3]}, {\"type\": \"dense\", \"W\": [[1]]}]}",
                "\"x\": [1, 2, 3]", "{\"type\": \"squared_error\", \"y\": 1}"), "network.layers[0]");
    }

    @Test
    void twoScoreLayers() throws Exception {
        invalid(request("{\"layers\": [{\"type\": \"score\", \"u\": [1, 2, 3]}, {\"type\": \"score\", \"u\": [1]}]}",
                "\"x\": [1, 2, 3]", null), "network.layers[0]");
    }

    @Test
    void unknownLayerType() throws Exception {
        invalid(request("{\"layers\": [{\"type\": \"conv\", \"W\": [[1]]}]}", "\"x\": [1]", null), "network.layers[0].type");
    }

    @Test
    void unknownActivation() throws Exception {
        invalid(request(NET.replace("tanh", "sigmod"), "\"x\": [1, 2, 3]", null), "network.layers[0].activation")
                .andExpect(jsonPath("$.errors[0].message", containsString("sigmoid")));
    }

    @Test
    void unknownLoss() throws Exception {
        invalid(withX("{\"type\": \"hinge\"}"), "loss.type");
    }

    @Test
    void zeroLayers() throws Exception {
        invalid(request("{\"layers\": []}", "\"x\": [1]", null), "network.layers");
    }

    @Test
    void emptyX() throws Exception {
        invalid(request(NET, "\"x\": []", null), "x");
    }

    @Test
    void emptyBatch() throws Exception {
        invalid(request(NET, "\"batch\": []", null), "batch");
    }

    @Test
    void bothXAndBatch() throws Exception {
        invalid(request(NET, "\"x\": [1, 2, 3], \"batch\": [[1, 2, 3]]", null), "batch");
    }

    @Test
    void neitherXNorBatch() throws Exception {
        invalid("{\"network\": " + NET + "}", "x");
    }

    @Test
    void batchRowsOfDifferentLengths() throws Exception {
        invalid(request(NET, "\"batch\": [[1, 2, 3], [1, 2]]", null), "batch[1]");
    }

    @Test
    void missingTarget() throws Exception {
        invalid(withX("{\"type\": \"squared_error\"}"), "loss.y");
    }

    @Test
    void targetOfTheWrongShape() throws Exception {
        invalid(dense("[[1, 0], [0, 1]]", "{\"type\": \"squared_error\", \"y\": [1, 2, 3]}", "\"x\": [1, 2]"), "loss.y");
        invalid(dense("[[1, 0], [0, 1]]", "{\"type\": \"squared_error\", \"y\": [[1, 2]]}", "\"batch\": [[1, 2], [3, 4]]"), "loss.y")
                .andExpect(jsonPath("$.errors[0].message").value("has 1 targets but batch has 2 examples"));
    }

    @Test
    void classIndexOutOfRange() throws Exception {
        invalid(softmaxOnTwoClasses("2"), "loss.y")
                .andExpect(jsonPath("$.errors[0].message", containsString("from 0 to 1")));
    }

    @Test
    void classIndexNegative() throws Exception {
        invalid(softmaxOnTwoClasses("-1"), "loss.y");
    }

    @Test
    void classIndexNotAnInteger() throws Exception {
        invalid(softmaxOnTwoClasses("0.5"), "loss.y");
    }

    @Test
    void probabilityTargetOfTheWrongLength() throws Exception {
        invalid(softmaxOnTwoClasses("[0.2, 0.3, 0.5]"), "loss.y");
    }

    @Test
    void probabilityTargetWithANegativeEntry() throws Exception {
        invalid(softmaxOnTwoClasses("[1.5, -0.5]"), "loss.y[1]");
    }

    @Test
    void probabilityTargetNotSummingToOne() throws Exception {
        invalid(softmaxOnTwoClasses("[0.2, 0.3]"), "loss.y")
                .andExpect(jsonPath("$.errors[0].message", containsString("sum to 1")));
    }

    @Test
    void binaryTargetOutsideZeroOne() throws Exception {
        invalid(dense("[[1, 1]]", "{\"type\": \"binary_cross_entropy\", \"y\": 1.5}", "\"x\": [1, 2]"), "loss.y");
    }

    @Test
    void scalarLossesOnAnOutputThatIsNotAScalar() throws Exception {
        for (String loss : new String[] {"{\"type\": \"score\"}", "{\"type\": \"binary_cross_entropy\", \"y\": 1}",
                "{\"type\": \"max_margin\", \"x_c\": [1, 2]}"}) {
            invalid(dense("[[1, 0], [0, 1]]", loss, "\"x\": [1, 2]"), "loss.type")
                    .andExpect(jsonPath("$.errors[0].message", containsString("scalar")));
        }
    }

    @Test
    void maxMarginWithoutItsCorruptInput() throws Exception {
        invalid(withX("{\"type\": \"max_margin\"}"), "loss.x_c");
    }

    @Test
    void maxMarginWithBatchCOfAnotherLength() throws Exception {
        invalid(request(NET, "\"batch\": [[1, 2, 3], [3, 2, 1]]", "{\"type\": \"max_margin\", \"batch_c\": [[0, 0, 1]]}"), "loss.batch_c");
    }

    @Test
    void unknownReduction() throws Exception {
        invalid(request(NET, "\"batch\": [[1, 2, 3]], \"reduction\": \"avg\"", null), "reduction");
    }

    @Test
    void negativeAlpha() throws Exception {
        invalid(dense("[[1, 0], [0, 1]], \"activation\": \"leaky_relu\", \"alpha\": -0.1",
                "{\"type\": \"squared_error\", \"y\": [0, 0]}", "\"x\": [1, 2]"), "network.layers[0].alpha");
    }

    @Test
    void jsonNestedOneHundredThousandLevelsDeep() throws Exception {
        malformed("[".repeat(100_000) + "]".repeat(100_000)).andExpect(jsonPath("$.detail", containsString("nested too deep")));
        malformed("{\"x\": " + "{\"a\": ".repeat(100_000) + "1" + "}".repeat(100_001));
    }

    @Test
    void aNumberOfTenThousandDigits() throws Exception {
        malformed(request(NET, "\"x\": [1" + "0".repeat(10_000) + ", 1, 2]", null))
                .andExpect(jsonPath("$.detail", containsString("number is too long")));
    }

    @Test
    void aKeyOfOneMegabyte() throws Exception {
        // over the 900 kB body limit of this slice: refused as too large, or as a name too long
        mvc.perform(post("/v1/gradients").contentType(MediaType.APPLICATION_JSON).content("{\"" + "k".repeat(1_000_000) + "\": 1}"))
                .andExpect(status().is4xxClientError())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() throws Exception {
        invalid(request("{\"layers\": [{\"type\": \"dense\", \"W\": [[1, 2], [3]], \"b\": [1, 2, 3], \"activaton\": \"relu\"},"
                + " {\"type\": \"score\", \"u\": [1]}, {\"type\": \"score\", \"u\": [1]}]}",
                "\"x\": [1, 2], \"batch\": [[1, 2]], \"reduction\": \"avg\"", "{\"type\": \"nope\"}"), "reduction")
                .andExpect(jsonPath("$.errors", hasSize(greaterThanOrEqualTo(5))))
                .andExpect(jsonPath("$.errors[*].path", hasItem("network.layers[0].activaton")))
                .andExpect(jsonPath("$.errors[*].path", hasItem("network.layers[0].W[1]")))
                .andExpect(jsonPath("$.errors[*].path", hasItem("network.layers[1]")))
                .andExpect(jsonPath("$.errors[*].path", hasItem("batch")));
    }

    @Test
    void finiteInputThatOverflowsNamesTheFirstNonFiniteQuantity() throws Exception {
        problem(request("{\"layers\": [{\"type\": \"dense\", \"W\": [[1e200]]}, {\"type\": \"dense\", \"W\": [[1e200]]}]}",
                "\"x\": [1]", "{\"type\": \"squared_error\", \"y\": 0}"), 422, "/problems/non-finite")
                .andExpect(jsonPath("$.errors[0].path").value("forward.z2"));
    }

    @Test
    void tooManyLayers() throws Exception {
        String layer = "{\"type\": \"dense\", \"W\": [[1]]}";
        problem(request("{\"layers\": [" + String.join(", ", java.util.Collections.nCopies(7, layer)) + "]}", "\"x\": [1]",
                "{\"type\": \"squared_error\", \"y\": 0}"), 422, "/problems/limit-exceeded")
                .andExpect(jsonPath("$.limit").value("chainrule.limits.max-layers"))
                .andExpect(jsonPath("$.max").value(6));
    }

    @Test
    void tooManyParameters() throws Exception {
        String row = "[" + String.join(", ", java.util.Collections.nCopies(40, "0.1")) + "]";
        String w = "[" + String.join(", ", java.util.Collections.nCopies(30, row)) + "]";
        String x = "[" + String.join(", ", java.util.Collections.nCopies(40, "1")) + "]";
        problem(request("{\"layers\": [{\"type\": \"dense\", \"W\": " + w + "}]}", "\"x\": " + x,
                "{\"type\": \"softmax_cross_entropy\", \"y\": 0}"), 422, "/problems/limit-exceeded")
                .andExpect(jsonPath("$.limit").value("chainrule.limits.max-parameters"))
                .andExpect(jsonPath("$.max").value(1000));
    }

    @Test
    void batchTooLarge() throws Exception {
        String batch = "[" + String.join(", ", java.util.Collections.nCopies(9, "[1, 2, 3]")) + "]";
        problem(request(NET, "\"batch\": " + batch, null), 422, "/problems/limit-exceeded")
                .andExpect(jsonPath("$.limit").value("chainrule.limits.max-batch"))
                .andExpect(jsonPath("$.max").value(8));
    }

    @Test
    void tooMuchWork() throws Exception {
        String row = "[" + String.join(", ", java.util.Collections.nCopies(20, "0.1")) + "]";
        String w = "[" + String.join(", ", java.util.Collections.nCopies(20, row)) + "]";
        String layer = "{\"type\": \"dense\", \"W\": " + w + ", \"activation\": \"tanh\"}";
        String batch = "[" + String.join(", ", java.util.Collections.nCopies(8, row)) + "]";
        problem(request("{\"layers\": [" + layer + ", " + layer + "]}", "\"batch\": " + batch,
                "{\"type\": \"softmax_cross_entropy\", \"y\": [0, 1, 2, 3, 4, 5, 6, 7]}"), 422, "/problems/limit-exceeded")
                .andExpect(jsonPath("$.limit").value("chainrule.limits.max-work"));
    }

    @Test
    void bodyOverTheSizeLimit() throws Exception {
        send("{\"x\": [" + "1, ".repeat(400_000) + "1]}")
                .andExpect(status().isContentTooLarge())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/body-too-large"))
                .andExpect(jsonPath("$.limit").value("chainrule.limits.max-body-bytes"))
                .andExpect(jsonPath("$.max").value(900000));
    }

    @Test
    void pathsAreWrittenTheWayTheUserWroteThem() throws Exception {
        invalid(request(NET, "\"x\": [1, 2, 3]", "{\"type\": \"score\", \"y\": 1}"), "loss.y")
                .andExpect(jsonPath("$.errors[*].path", everyItem(not(startsWith("/")))));
    }
}
