package dev.chainrule.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The problems written by hand (filters, the CORS refusal, Tomcat's reports) against those the advice writes: the
 * same members in the same order, the same title for the same type, and JSON whatever the detail holds.
 */
class ProblemJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void eachTypeHasOneTitleWhoeverAnswers() {
        for (ProblemTypes.Explanation e : ProblemTypes.ALL) {
            if (!e.type().equals(ProblemTypes.BAD_REQUEST)) {
                assertThat(ProblemTypes.title(e.type(), e.code())).as(e.name()).isEqualTo(e.title());
                assertThat(JSON.readTree(ProblemJson.body(e.type(), e.code(), "d", "/v1/x", "")).get("title").asString())
                        .as(e.name()).isEqualTo(e.title());
            }
        }
    }

    @Test
    void anyOtherClientErrorIsTitledByItsStatus() {
        assertThat(ProblemTypes.title(ProblemTypes.BAD_REQUEST, 400)).isEqualTo("Bad Request");
        assertThat(ProblemTypes.title(ProblemTypes.BAD_REQUEST, 408)).isEqualTo("Request Timeout");
        assertThat(ProblemTypes.title(ProblemTypes.BAD_REQUEST, 431)).isEqualTo("Request Header Fields Too Large");
        assertThat(ProblemTypes.title(ProblemTypes.BAD_REQUEST, 499)).isEqualTo("Bad request");
        assertThatThrownBy(() -> ProblemTypes.title(URI.create("/problems/nonesuch"), 400))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void membersComeInTheAdvicesOrderAndTheDetailIsQuoted() {
        String detail = "a \"quoted\" name,\na new line, a tab\t, a backslash \\ and a lone surrogate \uD800.";
        JsonNode p = JSON.readTree(ProblemJson.body(ProblemTypes.BODY_TOO_LARGE, 413, detail, "/v1/gradients?x=<y>",
                "\"limit\":\"chainrule.limits.max-body-bytes\",\"max\":10"));
        assertThat(p.propertyNames()).containsExactly("type", "title", "status", "detail", "instance", "limit", "max");
        assertThat(p.get("type").asString()).isEqualTo("/problems/body-too-large");
        assertThat(p.get("status").intValue()).isEqualTo(413);
        assertThat(p.get("detail").asString()).isEqualTo(detail.replace('\uD800', '\uFFFD'));
        assertThat(p.get("instance").asString()).isEqualTo("/v1/gradientsxy");
        assertThat(p.get("max").intValue()).isEqualTo(10);
    }

    @Test
    void withoutAPathThereIsNoInstance() {
        JsonNode p = JSON.readTree(ProblemJson.body(ProblemTypes.INTERNAL, 500, "failed", null, ""));
        assertThat(p.propertyNames()).containsExactly("type", "title", "status", "detail");
    }

    /** Every status Tomcat may report itself is answered as a problem titled as its type is, never as Tomcat's page. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"400|/problems/bad-request|Bad Request", "404|/problems/not-found|Not found",
        "405|/problems/method-not-allowed|Method not allowed", "408|/problems/bad-request|Request Timeout",
        "413|/problems/body-too-large|Body too large", "431|/problems/bad-request|Request Header Fields Too Large",
        "500|/problems/internal-error|Internal error", "501|/problems/method-not-allowed|Method not allowed",
        "503|/problems/overloaded|Service busy", "505|/problems/bad-request|HTTP Version not supported",
        "418|/problems/bad-request|I'm a teapot"})
    void tomcatsOwnReportsAreTitledByTheirType(int status, String type, String title) {
        JsonNode p = JSON.readTree(ProblemReportValve.body(status));
        assertThat(p.propertyNames()).containsExactly("type", "title", "status", "detail");
        assertThat(p.get("type").asString()).isEqualTo(type);
        assertThat(p.get("title").asString()).isEqualTo(title);
        assertThat(p.get("status").intValue()).isEqualTo(status);
        assertThat(p.get("detail").asString()).isNotBlank();
    }
}
