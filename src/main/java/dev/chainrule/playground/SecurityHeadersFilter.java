package dev.chainrule.playground;

import dev.chainrule.errors.SecurityHeaders;
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
 * {@code http.CorsConfiguration}: other origins' pages may still call the API, and these headers do not change
 * that. The filter runs on error dispatches too (a status Tomcat sets itself, answered by {@code /error}), and the
 * container's own error page writes the same headers ({@link SecurityHeaders}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1) // before any filter that answers by itself (413, 415, 503)
class SecurityHeadersFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        SecurityHeaders.write(response);
        chain.doFilter(request, response);
    }
}
