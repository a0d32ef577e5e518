package dev.chainrule.errors;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The security headers every answer carries, pages, API answers and errors alike, whoever writes them (the
 * playground's filter for everything Spring answers, {@link ProblemReportValve} for what the container answers
 * itself): scripts, styles, fonts and calls from this origin only, no framing by any site, no sniffing.
 */
public final class SecurityHeaders {

    public static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    private SecurityHeaders() {
    }

    /** Sets the headers on {@code response}. */
    public static void write(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
    }
}
