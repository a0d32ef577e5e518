package dev.chainrule.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.RawHttp;
import dev.chainrule.network.Golden;
import dev.chainrule.errors.SecurityHeaders;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * What Tomcat refuses itself, before the application sees the request, is answered as problem+json like every other
 * error, with the same security headers (regression tests of issues 16 and 27), over a raw socket since no HTTP client
 * sends such requests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TomcatRejectionsOverSocketTest {

    @LocalServerPort
    private int port;

    private static final String POST_HEAD = "POST /v1/gradients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";

    @Test
    void aHeaderOf100KilobytesIsAProblem() throws Exception {
        assertProblem(400, "/problems/bad-request",
                "GET /v1/examples HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(100_000) + "\r\n\r\n");
    }

    @Test
    void tenThousandQueryParametersAreAProblem() throws Exception {
        String query = IntStream.range(0, 10_000).mapToObj(i -> "p" + i + "=1").collect(Collectors.joining("&"));
        assertProblem(400, "/problems/bad-request",
                "GET /v1/examples?" + query + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }

    @Test
    void anEncodedSlashInThePathIsAProblem() throws Exception {
        assertProblem(400, "/problems/bad-request", "GET /v1/examples%2Fxor HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }

    @Test
    void anEncodedNulInThePathIsAProblem() throws Exception {
        assertProblem(400, "/problems/bad-request", "GET /v1/exa%00mples HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }

    @Test
    void aContentLengthThatIsNotANumberIsAProblem() throws Exception {
        assertProblem(400, "/problems/bad-request", POST_HEAD + "Content-Length: abc\r\n\r\n{}");
    }

    @Test
    void chunkedThenIdentityIsAProblem() throws Exception {
        assertProblem(400, "/problems/bad-request",
                POST_HEAD + "Transfer-Encoding: chunked, identity\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
    }

    @Test
    void errorAskedForDirectlyIsNotFoundNotA500() throws Exception {
        assertProblem(404, "/problems/not-found", "GET /error HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }

    @Test
    void anUnknownCharsetIsNamedAsSuch() throws Exception {
        JsonNode p = assertProblem(415, "/problems/unsupported-media-type", "POST /v1/gradients HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json; charset=nope\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        String detail = p.get("detail").asString();
        assertTrue(detail.contains("charset=nope") && detail.contains("charset"), detail);
        assertFalse(detail.contains("no Content-Type was given"), detail);
    }

    @Test
    void connectIsATypedProblemNotAnInternalError() throws Exception {
        JsonNode p = assertProblem(501, "/problems/method-not-allowed", "CONNECT x:443 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(p.get("detail").asString().contains("it takes GET, HEAD, POST and OPTIONS"), p.toString());
    }

    @Test
    void traceIsA405ThatListsOnlyTheMethodsThePathTakes() throws Exception {
        RawHttp.Answer a = RawHttp.exchange(port, "TRACE /v1/gradients HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(405, a.status(), a.head());
        assertProblemBody(a, "/problems/method-not-allowed");
        assertEquals("POST,OPTIONS", a.header("Allow"), a.head());
    }

    @Test
    void expectContinueWithALengthOverTheLimitGets413WithoutAnInvitation() throws Exception {
        RawHttp.Answer a = RawHttp.exchange(port, POST_HEAD + "Expect: 100-continue\r\nContent-Length: 52428800\r\n\r\n");
        assertEquals(413, a.status(), a.head());
        assertProblemBody(a, "/problems/body-too-large");
    }

    private JsonNode assertProblem(int status, String type, String request) throws Exception {
        RawHttp.Answer a = RawHttp.exchange(port, request);
        assertEquals(status, a.status(), a.head() + "\n" + a.body());
        return assertProblemBody(a, type);
    }

    /** A problem+json of the type, small, with the security headers every answer of the service carries. */
    private static JsonNode assertProblemBody(RawHttp.Answer a, String type) {
        assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, a.header("Content-Security-Policy"), a.head());
        assertEquals("nosniff", a.header("X-Content-Type-Options"), a.head());
        assertEquals("DENY", a.header("X-Frame-Options"), a.head());
        String contentType = a.header("Content-Type");
        assertNotNull(contentType, a.head());
        assertTrue(contentType.startsWith("application/problem+json"), contentType);
        assertFalse(a.body().contains("<html") || a.body().contains("Apache Tomcat"), a.body());
        JsonNode p = Golden.json().readTree(a.body());
        assertEquals(type, p.get("type").asString());
        assertEquals(a.status(), p.get("status").intValue());
        assertTrue(a.body().length() < 2_000, a.body());
        return p;
    }
}
