package dev.chainrule.playground;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Security headers on every response, so that the pages (and a problem+json opened in a browser) load nothing but
 * the service's own files: scripts only from this origin and never inline, styles from this origin plus inline
 * style attributes (KaTeX positions its glyphs with them), fonts and API calls to this origin only, images from it
 * or {@code data:} (Swagger UI's icons). No page may be framed, by another site or by this one
 * ({@code frame-ancestors 'none'}, and {@code X-Frame-Options: DENY} for browsers without CSP level 2), so no site can
 * overlay the playground to have its buttons clicked. CORS is another matter and is left to
 * {@code system.CorsConfiguration}: other origins' pages may still call the API, and these headers do not change
 * that. The filter runs on error dispatches too (a status Tomcat sets itself, answered by {@code /error}), and the
 * container's own error page writes the same headers with {@link #write}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1) // before any filter that answers by itself (413, 415, 503)
public class SecurityHeadersFilter extends OncePerRequestFilter {

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

    /** The headers, on any response: this filter's and the container's error page's. */
    public static void write(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        write(response);
        chain.doFilter(request, response);
    }
}
