package dev.chainrule;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Base of the tests that talk to the running server over HTTP: every request and response goes through the
 * swagger-request-validator filter, so each is checked against the top-level {@code openapi.yaml}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiTest {

    /** One validator for the whole run: parsing the document is the slow part. */
    private static final OpenApiValidationFilter CONTRACT = new OpenApiValidationFilter(
            OpenApiInteractionValidator.createForSpecificationUrl(Path.of("openapi.yaml").toAbsolutePath().toUri().toString())
                    .build());

    /** Numbers read back as doubles, not floats, so 1e-12 comparisons mean what they say. */
    private static final RestAssuredConfig DOUBLES = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

    @LocalServerPort
    protected int port;

    @BeforeEach
    void pointRestAssuredAtTheServer() {
        RestAssured.port = port;
    }

    /** A request whose exchange must agree with openapi.yaml. */
    protected RequestSpecification api() {
        return RestAssured.given().config(DOUBLES).port(port).filter(CONTRACT);
    }

    /** A request outside the contract's checks (a deliberately malformed body, say). */
    protected RequestSpecification raw() {
        return RestAssured.given().config(DOUBLES).port(port);
    }
}
