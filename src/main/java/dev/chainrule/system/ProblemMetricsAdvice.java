package dev.chainrule.system;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * {@code status}.
 */
@RestControllerAdvice
class ProblemMetricsAdvice implements ResponseBodyAdvice<Object> {

    static final String METER = "chainrule.problems";

    private final MeterRegistry registry;

    ProblemMetricsAdvice(MeterRegistry registry) {
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
            Counter.builder(METER)
                    .description("Problems (RFC 9457 errors) answered, by type and status")
                    .tag("type", p.getType() == null ? "about:blank" : p.getType().toString())
                    .tag("status", Integer.toString(p.getStatus()))
                    .register(registry)
                    .increment();
        }
        return body;
    }
}
