package dev.chainrule.http;

import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.FieldErrors;
import dev.chainrule.errors.InvalidRequestException;
import dev.chainrule.errors.JsonText;
import dev.chainrule.errors.Names;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

/**
 * A query parameter that no endpoint reads ({@code ?digit=4} for {@code ?digits=4}) is a 400 naming it, on every
 * operation of the API, instead of being silently ignored. An operation's parameters are its handler's
 * {@code @RequestParam}s and the names its mapping tests for ({@link #parameters}); {@code /openapi.yaml} takes
 * none. The web pages and their assets (a query on a page is harmless, and links carry them) and the actuator
 * endpoints are left alone.
 */
@Configuration(proxyBeanMethods = false)
class UnknownQueryParameters implements WebMvcConfigurer, HandlerInterceptor {

    /** The one static file that is an operation of the API; the web pages and their assets are not checked. */
    private static final String CONTRACT = "/openapi.yaml";

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String query = request.getQueryString();
        // a POST comes here on an ASYNC dispatch, once BodyReadFilter has its body; an error dispatch is left alone
        DispatcherType dispatch = request.getDispatcherType();
        if (query == null || query.isEmpty() || (dispatch != DispatcherType.REQUEST && dispatch != DispatcherType.ASYNC)) {
            return true;
        }
        List<String> known;
        if (handler instanceof HandlerMethod m && m.getBeanType().getPackageName().startsWith("dev.chainrule")) {
            known = parameters(m);
        } else if (handler instanceof ResourceHttpRequestHandler && CONTRACT.equals(request.getRequestURI())) {
            known = List.of();
        } else {
            return true;
        }
        List<FieldError> errors = new FieldErrors();
        for (String name : names(query)) {
            if (!known.contains(name)) {
                errors.add(new FieldError(name, "unknown query parameter " + JsonText.quote(name) + Names.didYouMean(name, known)
                        + ": " + request.getRequestURI().replaceAll("[^A-Za-z0-9/._~{}-]", "")
                        + (known.isEmpty() ? " takes no query parameters" : " takes " + String.join(", ", known))));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return true;
    }

    /**
     * The query parameters of a handler's path: its {@code @RequestParam}s, and the names its mapping tests for
     * ({@code params = "!seed"}: another handler of the same path takes {@code seed}).
     */
    static List<String> parameters(HandlerMethod m) {
        List<String> names = new ArrayList<>();
        for (MethodParameter p : m.getMethodParameters()) {
            RequestParam rp = p.getParameterAnnotation(RequestParam.class);
            if (rp != null) {
                names.add(rp.name().isEmpty() ? rp.value() : rp.name());
            }
        }
        RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(m.getMethod(), RequestMapping.class);
        for (String condition : mapping == null ? new String[0] : mapping.params()) {
            String name = condition.replaceFirst("^!", "").replaceFirst("!?=.*", "").trim();
            if (!name.isEmpty() && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The distinct parameter names of a query string, decoded, in order; empty names ({@code ?&}) are skipped. */
    static Set<String> names(String query) {
        Set<String> names = new LinkedHashSet<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String raw = eq < 0 ? pair : pair.substring(0, eq);
            if (raw.isEmpty()) {
                continue;
            }
            try {
                names.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                names.add(raw);
            }
        }
        return names;
    }
}
