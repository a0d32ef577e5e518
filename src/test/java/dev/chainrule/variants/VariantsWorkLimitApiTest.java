package dev.chainrule.variants;

import static org.hamcrest.Matchers.equalTo;

import dev.chainrule.ApiTest;
import dev.chainrule.budget.CostModel;
import dev.chainrule.network.Problem;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A batch graded against many seeds draws and computes one problem per seed; together they count against max-work. */
class VariantsWorkLimitApiTest extends ApiTest {

    /**
     * max-work halfway between what the cost model predicts for grading against 3 variants and against 4: a key for
     * each, at least its first draw, and the template's check at the bounds of its ranges (two draws' work, once).
     */
    @DynamicPropertySource
    static void maxWorkBetweenThreeAndFourVariants(DynamicPropertyRegistry registry) {
        Template template = VariantsTest.VARIANTS.template(VariantsTest.JSON.readTree(TEMPLATE), "template.");
        Problem variant = VariantsTest.READER.read(VariantsTest.draw(template, 0, false, "template."), "").problem();
        long draw = VariantsTest.VARIANTS.shape(template, "template.").drawWork();
        long three = CostModel.grading(Collections.nCopies(3, variant), 0, 0, false, false).work() + (3 + Draws.BOUNDS) * draw;
        long four = CostModel.grading(Collections.nCopies(4, variant), 0, 0, false, false).work() + (4 + Draws.BOUNDS) * draw;
        registry.add("chainrule.limits.max-work", () -> (three + four) / 2);
    }

    /** One 10-unit tanh layer and a score; its variants all have the same shapes, so each costs the same. */
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
