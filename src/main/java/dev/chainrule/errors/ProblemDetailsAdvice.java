package dev.chainrule.errors;

import static dev.chainrule.errors.ProblemTypes.problem;

import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.NonFiniteException;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Answers every error as an RFC 9457 problem ({@code application/problem+json}) with a stable {@code type}, a human
 * {@code title}, and for bad input {@code errors: [{path, message}]} naming each offending field. Never a class
 * name or a stack trace.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    static final String DEADLINE_RETRY_AFTER_SECONDS = "5";

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
        FieldErrors errors = e.errors();
        long n = errors.total();
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST,
                n == 1 ? FieldError.describe(errors.get(0))
                        : n + " problems were found in the request; " + (errors.unlisted() == 0 ? "each is listed in errors."
                                : "the first " + errors.size() + " are listed in errors."));
        p.setProperty("errors", errors.listed());
        return respond(p, null);
    }

    @ExceptionHandler(LimitExceededException.class)
    ResponseEntity<ProblemDetail> limit(LimitExceededException e) {
        ProblemDetail p = problem(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.LIMIT_EXCEEDED, e.getMessage() + ".");
        p.setProperty("limit", e.limit());
        p.setProperty("max", e.max());
        p.setProperty("errors", List.of(new FieldError(e.path(), e.getMessage())));
        return respond(p, null);
    }

    @ExceptionHandler(NonFiniteException.class)
    ResponseEntity<ProblemDetail> nonFinite(NonFiniteException e) {
        ProblemDetail p = problem(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.NON_FINITE,
                e.detail() != null ? e.detail() : e.quantity() + " overflowed to infinity or NaN: the input is finite but"
                        + " too large for double precision along the way. Scale the weights or inputs down.");
        p.setProperty("errors", List.of(new FieldError(e.quantity(), "is not finite (overflowed)")));
        return respond(p, null);
    }

    @ExceptionHandler(OverloadedException.class)
    ResponseEntity<ProblemDetail> overloaded(OverloadedException e) {
        ProblemDetail p = problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.OVERLOADED, e.detail());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, OverloadedException.RETRY_AFTER_SECONDS);
        return respond(p, headers);
    }

    @ExceptionHandler(Deadline.Exceeded.class)
    ResponseEntity<ProblemDetail> deadline(Deadline.Exceeded e) {
        ProblemDetail p = problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.DEADLINE_EXCEEDED,
                e.reason() == Deadline.Exceeded.Reason.CLIENT_GONE
                        ? "The client closed the connection, so the computation was stopped after " + e.millis() + " ms."
                        : "The computation was stopped after " + e.millis() + " ms, past its deadline"
                                + " (chainrule.limits.deadline): the service is busy, or the request is near the limits."
                                + " Try again later, or ask for less (fewer steps, no gradient check, a smaller batch).");
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, DEADLINE_RETRY_AFTER_SECONDS);
        return respond(p, headers);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("unexpected error", e);
        return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL,
                "The service failed to answer this request; the failure is logged."), null);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                ProblemDetail p = problem(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.BODY_TOO_LARGE,
                        "The body has more than " + tooLarge.max() + " bytes; at most " + tooLarge.max() + " are read.");
                p.setProperty("limit", "chainrule.limits.max-body-bytes");
                p.setProperty("max", tooLarge.max());
                return new ResponseEntity<>(p, problemHeaders(null), HttpStatus.CONTENT_TOO_LARGE);
            }
        }
        MalformedJson malformed = MalformedJson.of(ex);
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_JSON, malformed.detail());
        p.setProperty("errors", List.of(new FieldError(malformed.path(), malformed.message())));
        return new ResponseEntity<>(p, problemHeaders(null), HttpStatus.BAD_REQUEST);
    }

    /** A method the path does not take: a 405 like any other, without the framework's WARN line for each. */
    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return handleExceptionInternal(ex, null, headers, status, request);
    }

    /**
     * Every other Spring MVC error: keep Spring's status, give it our type and title and no internals. A response
     * already committed (an answer that failed half-written, a client gone) cannot take a problem any more: one
     * DEBUG line, nothing written.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (request instanceof ServletWebRequest servlet && servlet.getResponse() != null
                && servlet.getResponse().isCommitted()) {
            log.debug("{} failed after its answer was committed, nothing more is written: {}",
                    servlet.getRequest().getRequestURI(), ex.getMessage());
            return null;
        }
        HttpStatus status = HttpStatus.resolve(statusCode.value());
        if (status == null) {
            status = HttpStatus.BAD_REQUEST;
        }
        URI type;
        String detail;
        if (ex instanceof HttpMediaTypeNotSupportedException m) {
            type = ProblemTypes.UNSUPPORTED_MEDIA_TYPE;
            detail = "Send the body as JSON with Content-Type: application/json" + given(m, request);
        } else if (ex instanceof HttpMediaTypeNotAcceptableException m) {
            type = ProblemTypes.NOT_ACCEPTABLE;
            List<String> types = m.getSupportedMediaTypes().stream().map(t -> t.getType() + "/" + t.getSubtype()).distinct().toList();
            String accept = request.getHeader(HttpHeaders.ACCEPT);
            detail = "This endpoint cannot answer in the media type the Accept header asks for"
                    + (accept == null ? "" : " (" + JsonText.abbreviate(accept) + ")")
                    + (types.isEmpty() ? "." : "; it answers " + String.join(" or ", types) + ".");
        } else if (ex instanceof HttpRequestMethodNotSupportedException m) {
            type = ProblemTypes.METHOD_NOT_ALLOWED;
            detail = m.getMethod() + " is not supported here; use " + String.join(", ", m.getSupportedMethods() == null ? new String[0] : m.getSupportedMethods()) + ".";
        } else if (ex instanceof NoResourceFoundException) {
            type = ProblemTypes.NOT_FOUND;
            detail = "There is nothing at this path; the API is under /v1 (see /openapi.yaml).";
        } else {
            type = ProblemTypes.BAD_REQUEST;
            detail = status.is5xxServerError() ? "The service failed to answer this request." : "The request cannot be answered as sent.";
        }
        ProblemDetail p = problem(status, type, detail);
        HttpHeaders out = problemHeaders(headers);
        return new ResponseEntity<>(p, out, status);
    }

    /** What the request's Content-Type was, truthfully: absent, unreadable (charset=nope), or another type. */
    private static String given(HttpMediaTypeNotSupportedException m, WebRequest request) {
        if (m.getContentType() != null) {
            return " (got " + m.getContentType() + ").";
        }
        String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (header == null || header.isBlank()) {
            return " (no Content-Type was given).";
        }
        return " (got " + JsonText.quote(header) + ", which cannot be read: "
                + (header.toLowerCase(java.util.Locale.ROOT).contains("charset") ? "its charset is not one the service knows; use UTF-8)."
                        : "it is not a media type).");
    }

    private static HttpHeaders problemHeaders(HttpHeaders from) {
        HttpHeaders out = new HttpHeaders();
        if (from != null) {
            out.putAll(from);
        }
        out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return out;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail p, HttpHeaders headers) {
        return new ResponseEntity<>(p, problemHeaders(headers), HttpStatus.valueOf(p.getStatus()));
    }

}
