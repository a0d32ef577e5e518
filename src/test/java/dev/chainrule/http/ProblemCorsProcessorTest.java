package dev.chainrule.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.cors.CorsConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A refused cross-origin request is a 403 problem naming what was refused, with what the client sent escaped. */
class ProblemCorsProcessorTest {

    private static CorsConfiguration config() {
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(List.of("https://course.example"));
        config.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
        config.setAllowedHeaders(List.of("Content-Type"));
        return config;
    }

    private static JsonNode refused(MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        assertThat(new ProblemCorsProcessor().processRequest(config(), request, response)).isFalse();
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        JsonNode problem = JsonMapper.builder().build().readTree(response.getContentAsByteArray());
        assertThat(problem.get("type").asString()).isEqualTo("/problems/cors-rejected");
        assertThat(problem.get("title").asString()).isEqualTo("Cross-origin request refused");
        return problem;
    }

    private static MockHttpServletRequest preflight(String origin, String method) {
        MockHttpServletRequest request = new MockHttpServletRequest("OPTIONS", "/v1/gradients");
        request.addHeader("Origin", origin);
        request.addHeader("Access-Control-Request-Method", method);
        return request;
    }

    @Test
    void anOriginNotAllowedIsNamedEscaped() throws Exception {
        JsonNode problem = refused(preflight("https://evil.example\"/\\", "POST"));
        assertThat(problem.get("detail").asString()).isEqualTo("The origin \"https://evil.example\"/\\\" is not one the"
                + " service answers cross-origin requests from (CHAINRULE_CORS_ALLOWED_ORIGINS).");
        assertThat(problem.get("instance").asString()).isEqualTo("/v1/gradients");
    }

    @Test
    void aMethodNotAllowedIsNamedWithTheOnesThatAre() throws Exception {
        assertThat(refused(preflight("https://course.example", "DELETE")).get("detail").asString())
                .isEqualTo("A cross-origin DELETE is not allowed: the service takes GET, POST, OPTIONS.");
    }

    @Test
    void aHeaderNotAllowedIsNamed() throws Exception {
        MockHttpServletRequest request = preflight("https://course.example", "POST");
        request.addHeader("Access-Control-Request-Headers", "X-Secret");
        assertThat(refused(request).get("detail").asString()).isEqualTo("The request headers X-Secret are not allowed cross-origin.");
    }

    @Test
    void anAllowedRequestIsLeftToTheHandler() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        assertThat(new ProblemCorsProcessor().processRequest(config(), preflight("https://course.example", "POST"), response)).isTrue();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEmpty();
    }
}
