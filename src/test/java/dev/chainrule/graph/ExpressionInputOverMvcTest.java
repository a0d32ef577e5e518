package dev.chainrule.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.chainrule.config.CorsProperties;
import dev.chainrule.config.EngineConfiguration;
import dev.chainrule.wire.WireConfiguration;
import dev.chainrule.http.HttpConfiguration;
import dev.chainrule.config.Limits;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Expressions at the parser's edges (regression tests of issue 27, finding 4, each once a 500): characters beyond ASCII
 * in names and numbers, an expression of separators only, a constant exponent that overflows. Each is a 400 naming the
 * statement and the column, with no lone surrogate in it. A web slice: the controller, the advice and the filters.
 */
@WebMvcTest(controllers = GraphController.class)
@Import({EngineConfiguration.class, HttpConfiguration.class, WireConfiguration.class, GraphConfiguration.class})
@EnableConfigurationProperties({Limits.class, CorsProperties.class, GraphProperties.class})
class ExpressionInputOverMvcTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private MockMvc mvc;

    private ResultActions graph(String expression) throws Exception {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("expression", expression);
        body.putObject("values").put("x", 1);
        return mvc.perform(post("/v1/graph").contentType(MediaType.APPLICATION_JSON)
                .content(JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8)));
    }

    /** The answer as the client reads it: JSON escapes of a lone surrogate ({@code \ud835}) are what must not be there. */
    private static String raw(ResultActions r) throws Exception {
        return r.andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "f = xé      | 6 | \"é\" (U+00E9)",
            "f = x ٣     | 7 | \"٣\" (U+0663)",
            "f = ｘ      | 5 | \"ｘ\" (U+FF58)",
            "f = 1e٣     | 7 | \"٣\" (U+0663)",
            "f = ١.٢     | 5 | \"١\" (U+0661)",
            "f = 𝑥       | 5 | \"𝑥\" (U+1D465)",
            "f = x * 𝑥 + 1 | 9 | \"𝑥\" (U+1D465)",
            "f = x\u00a0+ 1 | 6 | U+00A0"})
    void aCharacterBeyondAsciiIsA400AtItsColumn(String expression, int column, String named) throws Exception {
        ResultActions r = graph(expression.strip())
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("/problems/invalid-request"))
                .andExpect(jsonPath("$.errors[0].path").value("expression"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("statement 1 (")))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("column " + column + ": found " + named
                        + ", which is not ASCII")));
        assertWellFormed(raw(r));
    }

    /** The expressions as JSON text: a JSON escape carries a lone surrogate that UTF-8 itself cannot. */
    @ParameterizedTest
    @ValueSource(strings = {"f = x\\ud835", "f = \\udc65 * x", "\\ud835\\udc65 = x\\nf = \\ud835", "f = x\\nf\\ud835 = 1"})
    void aLoneSurrogateSentIsNeverEchoed(String expression) throws Exception {
        String body = "{\"expression\": \"" + expression + "\", \"values\": {\"x\": 1}}";
        assertWellFormed(raw(mvc.perform(post("/v1/graph").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isBadRequest())));
    }

    /** No surrogate without its pair in the answer, neither as a character nor as a JSON escape. */
    static void assertWellFormed(String body) {
        assertThat(body).doesNotContainPattern("\\\\u[dD][89a-fA-F]");
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertThat(i + 1 < body.length() && Character.isLowSurrogate(body.charAt(++i))).as("paired at %d", i).isTrue();
            } else {
                assertThat(Character.isLowSurrogate(c)).as("lone low surrogate at %d", i).isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {";", " ; ;\n", ";;;"})
    void separatorsAloneAreA400(String expression) throws Exception {
        graph(expression)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].path").value("expression"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("holds no statement")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "f = x * 0.5 ^ 2 ^ 1e9 | column 15: the exponent 2 ^ 1e9 is too large for double precision",
            "f = x ^ 10 ^ 400      | column 9: the exponent 10 ^ 400 is too large for double precision",
            "f = x ^ (-8) ^ 0.5    | column 9: the exponent (-8) ^ 0.5 is not a real number",
            "f = 1e309 * x         | column 5: the number 1e309 is too large for double precision"})
    void aConstantThatIsNotFiniteIsA400AsALiteralIs(String expression, String message) throws Exception {
        graph(expression.strip())
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].message").value(containsString(message)))
                .andExpect(content().string(not(containsString("Infinity"))));
    }
}
