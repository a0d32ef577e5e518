package dev.chainrule.http;

import static org.hamcrest.Matchers.equalTo;

import dev.chainrule.ApiTest;
import org.junit.jupiter.api.Test;

/** With the shipped configuration only health is open to anonymous callers. */
class DefaultExposureTest extends ApiTest {

    @Test
    void onlyHealthIsExposed() {
        raw().get("/actuator/health/readiness").then().statusCode(200).body("status", equalTo("UP"));
        raw().get("/actuator/prometheus").then().statusCode(404);
        raw().get("/actuator/info").then().statusCode(404);
        raw().get("/actuator/env").then().statusCode(404);
        raw().get("/actuator/metrics").then().statusCode(404);
    }

    @Test
    void healthShowsNoDetails() {
        raw().get("/actuator/health").then().statusCode(200).body("components", equalTo(null));
    }
}
