package dev.chainrule.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.chainrule.OwnApplication;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Settings given as environment variables take effect: the application is started as {@code main} would start it,
 * with the process environment replaced by one that adds {@code CHAINRULE_LIMITS_MAX_LAYERS=2},
 * {@code MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE=health,prometheus} and {@code SERVER_PORT=0}, so the names go
 * through the same relaxed binding as real environment variables do.
 */
class EnvironmentConfigurationTest {

    private static final String THREE_LAYERS = """
            {"network": {"layers": [
               {"type": "dense", "W": [[0.1, 0.2], [0.3, 0.4]], "b": [0.0, 0.0], "activation": "relu"},
               {"type": "dense", "W": [[0.5, -0.5], [0.2, 0.1]], "b": [0.0, 0.0], "activation": "sigmoid"},
               {"type": "score", "u": [1.0, -1.0]}]},
             "x": [1, 2], "loss": {"type": "score"}}
            """;

    @Test
    void environmentVariablesConfigureLimitsAndExposure() {
        Map<String, Object> env = new HashMap<>(System.getenv());
        env.put("CHAINRULE_LIMITS_MAX_LAYERS", "2");
        env.put("MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE", "health,prometheus");
        env.put("SERVER_PORT", "0");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));

        try (ConfigurableApplicationContext context = OwnApplication.builder()
                .environment(environment).run()) {
            assertThat(context.getBean(Limits.class).maxLayers()).isEqualTo(2);
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();

            RestAssured.given().port(port).contentType(ContentType.JSON).body(THREE_LAYERS)
                    .post("/v1/gradients")
                    .then().statusCode(422)
                    .body("type", equalTo("/problems/limit-exceeded"))
                    .body("limit", equalTo("chainrule.limits.max-layers"))
                    .body("max", equalTo(2))
                    .body("errors.path", hasItem("network.layers"));
            RestAssured.given().port(port).get("/actuator/prometheus").then().statusCode(200);
        }
    }
}
