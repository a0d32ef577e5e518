package dev.chainrule.errors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The methods a path takes, as an {@code Allow} header names them ({@code POST,OPTIONS} for the computations,
 * {@code GET,HEAD,OPTIONS} for examples, pages and files), read off the controllers' mappings. Set on every CORS
 * preflight before Spring MVC answers it, since otherwise the servlet's default lists every HTTP method (PUT,
 * DELETE, TRACE and PATCH among them, which no endpoint takes); {@code /error} uses it for a 405 the container
 * answers itself (TRACE).
 */
@Component
class AllowedMethods extends OncePerRequestFilter {

    private static final String FILES = "GET,HEAD,OPTIONS";

    /** One mapping's path patterns and the methods it takes. */
    private record Route(Set<PathPattern> patterns, Set<RequestMethod> methods) {
    }

    private final ObjectProvider<RequestMappingHandlerMapping> mappings;
    private volatile List<Route> routes;

    AllowedMethods(@Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> mappings) {
        this.mappings = mappings;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !CorsUtils.isPreFlightRequest(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // present before Spring MVC's preflight handling, which then leaves the Allow header as it is
        response.setHeader(HttpHeaders.ALLOW, at(request.getRequestURI().substring(request.getContextPath().length())));
        chain.doFilter(request, response);
    }

    /** The Allow header for a request path (without the context path). */
    String at(String path) {
        PathContainer container = PathContainer.parsePath(path);
        Set<RequestMethod> methods = EnumSet.noneOf(RequestMethod.class);
        for (Route r : routes()) {
            if (r.patterns().stream().anyMatch(p -> p.matches(container))) {
                methods.addAll(r.methods());
            }
        }
        if (methods.isEmpty()) {
            return FILES; // served as a page or a file, or nothing: GET
        }
        if (methods.contains(RequestMethod.GET)) {
            methods.add(RequestMethod.HEAD);
        }
        methods.add(RequestMethod.OPTIONS);
        return String.join(",", methods.stream().map(RequestMethod::name).toList());
    }

    private List<Route> routes() {
        List<Route> r = routes;
        if (r == null) {
            RequestMappingHandlerMapping mapping = mappings.getIfAvailable();
            r = mapping == null ? List.of() : mapping.getHandlerMethods().keySet().stream()
                    .filter(info -> info.getPathPatternsCondition() != null && !info.getMethodsCondition().getMethods().isEmpty())
                    .map(info -> new Route(info.getPathPatternsCondition().getPatterns(), info.getMethodsCondition().getMethods()))
                    .toList();
            routes = r;
        }
        return r;
    }
}
