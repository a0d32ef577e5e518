package dev.chainrule.errors;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The stable {@code type} of each kind of error (RFC 9457), relative to the service's address, so that it resolves
 * against the address that answered: {@code GET /problems/NAME} is a page explaining it ({@link ProblemPages}).
 */
public final class ProblemTypes {

    public static final URI INVALID_REQUEST = URI.create("/problems/invalid-request");
    public static final URI MALFORMED_JSON = URI.create("/problems/malformed-json");
    public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create("/problems/unsupported-media-type");
    public static final URI NOT_ACCEPTABLE = URI.create("/problems/not-acceptable");
    public static final URI LIMIT_EXCEEDED = URI.create("/problems/limit-exceeded");
    public static final URI BODY_TOO_LARGE = URI.create("/problems/body-too-large");
    public static final URI NON_FINITE = URI.create("/problems/non-finite");
    public static final URI OVERLOADED = URI.create("/problems/overloaded");
    public static final URI DEADLINE_EXCEEDED = URI.create("/problems/deadline-exceeded");
    public static final URI NOT_FOUND = URI.create("/problems/not-found");
    public static final URI METHOD_NOT_ALLOWED = URI.create("/problems/method-not-allowed");
    public static final URI CORS_REJECTED = URI.create("/problems/cors-rejected");
    public static final URI BAD_REQUEST = URI.create("/problems/bad-request");
    public static final URI INTERNAL = URI.create("/problems/internal-error");

    /** What one type means and what to do about it, as its page says. */
    record Explanation(URI type, String title, String status, String meaning, String remedy) {

        String name() {
            return type.getPath().substring("/problems/".length());
        }

        /** The HTTP status it comes with, as a number: the first of {@code status} ("400 and other 4xx": 400). */
        int code() {
            return Integer.parseInt(status.substring(0, 3));
        }
    }

    static final List<Explanation> ALL = List.of(
            new Explanation(INVALID_REQUEST, "Invalid request", "400",
                    "The body is JSON but cannot be computed as sent: a field is missing, unknown or of the wrong type, a name"
                            + " (activation, loss, layer type, tolerance mode) is not one the service knows, the shapes do not"
                            + " chain, the loss does not fit the network's output, or a query parameter is unknown or out of range.",
                    "Read errors: each entry names its field as you wrote it (network.layers[1].W) and says what was"
                            + " expected; fix every one and send again. A near-miss name comes with a suggestion."),
            new Explanation(MALFORMED_JSON, "Malformed JSON", "400",
                    "The body is not JSON the service reads: a syntax error, a duplicate key, NaN or Infinity, or nesting"
                            + " too deep.",
                    "detail and errors[0] say where the JSON broke (line, column and the path up to there)."),
            new Explanation(UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", "415",
                    "The request's Content-Type is not application/json, or its body is compressed (Content-Encoding:"
                            + " gzip, say), which the service does not decode.",
                    "Send the body uncompressed with Content-Type: application/json (curl: -H 'Content-Type:"
                            + " application/json')."),
            new Explanation(NOT_ACCEPTABLE, "Not acceptable", "406",
                    "The Accept header asks for a media type this endpoint cannot answer with.",
                    "detail lists the media types the endpoint answers; ask for one of them, or send no Accept header."),
            new Explanation(LIMIT_EXCEEDED, "Request over a limit", "422",
                    "The request is well-formed but larger than the service computes: too many layers, parameters, examples,"
                            + " predicted work (CHAINRULE_LIMITS_MAX_WORK: the CPU it would take, about 2 s at most), numbers"
                            + " or bytes in the answer, training steps or graded submissions.",
                    "limit names the setting as a property (e.g. chainrule.limits.max-work, which the operator sets as"
                            + " CHAINRULE_LIMITS_MAX_WORK) and max its value; make the request smaller (for instance"
                            + " options.steps false) or ask the operator to raise the limit."),
            new Explanation(BODY_TOO_LARGE, "Body too large", "413",
                    "The body has more bytes than the service reads (CHAINRULE_LIMITS_MAX_BODY_BYTES); it is refused before"
                            + " it is read in full.",
                    "max gives the limit in bytes; send a smaller body or ask the operator to raise the limit."),
            new Explanation(NON_FINITE, "A value overflowed", "422",
                    "Every input is finite, but a value became infinite or NaN on the way (double precision overflowed).",
                    "errors[0].path names the first quantity that overflowed (e.g. forward.z2); scale the weights or inputs"
                            + " down."),
            new Explanation(OVERLOADED, "Service busy", "503",
                    "Too many computations are running or waiting, no slot came free within the deadline, too many large"
                            + " bodies are being worked on at once, or the service is shutting down.",
                    "Wait the seconds the Retry-After header gives and send the same request again."),
            new Explanation(DEADLINE_EXCEEDED, "Took too long", "503",
                    "The computation ran past its deadline (CHAINRULE_LIMITS_DEADLINE, 5 s by default) and stopped itself,"
                            + " or its client closed the connection. The cost model admits only requests it expects to"
                            + " finish well within it, so the service was busy or the request is near the limits.",
                    "Wait the seconds the Retry-After header gives and try again, or ask for less: fewer training steps,"
                            + " no gradient check, a smaller batch, options.steps false."),
            new Explanation(NOT_FOUND, "Not found", "404",
                    "There is nothing at this path, or no example with this id.",
                    "The API is under /v1; /openapi.yaml lists every path, /v1/examples every example."),
            new Explanation(METHOD_NOT_ALLOWED, "Method not allowed", "405, or 501 for CONNECT",
                    "The path exists but does not take this HTTP method, or the method (CONNECT) is one the service"
                            + " implements nowhere.",
                    "detail and the Allow header name the methods it takes (POST for computations, GET for examples)."),
            new Explanation(CORS_REJECTED, "Cross-origin request refused", "403",
                    "A browser's cross-origin request, or its preflight, comes from an origin the service does not answer"
                            + " (CHAINRULE_CORS_ALLOWED_ORIGINS) or asks for a method other than GET, POST and OPTIONS.",
                    "detail says which was refused; call the API from an allowed origin with POST (computations) or GET"
                            + " (examples), or ask the operator to add the origin."),
            new Explanation(BAD_REQUEST, "Bad request", "400 and other 4xx",
                    "Any other client error the HTTP layer found before the request reached the service's own checks.",
                    "title is the HTTP status's name and detail says what can be said; /openapi.yaml describes every request."),
            new Explanation(INTERNAL, "Internal error", "500",
                    "The service failed to answer; this is a fault of the service, not of the request.",
                    "The failure is logged with the request id of the X-Request-Id header: report that id."));

    private ProblemTypes() {
    }

    /**
     * The {@code title} of a problem of {@code type}: its page's title, the same whichever part of the service
     * answers; for {@link #BAD_REQUEST}, which stands for any other client error, the HTTP status's name.
     */
    public static String title(URI type, int status) {
        if (BAD_REQUEST.equals(type)) {
            HttpStatus s = HttpStatus.resolve(status);
            return s == null ? "Bad request" : s.getReasonPhrase();
        }
        for (Explanation e : ALL) {
            if (e.type().equals(type)) {
                return e.title();
            }
        }
        throw new IllegalArgumentException("no problem type " + type);
    }

    /**
     * A problem of {@code type}, titled as the type is; its detail may quote what the client sent, so it is made
     * well-formed Unicode first.
     */
    public static ProblemDetail problem(HttpStatus status, URI type, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, JsonText.wellFormed(detail));
        p.setType(type);
        p.setTitle(title(type, status.value()));
        return p;
    }

    /** A request path as an RFC 9457 {@code instance}: only the characters a plain path needs. */
    public static String instance(String path) {
        return path.replaceAll("[^A-Za-z0-9/._~-]", "");
    }
}
