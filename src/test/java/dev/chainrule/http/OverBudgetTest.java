package dev.chainrule.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import org.springframework.test.context.TestPropertySource;

/**
 * With {@code max-work} at 1 unit, every request's predicted work is over it: each endpoint answers 422 naming the
 * limit, and no computation starts.
 */
@TestPropertySource(properties = {"chainrule.limits.max-work=1", "chainrule.warm-up=0s"})
class OverBudgetTest extends EveryEndpointIsGuarded {

    @Override
    void refuses(Attempt attempt, Response r) {
        assertThat(r.statusCode()).as(describe(attempt, r)).isEqualTo(422);
        assertThat(r.jsonPath().getString("type")).as(describe(attempt, r)).isEqualTo("/problems/limit-exceeded");
        assertThat(r.jsonPath().getString("limit")).as(describe(attempt, r)).isEqualTo("chainrule.limits.max-work");
    }

    @Override
    void afterAll(long startedBefore) {
        assertThat(gate.started()).as("computations started for requests refused before they ran").isEqualTo(startedBefore);
    }
}
