package dev.chainrule.examples;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.chainrule.config.CorsProperties;
import dev.chainrule.config.EngineConfiguration;
import dev.chainrule.config.Limits;
import dev.chainrule.http.HttpConfiguration;
import dev.chainrule.wire.WireConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@code GET /v1/examples/{id}} answers a mistyped query parameter by naming the one it takes, {@code seed}, though
 * the handler without a seed (this package's) is the one that matched. A web slice: the controller, the filters and
 * the interceptor that checks query parameters.
 */
@WebMvcTest(controllers = ExamplesController.class)
@Import({Examples.class, EngineConfiguration.class, HttpConfiguration.class, WireConfiguration.class})
@EnableConfigurationProperties({Limits.class, CorsProperties.class})
class ExampleQueryTest {

    @Autowired
    private MockMvc mvc;

    @Test
    void aMistypedSeedIsNamedWithTheParameterTheEndpointTakes() throws Exception {
        String message = "unknown query parameter \"sed\" (did you mean \"seed\"?): /v1/examples/cs224n-lecture3 takes seed";
        mvc.perform(get("/v1/examples/cs224n-lecture3?sed=17")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("/problems/invalid-request"))
                .andExpect(jsonPath("$.errors[0].path").value("sed"))
                .andExpect(jsonPath("$.errors[0].message").value(message));
        mvc.perform(get("/v1/examples?sed=17")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].message")
                        .value("unknown query parameter \"sed\": /v1/examples takes no query parameters"));
        mvc.perform(get("/v1/examples/cs224n-lecture3")).andExpect(status().isOk());
    }
}
