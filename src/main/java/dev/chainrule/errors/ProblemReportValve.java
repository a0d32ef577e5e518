package dev.chainrule.errors;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's own error page, as problem+json: what the container refuses before the application sees the request (a
 * header over the size limit, too many query parameters, {@code %2F} or {@code %00} in the path, a bad
 * Content-Length, {@code Transfer-Encoding: chunked, identity}, the method CONNECT) is answered like every other
 * error of the service, with the same security headers, never with Tomcat's HTML page.
 */
public final class ProblemReportValve extends ErrorReportValve {

    public ProblemReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            SecurityHeaders.write(response);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body(status));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot be written: nothing more to say
        }
    }

    /** The problem for a status the container set itself. */
    static String body(int status) {
        URI type;
        String detail;
        switch (status) {
            case 400, 431, 414, 505 -> {
                type = ProblemTypes.BAD_REQUEST;
                detail = "The request is not HTTP the service accepts (its request line, headers, path encoding, query"
                        + " parameters or body framing); it was refused before it was read.";
            }
            case 404 -> {
                type = ProblemTypes.NOT_FOUND;
                detail = "There is nothing at this path; the API is under /v1 (see /openapi.yaml).";
            }
            case 405 -> {
                type = ProblemTypes.METHOD_NOT_ALLOWED;
                detail = "This method is not supported here.";
            }
            case 501 -> { // CONNECT: Tomcat proxies nothing
                type = ProblemTypes.METHOD_NOT_ALLOWED;
                detail = "This method is not implemented by the service; it takes GET, HEAD, POST and OPTIONS.";
            }
            case 408 -> {
                type = ProblemTypes.BAD_REQUEST;
                detail = "The request did not arrive in time.";
            }
            case 413 -> {
                type = ProblemTypes.BODY_TOO_LARGE;
                detail = "The body is larger than the service reads.";
            }
            case 503 -> {
                type = ProblemTypes.OVERLOADED;
                detail = "The service cannot answer now; try again later.";
            }
            default -> {
                type = status >= 500 ? ProblemTypes.INTERNAL : ProblemTypes.BAD_REQUEST;
                detail = status >= 500 ? "The service failed to answer this request." : "The request cannot be answered as sent.";
            }
        }
        return ProblemJson.body(type, status, detail, null, "");
    }
}
