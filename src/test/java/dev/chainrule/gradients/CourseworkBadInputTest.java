package dev.chainrule.gradients;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
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
 * Bad input to the coursework layers and losses: each a 400 problem+json naming the field by its path, with the
 * message that says what was expected (and a did-you-mean where a name is near one). Nothing is silently ignored.
 */
@GradientsWebSlice
class CourseworkBadInputTest {

    private static final String EMBEDDING = "{\"type\": \"embedding\", \"L\": [[0.1, 0.2], [0.3, -0.1], [-0.2, 0.4]]}";
    private static final String SCORE4 = "{\"type\": \"score\", \"u\": [1, -1, 0.5, 2]}";

    @Autowired
    private MockMvc mvc;

    private ResultActions invalid(String body, String path, String message) throws Exception {
        return mvc.perform(post("/v1/gradients").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().is(400))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/invalid-request"))
                .andExpect(jsonPath("$.errors[?(@.path == '" + path + "')].message", hasItem(containsString(message))))
                .andExpect(content().string(not(containsString("Exception"))));
    }

    private static String network(String... layers) {
        return "{\"network\": {\"layers\": [" + String.join(", ", layers) + "]}";
    }

    // ---- embedding ----

    @Test
    void aWordThatIsNotAWholeNumberInRange() throws Exception {
        invalid(network(EMBEDDING, SCORE4) + ", \"words\": [1, 2.5]}", "words[1]",
                "expected a row index of L (a whole number from 0), but got 2.5");
        invalid(network(EMBEDDING, SCORE4) + ", \"words\": [-1, 0]}", "words[0]", "a whole number from 0");
        invalid(network(EMBEDDING, SCORE4) + ", \"words\": [3, 0]}", "words[0]",
                "is 3 but L has 3 rows: a word is a row index of L, from 0 to 2");
        invalid(network(EMBEDDING, SCORE4) + ", \"batch_words\": [[0, 1], [1, 7]]}", "batch_words[1][1]", "is 7 but L has 3 rows");
        invalid(network(EMBEDDING, SCORE4) + ", \"batch_words\": [[0, 1], [1]]}", "batch_words[1]",
                "has 1 words but window 0 has 2");
        invalid(network(EMBEDDING, SCORE4) + ", \"words\": \"cat\"}", "words", "expected a non-empty list of row indices of L");
    }

    @Test
    void xOrBatchBesideAnEmbedding() throws Exception {
        invalid(network(EMBEDDING, SCORE4) + ", \"words\": [0, 1], \"x\": [1, 2, 3, 4]}", "x",
                "the first layer is an embedding layer, which reads words or batch_words, not x");
        invalid(network(EMBEDDING, SCORE4) + ", \"batch\": [[1, 2, 3, 4]], \"words\": [0, 1]}", "batch", "not batch");
        invalid(network(EMBEDDING, SCORE4) + "}", "words", "missing: the first layer is an embedding");
        invalid(network("{\"type\": \"dense\", \"W\": [[1, 0]]}") + ", \"x\": [1, 2], \"words\": [0],"
                + " \"loss\": {\"type\": \"squared_error\", \"y\": 1}}", "words", "is read only by a network whose first layer reads it");
    }

    @Test
    void anEmbeddingThatIsNotFirst() throws Exception {
        invalid(network("{\"type\": \"dense\", \"W\": [[1, 0], [0, 1]]}", EMBEDDING) + ", \"x\": [1, 2],"
                + " \"loss\": {\"type\": \"squared_error\", \"y\": [1, 1]}}", "network.layers[1]",
                "an embedding layer can only be the first layer");
    }

    @Test
    void aMisspeltFieldIsNamedWithTheNearestName() throws Exception {
        invalid(network(EMBEDDING, SCORE4) + ", \"wrds\": [0, 1], \"words\": [0, 1]}", "wrds", "(did you mean \"words\"?)");
        invalid(network("{\"type\": \"embedding\", \"l\": [[1]]}", SCORE4) + ", \"words\": [0]}", "network.layers[0].l",
                "(did you mean \"L\"?");
    }

    @Test
    void theLayerAfterAnEmbeddingReadsItsWindow() throws Exception {
        // x has 2 words × 2 columns = 4 entries: a score of 3 does not fit it
        invalid(network(EMBEDDING, "{\"type\": \"score\", \"u\": [1, 2, 3]}") + ", \"words\": [0, 1]}", "network.layers[1].u",
                "has 3 entries but its input (the previous layer's output) has 4 entries");
        invalid(network(EMBEDDING, SCORE4) + ", \"words\": [0, 1], \"loss\": {\"type\": \"max_margin\", \"x_c\": [1, 2, 3, 4]}}",
                "loss.type", "max_margin scores a corrupt input x_c beside x, but this network reads words");
    }

    // ---- layer_norm ----

    private static final String DENSE3 = "{\"type\": \"dense\", \"W\": [[1, 0], [0, 1], [1, 1]], \"activation\": \"tanh\"}";
    private static final String SCORE3 = "{\"type\": \"score\", \"u\": [1, -1, 0.5]}";

    @Test
    void gammaOrBetaOfTheWrongLength() throws Exception {
        invalid(network(DENSE3, "{\"type\": \"layer_norm\", \"gamma\": [1, 1]}", SCORE3) + ", \"x\": [1, 2]}",
                "network.layers[1].gamma", "has 2 entries but its input (the previous layer's output) has 3 entries");
        invalid(network(DENSE3, "{\"type\": \"layer_norm\", \"beta\": [0, 0, 0, 0]}", SCORE3) + ", \"x\": [1, 2]}",
                "network.layers[1].beta", "has 4 entries");
        invalid(network("{\"type\": \"layer_norm\", \"gamma\": [1, 1, 1]}", SCORE3) + ", \"x\": [1, 2]}",
                "network.layers[0].gamma", "has 3 entries but its input (x) has 2 entries");
    }

    @Test
    void anEpsThatIsNotAboveZeroOrAMisspeltField() throws Exception {
        invalid(network(DENSE3, "{\"type\": \"layer_norm\", \"eps\": 0}", SCORE3) + ", \"x\": [1, 2]}",
                "network.layers[1].eps", "must be above 0");
        invalid(network(DENSE3, "{\"type\": \"layer_norm\", \"eps\": \"small\"}", SCORE3) + ", \"x\": [1, 2]}",
                "network.layers[1].eps", "expected a number");
        invalid(network(DENSE3, "{\"type\": \"layer_norm\", \"gama\": [1, 1, 1]}", SCORE3) + ", \"x\": [1, 2]}",
                "network.layers[1].gama", "(did you mean \"gamma\"?)");
        invalid(network(DENSE3, "{\"type\": \"layernorm\"}", SCORE3) + ", \"x\": [1, 2]}",
                "network.layers[1].type", "(did you mean \"layer_norm\"?)");
    }

    // ---- dropout ----

    @Test
    void aMaskOfTheWrongSize() throws Exception {
        invalid(network(DENSE3, "{\"type\": \"dropout\", \"mask\": [1, 0]}", SCORE3) + ", \"x\": [1, 2]}",
                "network.layers[1].mask", "has 2 entries but its input (the previous layer's output) has 3 entries");
        invalid(network(DENSE3, "{\"type\": \"dropout\", \"mask\": [[1, 0, 1], [1, 1]]}", SCORE3)
                + ", \"batch\": [[1, 2], [3, 4]]}", "network.layers[1].mask[1]", "has 2 entries but row 0 has 3");
        invalid(network(DENSE3, "{\"type\": \"dropout\", \"mask\": [[1, 0, 1]]}", SCORE3)
                + ", \"batch\": [[1, 2], [3, 4]]}", "network.layers[1].mask", "has 1 rows but the batch has 2 examples");
        invalid(network(DENSE3, "{\"type\": \"dropout\", \"mask\": [1, 0, 1]}", SCORE3)
                + ", \"batch\": [[1, 2], [3, 4]]}", "network.layers[1].mask", "with a batch, give one mask row per example");
        invalid(network(DENSE3, "{\"type\": \"dropout\"}", SCORE3) + ", \"x\": [1, 2]}",
                "network.layers[1].mask", "missing: expected the dropout mask");
    }

    @Test
    void aMaskThatIsNotZerosAndOnesOrAPOutOfRange() throws Exception {
        invalid(network(DENSE3, "{\"type\": \"dropout\", \"mask\": [1, 0.5, 1]}", SCORE3) + ", \"x\": [1, 2]}",
                "network.layers[1].mask[1]", "is 0.5: a dropout mask keeps (1) or drops (0) each entry");
        invalid(network(DENSE3, "{\"type\": \"dropout\", \"mask\": [[1, 0, 1], [2, 1, 1]]}", SCORE3)
                + ", \"batch\": [[1, 2], [3, 4]]}", "network.layers[1].mask[1][0]", "is 2.0");
        invalid(network(DENSE3, "{\"type\": \"dropout\", \"mask\": [1, 0, 1], \"p\": 1}", SCORE3) + ", \"x\": [1, 2]}",
                "network.layers[1].p", "must be from 0 to below 1");
        invalid(network(DENSE3, "{\"type\": \"dropout\", \"msk\": [1, 0, 1]}", SCORE3) + ", \"x\": [1, 2]}",
                "network.layers[1].msk", "(did you mean \"mask\"?)");
    }

    // ---- mse ----

    @Test
    void anMseTargetOfTheWrongSizeOrAMisspeltName() throws Exception {
        String dense = "{\"type\": \"dense\", \"W\": [[1, 0], [0, 1], [1, 1]]}";
        invalid(network(dense) + ", \"x\": [1, 2], \"loss\": {\"type\": \"mse\", \"y\": [1, 2]}}", "loss.y",
                "has 2 entries but the network's output has 3");
        invalid(network(dense) + ", \"batch\": [[1, 2]], \"loss\": {\"type\": \"mse\", \"y\": [[1, 2, 3], [1, 2, 3]]}}",
                "loss.y", "has 2 targets but batch has 1 examples");
        invalid(network(dense) + ", \"x\": [1, 2], \"loss\": {\"type\": \"mse\"}}", "loss.y", "missing: expected the target");
        invalid(network(dense) + ", \"x\": [1, 2], \"loss\": {\"type\": \"MSE\", \"y\": [1, 2, 3]}}", "loss.type",
                "(did you mean \"mse\"?; names are case-sensitive)");
    }

    // ---- multiclass_svm ----

    @Test
    void anSvmClassThatIsNotAWholeNumberInRangeOrANegativeMargin() throws Exception {
        String dense = "{\"type\": \"dense\", \"W\": [[1, 0], [0, 1], [1, 1]]}";
        invalid(network(dense) + ", \"x\": [1, 2], \"loss\": {\"type\": \"multiclass_svm\", \"y\": 3}}", "loss.y",
                "class index 3 is out of range: the output has 3 classes, so it must be from 0 to 2");
        invalid(network(dense) + ", \"x\": [1, 2], \"loss\": {\"type\": \"multiclass_svm\", \"y\": 1.5}}", "loss.y",
                "a class index must be a whole number from 0 to 2");
        invalid(network(dense) + ", \"x\": [1, 2], \"loss\": {\"type\": \"multiclass_svm\", \"y\": [0, 1, 0]}}", "loss.y",
                "expected a class index, a whole number from 0 to 2, but got a list");
        invalid(network(dense) + ", \"batch\": [[1, 2], [0, 1]], \"loss\": {\"type\": \"multiclass_svm\", \"y\": [0, 7]}}",
                "loss.y[1]", "class index 7 is out of range");
        invalid(network(dense) + ", \"x\": [1, 2], \"loss\": {\"type\": \"multiclass_svm\", \"y\": 0, \"margin\": -1}}",
                "loss.margin", "must be 0 or more");
        invalid(network(dense) + ", \"x\": [1, 2], \"loss\": {\"type\": \"multiclass_svm\", \"y\": 0, \"margn\": 2}}",
                "loss.margn", "(did you mean \"margin\"?)");
    }

    @Test
    void anSvmOverOneOutputIsAlwaysZero() throws Exception {
        invalid(network("{\"type\": \"dense\", \"W\": [[1, 0]]}") + ", \"x\": [1, 2], \"loss\": {\"type\": \"multiclass_svm\", \"y\": 0}}",
                "loss.type", "multiclass_svm over one output is always 0");
    }
}
