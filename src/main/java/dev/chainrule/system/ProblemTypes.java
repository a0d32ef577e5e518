package dev.chainrule.system;

import java.net.URI;

/** The stable {@code type} of each kind of error (RFC 9457), relative to the service's address. */
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
    public static final URI BAD_REQUEST = URI.create("/problems/bad-request");
    public static final URI INTERNAL = URI.create("/problems/internal-error");

    private ProblemTypes() {
    }
}
