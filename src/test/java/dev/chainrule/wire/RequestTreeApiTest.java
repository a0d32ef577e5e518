package dev.chainrule.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.chainrule.ApiTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import tools.jackson.databind.JsonNode;

/** The service reads {@code @RequestBody JsonNode} with {@link RequestTree} first, and Jackson's errors still come out. */
class RequestTreeApiTest extends ApiTest {

    @Autowired
    RequestMappingHandlerAdapter mvc;

    @Test
    void requestTreesAreReadTheFastWayFirst() {
        HttpMessageConverter<?> first = mvc.getMessageConverters().stream()
                .filter(c -> c.canRead(JsonNode.class, MediaType.APPLICATION_JSON)).findFirst().orElseThrow();
        assertThat(first).isInstanceOf(RequestTree.Converter.class);
    }

    @Test
    void aPlainBodyAndADeclinedOneAnswerAsBefore() throws Exception {
        String body = Files.readString(Path.of("scripts/bodies/cs224n.json"));
        api().contentType("application/json").body(body).post("/v1/gradients").then().statusCode(200);
        // a key twice: declined here, refused by Jackson with the path of the key
        raw().contentType("application/json").body("{\"x\": [1], \"x\": [2]}").post("/v1/gradients")
                .then().statusCode(400).body("status", equalTo(400));
    }
}
