package dev.chainrule.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.chainrule.examples.Examples;
import dev.chainrule.graph.GraphProperties;
import dev.chainrule.graph.GraphReader;
import dev.chainrule.graph.GraphSolver;
import dev.chainrule.config.CorsProperties;
import dev.chainrule.config.EngineConfiguration;
import dev.chainrule.gradients.GradientsConfiguration;
import dev.chainrule.wire.WireConfiguration;
import dev.chainrule.http.HttpConfiguration;
import dev.chainrule.errors.JsonText;
import dev.chainrule.config.Limits;
import dev.chainrule.variants.Variants;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The grading endpoints' answers to hostile requests (regression tests of issue 27): feedback and error lists bounded
 * before they are built (a 169 kB request of 6,000 unknown answers against a problem with 49,000-character names
 * stays small; finding 1), CSV cells defused (finding 3), and the HTTP edges that Spring MVC and the filters answer
 * (finding 6). A web slice: the grading controller, the advice and the filters. Alone
 * (@Isolated): it reads the console, which another class running meanwhile would write to.
 */
@Isolated
@WebMvcTest(controllers = GradingController.class)
@ExtendWith(OutputCaptureExtension.class)
@Import({EngineConfiguration.class, GradientsConfiguration.class, HttpConfiguration.class, WireConfiguration.class,
        Variants.class, Examples.class, GradingOverMvcTest.Graphs.class})
@EnableConfigurationProperties({Limits.class, CorsProperties.class, GradingProperties.class})
class GradingOverMvcTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class Graphs {
        @Bean
        GraphReader graphReader() {
            return new GraphReader(GraphProperties.defaults());
        }

        @Bean
        GraphSolver graphSolver(Limits limits) {
            return new GraphSolver(limits);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private MockMvc mvc;

    private String grade(String body, int status) throws Exception {
        return mvc.perform(post("/v1/grade").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().is(status)).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    /** The finding's request: two nodes named by 49,000 a's and 6,000 answers under names the problem has not. */
    static String findingsRequest(int answers) {
        String a = "a".repeat(49_000);
        StringBuilder body = new StringBuilder("{\"problem\": {\"expression\": \"").append(a).append(" = x\\nf = ").append(a)
                .append(" * 2\", \"values\": {\"x\": 1}}, \"answers\": {");
        for (int i = 0; i < answers; i++) {
            body.append(i == 0 ? "" : ", ").append("\"u").append(i).append("\": 1");
        }
        return body.append("}}").toString();
    }

    @Test
    void sixThousandUnknownAnswersAgainstLongNamesGetASmallAnswer() throws Exception {
        String request = findingsRequest(6_000);
        assertThat(request.length()).isBetween(160_000, 175_000);
        String answer = grade(request, 200);
        JsonNode results = JSON.readTree(answer).get("results");
        assertThat(results.size()).isEqualTo(6_000);
        JsonNode first = results.get("u0");
        assertThat(first.get("diagnosis").asString()).isEqualTo("unknown_name");
        assertThat(first.get("feedback").asString())
                .startsWith("This problem has no quantity named \"u0\". Its names are x, " + JsonText.abbreviate("a".repeat(49_000)) + ", f");
        // every feedback a few hundred bytes, whatever the names' length: the answer is under 400 bytes an answer
        for (JsonNode r : results) {
            assertThat(r.get("feedback").asString().length()).isLessThan(300);
        }
        assertThat(answer.getBytes(StandardCharsets.UTF_8).length).isLessThan(6_000 * 400);
    }

    @Test
    void aProblemWithManyNamesListsTheNearestAndCountsTheRest() throws Exception {
        // 60 inputs x0…x59 summed (119 nodes): the feedback lists the 8 names nearest the unknown one, and how many more
        StringBuilder expression = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            expression.append(i == 0 ? "f = " : " + ").append("x").append(i);
            values.append(i == 0 ? "" : ", ").append("\"x").append(i).append("\": ").append(i);
        }
        String body = "{\"problem\": {\"expression\": \"" + expression + "\", \"values\": {" + values + "}},"
                + " \"answers\": {\"x42a\": 1, \"X7\": 1}}";
        JsonNode results = JSON.readTree(grade(body, 200)).get("results");
        String feedback = results.get("x42a").get("feedback").asString();
        assertThat(feedback).contains("Its names include x4, x40, x41, x42, x43, x44, x45, x46 and 111 more"
                + " (the answer under a name is ∂f/∂name)");
        assertThat(feedback).contains("forward.x4, forward.x40, forward.x41, forward.x42, forward.x43, forward.x44,"
                + " forward.x45, forward.x46 and 111 more for the forward values");
        assertThat(results.get("X7").get("feedback").asString()).contains("(did you mean \"x7\"?)");
    }

    @Test
    void questionsThatNameNothingAreListedBoundedAndCounted() throws Exception {
        StringBuilder questions = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            questions.append(i == 0 ? "" : ", ").append("\"q").append(i).append("\"");
        }
        String body = "{\"problem\": {\"expression\": \"" + "b".repeat(20_000) + " = x\\nf = 2 * " + "b".repeat(20_000)
                + "\", \"values\": {\"x\": 1}}, \"answers\": {}, \"questions\": [" + questions + "]}";
        String answer = grade(body, 400);
        JsonNode errors = JSON.readTree(answer).get("errors");
        assertThat(errors.size()).isBetween(2, 51);
        String b = "b".repeat(20_000);
        assertThat(errors.get(0).get("message").asString()).isEqualTo("\"q0\" names no quantity of this problem; its names are x, "
                + JsonText.abbreviate(b) + ", f, forward.x, " + JsonText.abbreviate("forward." + b) + ", forward.f");
        int listed = errors.size() - 1;
        assertThat(errors.get(listed).get("message").asString()).startsWith("and " + (5_000 - listed) + " more problems not listed here");
        assertThat(answer.length()).isLessThan(20_000);
    }

    /** A student id and an answer name that a spreadsheet would run as formulas, in both views of the CSV. */
    @Test
    void aBatchAsCsvDefusesEveryCellInBothViews() throws Exception {
        String body = "{\"problem\": {\"expression\": \"f = x * 2\", \"values\": {\"x\": 1}},"
                + " \"submissions\": [{\"id\": \"\\u0000=1+1\", \"answers\": {\" =HYPERLINK(1)\": 1, \"x\": 2}},"
                + " {\"id\": \" @SUM(A1)\", \"answers\": {}}, {\"id\": \"\\t-2\", \"answers\": {\"x\": 3}}]}";
        String answers = mvc.perform(post("/v1/grade/batch").contentType(MediaType.APPLICATION_JSON).accept("text/csv").content(body))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        String[] rows = answers.split("\r\n");
        assertThat(rows[1]).startsWith("'\u0000=1+1,' =HYPERLINK(1),false,unknown_name,");
        assertThat(rows[2]).startsWith("'\u0000=1+1,x,true,correct,1,");
        assertThat(rows[3]).startsWith("'\t-2,x,false,");
        String students = mvc.perform(post("/v1/grade/batch?view=students").contentType(MediaType.APPLICATION_JSON)
                .accept("text/csv").content(body)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(students.split("\r\n")).extracting(row -> row.substring(0, row.indexOf(','))).containsExactly(
                "id", "'\u0000=1+1", "' @SUM(A1)", "'\t-2");
    }

    private static final String SMALL = "{\"problem\": {\"expression\": \"f = x * 2\", \"values\": {\"x\": 1}},"
            + " \"submissions\": [{\"id\": \"a\", \"answers\": {\"x\": 2}}]}";

    @Test
    void aPreflightListsOnlyTheMethodsThePathTakes() throws Exception {
        for (String path : List.of("/v1/grade", "/v1/grade/batch")) {
            mvc.perform(options(path).header("Origin", "http://elsewhere.example").header("Access-Control-Request-Method", "POST"))
                    .andExpect(status().isOk())
                    .andExpect(header().string("Allow", "POST,OPTIONS"))
                    .andExpect(header().string("Access-Control-Allow-Origin", "*"));
        }
    }

    @Test
    void aPreflightForAMethodNoPathTakesIsAProblemNamingIt() throws Exception {
        mvc.perform(options("/v1/grade").header("Origin", "http://elsewhere.example").header("Access-Control-Request-Method", "PUT"))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/cors-rejected"))
                .andExpect(jsonPath("$.status").value(403))
                .andExpect(jsonPath("$.instance").value("/v1/grade"))
                .andExpect(jsonPath("$.detail").value("A cross-origin PUT is not allowed: the service takes GET, POST, OPTIONS."));
    }

    @Test
    void aMethodThePathDoesNotTakeIsA405WithoutAWarning(CapturedOutput output) throws Exception {
        mvc.perform(put("/v1/grade").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(header().string("Allow", "POST"))
                .andExpect(jsonPath("$.type").value("/problems/method-not-allowed"));
        assertThat(output.getAll()).doesNotContain("Request method 'PUT' is not supported").doesNotContain("WARN");
    }

    @Test
    void aCompressedBodyIsA415BeforeItIsRead() throws Exception {
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
            gz.write(SMALL.getBytes(StandardCharsets.UTF_8));
        }
        for (String coding : List.of("gzip", "br", "deflate, gzip")) {
            mvc.perform(post("/v1/grade/batch").contentType(MediaType.APPLICATION_JSON).header("Content-Encoding", coding)
                            .content(zipped.toByteArray()))
                    .andExpect(status().isUnsupportedMediaType())
                    .andExpect(header().string("Accept-Encoding", "identity"))
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value("/problems/unsupported-media-type"))
                    .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("The body is sent with Content-Encoding "
                            + (coding.equals("deflate, gzip") ? "a content coding" : coding) + ", which the service does not decode")));
        }
        mvc.perform(post("/v1/grade/batch").contentType(MediaType.APPLICATION_JSON).header("Content-Encoding", "identity").content(SMALL))
                .andExpect(status().isOk());
    }

    @Test
    void aPlatformsFormatAskedForAsCsvIsA406() throws Exception {
        mvc.perform(post("/v1/grade/batch?format=gradescope").contentType(MediaType.APPLICATION_JSON).accept("text/csv").content(SMALL))
                .andExpect(status().isNotAcceptable())
                .andExpect(jsonPath("$.type").value("/problems/not-acceptable"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("it answers application/json")));
        mvc.perform(post("/v1/grade/batch?format=gradescope").contentType(MediaType.APPLICATION_JSON)
                        .accept("text/csv;q=0.5, application/json").content(SMALL))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.submissions[0].id").value("a"));
    }

    @Test
    void aNumberTooLargeForADoubleIsNamedAsWritten() throws Exception {
        for (String written : List.of("1e400", "-2.5E+999", "1" + "0".repeat(400) + ".5")) {
            String body = "{\"problem\": {\"expression\": \"f = x * 2\", \"values\": {\"x\": " + written + "}}, \"answers\": {}}";
            mvc.perform(post("/v1/grade").contentType(MediaType.APPLICATION_JSON).content(body))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors[0].path").value("problem.values.x"))
                    .andExpect(jsonPath("$.errors[0].message").value("the number " + JsonText.abbreviate(written)
                            + " is too large for double precision"));
        }
    }

    @Test
    void aBatchOverTheLimitSaysSoOnce() throws Exception {
        StringBuilder submissions = new StringBuilder();
        for (int i = 0; i < 2_001; i++) {
            submissions.append(i == 0 ? "" : ", ").append("{\"id\": \"s").append(i).append("\", \"answers\": {}}");
        }
        String body = "{\"problem\": {\"expression\": \"f = x * 2\", \"values\": {\"x\": 1}}, \"submissions\": [" + submissions + "]}";
        mvc.perform(post("/v1/grade/batch").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.detail").value("submissions in the batch: 2001 is over the limit of 2000"
                        + " (chainrule.grading.max-submissions)."));
    }

    @Test
    void wrongEntriesListTheFirstHundredAndTheFeedbackCountsThemAll() throws Exception {
        // f = sum(v) over 1,000 entries: ∂f/∂v is all ones; an answer with 400 zeros is partial
        StringBuilder v = new StringBuilder();
        StringBuilder answer = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            v.append(i == 0 ? "" : ", ").append(i);
            answer.append(i == 0 ? "" : ", ").append(i % 5 < 2 ? "0" : "1");
        }
        String body = "{\"problem\": {\"expression\": \"f = sum(v)\", \"values\": {\"v\": [" + v + "]}},"
                + " \"answers\": {\"v\": [" + answer + "]}}";
        JsonNode v1 = JSON.readTree(grade(body, 200)).get("results").get("v");
        assertThat(v1.get("diagnosis").asString()).isEqualTo("partial");
        assertThat(v1.get("feedback").asString())
                .isEqualTo("400 of 1000 entries are wrong (the first 100 listed in wrong_entries); the others are right.");
        assertThat(v1.get("wrong_entries").size()).isEqualTo(100);
        assertThat(v1.get("wrong_entries").get(99).get(0).asInt()).isEqualTo(246);
    }
}
