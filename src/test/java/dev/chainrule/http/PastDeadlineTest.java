package dev.chainrule.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import org.springframework.test.context.TestPropertySource;

/**
 * With a deadline of 0, every computation is past its time at its first check: each endpoint's work starts in the
 * gate and is stopped there, answered 503.
 */
@TestPropertySource(properties = {"chainrule.limits.deadline=0ms", "chainrule.warm-up=0s"})
class PastDeadlineTest extends EveryEndpointIsGuarded {

    @Override
    void refuses(Attempt attempt, Response r) {
        assertThat(r.statusCode()).as(describe(attempt, r)).isEqualTo(503);
        assertThat(r.jsonPath().getString("type")).as(describe(attempt, r)).isEqualTo("/problems/deadline-exceeded");
    }

    @Override
    void afterAll(long startedBefore) {
        assertThat(gate.started()).as("each stopped in the gate, so each started there").isGreaterThan(startedBefore);
    }
}
