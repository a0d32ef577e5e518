package dev.chainrule.errors;

import static dev.chainrule.errors.ProblemTypes.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.net.URI;
import org.apache.catalina.connector.ClientAbortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that happen outside Spring MVC (in a filter, in the servlet container) reach {@code /error}; they are
 * answered as problem details too, never as the framework's default error page or with a stack trace. Asked for
 * directly, {@code /error} is a path like any other with nothing at it: 404. A response already answered (a body
 * refused by the body reader, whose connection then failed) is left as it is: there is nothing more to write.
 */
@RestController
class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    private final AllowedMethods allowed;

    ProblemErrorController(AllowedMethods allowed) {
        this.allowed = allowed;
    }

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request, HttpServletResponse response) {
        if (response.isCommitted()) {
            log.debug("{} {} was answered before the error reached /error; nothing more is written",
                    request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), response.getStatus());
            return null;
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(code instanceof Integer i)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND,
                            "There is nothing at this path; the API is under /v1 (see /openapi.yaml)."));
        }
        HttpStatus status = HttpStatus.resolve(i) != null ? HttpStatus.valueOf(i) : HttpStatus.INTERNAL_SERVER_ERROR;
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        HttpStatus client = clientsFailure(failure);
        if (client != null) {
            // the connection timed out or broke while the body was read: the client's doing, not a failure of ours
            log.debug("{}: the client's connection failed ({}); answered {}",
                    request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), failure, client.value());
            status = client;
            response.setHeader(HttpHeaders.CONNECTION, "close");
        }
        URI type = switch (status) {
            case NOT_FOUND -> ProblemTypes.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> ProblemTypes.METHOD_NOT_ALLOWED;
            case CONTENT_TOO_LARGE -> ProblemTypes.BODY_TOO_LARGE;
            case UNSUPPORTED_MEDIA_TYPE -> ProblemTypes.UNSUPPORTED_MEDIA_TYPE;
            case SERVICE_UNAVAILABLE -> ProblemTypes.OVERLOADED;
            default -> status.is5xxServerError() ? ProblemTypes.INTERNAL : ProblemTypes.BAD_REQUEST;
        };
        String detail;
        if (client == HttpStatus.REQUEST_TIMEOUT) {
            detail = "The request did not arrive in time; the connection is closed.";
        } else if (client != null) {
            detail = "The request could not be read: the connection broke.";
        } else if (status.is5xxServerError()) {
            if (failure instanceof Throwable t) {
                log.error("{} {} failed", request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), status.value(), t);
                detail = "The service failed to answer this request; the failure is logged.";
            } else {
                detail = "The service could not answer this request.";
            }
        } else {
            detail = "The request cannot be answered as sent.";
        }
        ProblemDetail p = problem(status, type, detail);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri instanceof String s) {
            p.setInstance(URI.create(ProblemTypes.instance(s)));
            if (status == HttpStatus.METHOD_NOT_ALLOWED) { // TRACE: the container lists the servlet's every method
                response.setHeader(HttpHeaders.ALLOW, allowed.at(s.substring(request.getContextPath().length())));
            }
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    /**
     * The status for a failure of the client's connection rather than of the service, else null: a read that timed out
     * in the container's poller (a body that stopped arriving) is a 408, a connection the client broke (reset, closed
     * half-way) a 400. Either can reach {@code /error} as a 500 when it wins the race with the body reader's own
     * answer.
     */
    private static HttpStatus clientsFailure(Object failure) {
        for (Throwable t = failure instanceof Throwable f ? f : null; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return HttpStatus.REQUEST_TIMEOUT;
            }
            if (t instanceof ClientAbortException || t instanceof EOFException) {
                return HttpStatus.BAD_REQUEST;
            }
        }
        return null;
    }
}
