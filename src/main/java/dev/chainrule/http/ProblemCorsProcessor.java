package dev.chainrule.http;

import dev.chainrule.errors.JsonText;
import dev.chainrule.errors.ProblemJson;
import dev.chainrule.errors.ProblemTypes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;

/**
 * Spring's CORS checks, with a refusal answered as every other error is: a 403 problem ({@code /problems/cors-rejected})
 * saying which of origin, method or headers the service does not allow, instead of Spring's plain-text "Invalid CORS
 * request". A browser shows its script only that the request failed; the body is for the person reading the network
 * tab or typing curl.
 */
class ProblemCorsProcessor extends DefaultCorsProcessor {

    @Override
    public boolean processRequest(CorsConfiguration config, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (super.processRequest(config, request, response)) {
            return true;
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(problem(new ServletServerHttpRequest(request), config));
        response.flushBuffer();
        return false;
    }

    /** The status only: the body is written by {@link #processRequest}, which knows what was refused. */
    @Override
    protected void rejectRequest(ServerHttpResponse response) {
        response.setStatusCode(HttpStatus.FORBIDDEN);
    }

    private String problem(ServerHttpRequest request, CorsConfiguration config) {
        HttpHeaders headers = request.getHeaders();
        String origin = headers.getOrigin();
        String detail;
        if (config == null || origin == null || checkOrigin(config, origin) == null) {
            detail = "The origin " + JsonText.quote(String.valueOf(origin)) + " is not one the service answers"
                    + " cross-origin requests from (CHAINRULE_CORS_ALLOWED_ORIGINS).";
        } else {
            // a preflight asks for the method of the request it announces; any other request is its own
            HttpMethod method = headers.getAccessControlRequestMethod() != null && request.getMethod() == HttpMethod.OPTIONS
                    ? headers.getAccessControlRequestMethod() : request.getMethod();
            if (method == null || checkMethods(config, method) == null) {
                detail = "A cross-origin " + (method == null ? "request without a method" : JsonText.abbreviate(method.name()))
                        + " is not allowed: the service takes " + allowed(config.getAllowedMethods()) + ".";
            } else {
                detail = "The request headers " + JsonText.abbreviate(String.join(", ", headers.getAccessControlRequestHeaders()))
                        + " are not allowed cross-origin.";
            }
        }
        return ProblemJson.body(ProblemTypes.CORS_REJECTED, 403, detail, request.getURI().getRawPath(), "");
    }

    private static String allowed(List<String> methods) {
        return methods == null || methods.isEmpty() ? "no method" : String.join(", ", methods);
    }
}
