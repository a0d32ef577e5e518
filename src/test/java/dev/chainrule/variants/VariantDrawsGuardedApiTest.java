package dev.chainrule.variants;

import static dev.chainrule.KinkTemplates.allKinks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.chainrule.ApiTest;
import dev.chainrule.budget.CostModel;
import dev.chainrule.http.Answers;
import dev.chainrule.http.ComputeGate;
import dev.chainrule.http.HeldSlot;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Variant draws are priced and guarded like any computation (a regression test of issue 27, finding 2). Every draw is
 * a pass of the problem, so a request is priced for all the draws it may make (redraws off
 * kinks included, as many as {@code max-work} allows), and draws only inside the gate. One compute slot and no queue
 * here, so that a held slot shows who waits for it.
 */
@TestPropertySource(properties = {"chainrule.limits.max-work=" + VariantDrawsGuardedApiTest.MAX_WORK,
        "chainrule.limits.max-concurrent=1", "chainrule.limits.max-queued=0", "chainrule.warm-up=0s"})
class VariantDrawsGuardedApiTest extends ApiTest {

    static final long MAX_WORK = 100_000_000;

    @Autowired
    private ComputeGate gate;

    @Autowired
    private Answers answers;

    /** The draws a {@code /v1/variants} request for this template is priced for. */
    static long pricedDraws(String template) {
        Template t = VariantsTest.VARIANTS.template(VariantsTest.JSON.readTree(template), "template.");
        Template.Size size = t.size();
        long answer = CostModel.variantAnswer(size.numbers(), size.chars()).work();
        long each = VariantsTest.VARIANTS.shape(t, "template.").drawWork();
        return Math.min(Variants.MAX_DRAWS, (MAX_WORK - answer) / each);
    }

    @Test
    void aTemplateOnAKinkAtEveryDrawStopsAtTheDrawsItWasPricedFor() {
        String template = allKinks(150);
        long draws = pricedDraws(template);
        assertThat(draws).as("fewer draws than a variant may take, but some").isBetween(2L, Variants.MAX_DRAWS - 1L);
        api().contentType(ContentType.JSON).body("{\"template\": " + template + ", \"seed\": 1}")
                .when().post("/v1/variants")
                .then().statusCode(422)
                .body("limit", equalTo("chainrule.limits.max-work"))
                .body("errors[0].path", equalTo("template"))
                .body("detail", containsString(draws + " draws landed on kinks (the last: z[0] = 0 (relu)"));
        // the same template, its kinks allowed: the first draw is the answer
        api().contentType(ContentType.JSON).body("{\"template\": " + template + ", \"seed\": 1, \"allow_kinks\": true}")
                .when().post("/v1/variants")
                .then().statusCode(200);
    }

    @Test
    void aSmallTemplateOnAKinkAtEveryDrawTakesItsHundredDrawsAndSaysWhichKink() {
        String template = allKinks(2);
        assertThat(pricedDraws(template)).isEqualTo(Variants.MAX_DRAWS);
        api().contentType(ContentType.JSON).body("{\"template\": " + template + ", \"seed\": 1}")
                .when().post("/v1/variants")
                .then().statusCode(400)
                .body("errors[0].path", equalTo("template"))
                .body("errors[0].message", containsString("every draw puts the problem on a kink"));
    }

    @Test
    void aTemplateTooLargeToDrawOnceIs422BeforeAnythingRuns() {
        String template = allKinks(400); // one draw alone is predicted over max-work
        long started = gate.started();
        // outside the contract's validator, which takes seconds over a body of 320,000 numbers
        raw().contentType(ContentType.JSON).body("{\"template\": " + template + ", \"seed\": 1, \"allow_kinks\": true}")
                .when().post("/v1/variants")
                .then().statusCode(422)
                .body("limit", equalTo("chainrule.limits.max-work"));
        assertThat(gate.started()).as("computations started").isEqualTo(started);
    }

    @Test
    void aBatchOverManySeedsIs422BeforeAnyIsDrawn() {
        String template = allKinks(30);
        List<String> submissions = new ArrayList<>();
        for (int seed = 0; seed < 300; seed++) {
            submissions.add("{\"id\": \"s" + seed + "\", \"seed\": " + seed + ", \"answers\": {}}");
        }
        String body = "{\"problem\": {\"template\": " + template + ", \"allow_kinks\": true}, \"submissions\": ["
                + String.join(", ", submissions) + "]}";
        long started = gate.started();
        api().contentType(ContentType.JSON).body(body).when().post("/v1/grade/batch")
                .then().statusCode(422)
                .body("limit", equalTo("chainrule.limits.max-work"))
                .body("errors[0].path", equalTo("submissions"));
        assertThat(gate.started()).as("computations started").isEqualTo(started);
        // one of those seeds alone is within the limit
        api().contentType(ContentType.JSON).body("{\"problem\": {\"template\": " + template + ", \"seed\": 7, \"allow_kinks\": true},"
                + " \"answers\": {}}").when().post("/v1/grade").then().statusCode(200);
    }

    @Test
    void drawsWaitForTheGateInGradingAsInVariants() throws Exception {
        String onKinks = allKinks(2); // drawn, each of its draws a 400: drawn outside the gate, it would answer that
        String grade = "{\"problem\": {\"template\": " + onKinks + ", \"seed\": 1}, \"answers\": {}}";
        String variant = "{\"template\": " + onKinks + ", \"seed\": 1}";
        try (HeldSlot held = HeldSlot.hold(answers)) {
            api().contentType(ContentType.JSON).body(grade).when().post("/v1/grade")
                    .then().statusCode(503).body("type", equalTo("/problems/overloaded"));
            api().contentType(ContentType.JSON).body(variant).when().post("/v1/variants")
                    .then().statusCode(503).body("type", equalTo("/problems/overloaded"));
            api().queryParam("seed", 1).when().get("/v1/examples/cs224n-lecture3")
                    .then().statusCode(503).body("type", equalTo("/problems/overloaded"));
        }
        // with the slot free, the draws run and land on their kinks
        api().contentType(ContentType.JSON).body(grade).when().post("/v1/grade")
                .then().statusCode(400).body("errors[0].path", equalTo("problem.template"));
    }
}
