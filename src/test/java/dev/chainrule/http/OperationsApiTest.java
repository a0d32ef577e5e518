package dev.chainrule.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

import dev.chainrule.ApiTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The operations surface against the running server: health groups, info, Prometheus metrics (request timings and
 * the problem counter) and the request id header. Exposure of info and prometheus is switched on here as an operator
 * would; {@link DefaultExposureTest} checks that by default only health is open.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoints.web.exposure.include=health,info,prometheus")
class OperationsApiTest extends ApiTest {

    private static final String ONE_LAYER = """
            {"network": {"layers": [{"type": "score", "u": [1.0, -2.0]}]}, "x": [1, 2], "loss": {"type": "score"}}
            """;

    @Test
    void livenessAndReadinessGroupsAreUp() {
        raw().get("/actuator/health/liveness").then().statusCode(200).body("status", equalTo("UP"));
        raw().get("/actuator/health/readiness").then().statusCode(200).body("status", equalTo("UP"));
        raw().get("/actuator/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void infoShowsTheBuildVersion() {
        raw().get("/actuator/info").then().statusCode(200)
                .body("build.artifact", equalTo("chainrule"))
                .body("build.version", not(emptyOrNullString()));
    }

    @Test
    void prometheusShowsRequestTimingsAndProblemCounts() {
        api().contentType(ContentType.JSON).body(ONE_LAYER).post("/v1/gradients").then().statusCode(200);
        raw().contentType(ContentType.JSON).body("{\"network\": ").post("/v1/gradients").then().statusCode(400);
        // refused by a filter before Spring MVC sees it: counted all the same
        raw().contentType(ContentType.JSON).body("[" + "0,".repeat(3_000_000) + "0]").post("/v1/gradients")
                .then().statusCode(413);

        String metrics = raw().get("/actuator/prometheus").then().statusCode(200).extract().asString();

        assertThat(metrics).containsPattern(
                "http_server_requests_seconds_count\\{[^}]*method=\"POST\"[^}]*status=\"200\"[^}]*uri=\"/v1/gradients\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern(
                "chainrule_problems_total\\{[^}]*status=\"400\"[^}]*type=\"/problems/malformed-json\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern(
                "chainrule_problems_total\\{[^}]*status=\"413\"[^}]*type=\"/problems/body-too-large\"[^}]*} [1-9]");
    }

    @Test
    void everyAnswerCarriesARequestId() {
        raw().get("/actuator/health").then().header(RequestLogFilter.HEADER, matchesPattern("[0-9a-f-]{36}"));
        raw().header(RequestLogFilter.HEADER, "lb-42.abc").contentType(ContentType.JSON).body(ONE_LAYER)
                .post("/v1/gradients").then().statusCode(200).header(RequestLogFilter.HEADER, equalTo("lb-42.abc"));
        // an error answer carries it too
        raw().header(RequestLogFilter.HEADER, "req:7").get("/nowhere")
                .then().statusCode(404).header(RequestLogFilter.HEADER, equalTo("req:7"));
    }

    @Test
    void anInsaneRequestIdIsReplaced() {
        String sent = "x".repeat(200);
        String echoed = raw().header(RequestLogFilter.HEADER, sent).get("/actuator/health/liveness")
                .then().statusCode(200).extract().header(RequestLogFilter.HEADER);
        assertThat(echoed).isNotEqualTo(sent).matches("[0-9a-f-]{36}");
        assertThat(RequestLogFilter.requestId("a b")).isNotEqualTo("a b");
        assertThat(RequestLogFilter.requestId(null)).hasSize(36);
        java.util.UUID fresh = java.util.UUID.fromString(RequestLogFilter.requestId(null));
        assertThat(fresh.version()).isEqualTo(4);
        assertThat(fresh.variant()).isEqualTo(2);
        assertThat(RequestLogFilter.requestId(null)).isNotEqualTo(RequestLogFilter.requestId(null));
    }
}
