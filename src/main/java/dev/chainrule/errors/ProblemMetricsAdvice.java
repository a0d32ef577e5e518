package dev.chainrule.errors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Counts each problem answered, whichever handler built it: the counter {@code chainrule.problems} (in Prometheus
 * {@code chainrule_problems_total}) tagged with the problem's {@code type} (one of {@link ProblemTypes}) and
 * {@code status}. Problems that a filter writes itself (a declared body over the limit) are counted by
 * {@code http.RequestLogFilter}, which sees every answer.
 */
@RestControllerAdvice
public class ProblemMetricsAdvice implements ResponseBodyAdvice<Object> {

    static final String METER = "chainrule.problems";
    /** Set on the request once its problem is counted. */
    public static final String COUNTED = ProblemMetricsAdvice.class.getName() + ".counted";

    private final ObjectProvider<MeterRegistry> registry;

    /** The registry is optional: a {@code @WebMvcTest} slice has none, and then nothing is counted. */
    ProblemMetricsAdvice(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
            ServerHttpResponse response) {
        if (body instanceof ProblemDetail p) {
            count(registry.getIfAvailable(), p.getType() == null ? "about:blank" : p.getType().toString(), p.getStatus());
            if (request instanceof org.springframework.http.server.ServletServerHttpRequest servlet) {
                servlet.getServletRequest().setAttribute(COUNTED, Boolean.TRUE);
            }
        }
        return body;
    }

    public static void count(MeterRegistry registry, String type, int status) {
        if (registry == null) {
            return;
        }
        Counter.builder(METER)
                .description("Problems (RFC 9457 errors) answered, by type and status")
                .tag("type", type)
                .tag("status", Integer.toString(status))
                .register(registry)
                .increment();
    }
}
