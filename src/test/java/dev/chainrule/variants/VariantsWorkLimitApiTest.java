package dev.chainrule.variants;

import static org.hamcrest.Matchers.equalTo;

import dev.chainrule.ApiTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** A batch graded against many seeds computes one problem per seed; together they count against max-work. */
@TestPropertySource(properties = "chainrule.limits.max-work=395000")
class VariantsWorkLimitApiTest extends ApiTest {

    /**
     * One 10-unit tanh layer and a score. The cost model (budget.CostModel#grading) puts a request at 300,000 work
     * units and each variant's answer key at 27,164 (a pass and the pass without tanh's f'): three variants are 381,492
     * and fit in 395,000, four are 408,656 and do not.
     */
    static final String TEMPLATE = """
            {"network": {"layers": [{"type": "dense", "W": {"vary": {"min": -1, "max": 1, "step": 0.1, "shape": [10, 10]}}, "activation": "tanh"},
                                    {"type": "score", "u": {"vary": {"min": -1, "max": 1, "shape": [10]}}}]},
             "x": {"vary": {"min": -3, "max": 3, "shape": [10]}}}""";

    static String batch(int seeds) {
        List<String> subs = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            subs.add("{\"id\": \"s" + i + "\", \"seed\": " + i + ", \"answers\": {}}");
        }
        subs.add("{\"id\": \"again\", \"seed\": 0, \"answers\": {}}");
        return "{\"problem\": {\"template\": " + TEMPLATE + "}, \"questions\": [\"W\"], \"submissions\": [" + String.join(", ", subs) + "]}";
    }

    @Test
    void variantsWithinTheBudgetAreGraded() {
        api().contentType(ContentType.JSON).body(batch(3)).when().post("/v1/grade/batch")
                .then().statusCode(200).body("submissions.size()", equalTo(4));
    }

    @Test
    void moreVariantsThanTheBudgetIs422() {
        api().contentType(ContentType.JSON).body(batch(4)).when().post("/v1/grade/batch")
                .then().statusCode(422)
                .body("type", equalTo("/problems/limit-exceeded"))
                .body("limit", equalTo("chainrule.limits.max-work"));
    }
}
