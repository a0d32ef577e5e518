package dev.chainrule.playground;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Security headers on every response, so that the pages (and a problem+json opened in a browser) load nothing but
 * the service's own files: scripts only from this origin and never inline, styles from this origin plus inline
 * style attributes (KaTeX positions its glyphs with them), fonts and API calls to this origin only, images from it
 * or {@code data:} (Swagger UI's icons). CORS is another matter and is left to {@code http.CorsConfiguration}:
 * other origins' pages may still call the API, and these headers do not change that. Framing is left allowed on
 * purpose (no {@code frame-ancestors}): a lecturer may embed the playground in slides, and the pages hold no
 * credentials or state-changing actions that a framing page could hijack.
 */
@Component
class SecurityHeadersFilter extends OncePerRequestFilter {

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        chain.doFilter(request, response);
    }
}
