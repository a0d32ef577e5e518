package dev.chainrule.http;

import dev.chainrule.errors.ProblemMetricsAdvice;
import dev.chainrule.errors.ProblemTypes;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One log line per request — method, path, status, duration and request id — and the request id echoed in the
 * {@code X-Request-Id} response header. A caller's (or load balancer's) {@code X-Request-Id} is kept when it is
 * sane (1 to 128 of {@code A-Z a-z 0-9 . _ : -}); otherwise a new one is made. The id is in the MDC as
 * {@code requestId} while the request runs, so every log line of the request carries it (and JSON logs have it as a
 * field). Health probes are logged at DEBUG, the rest at INFO, under the logger {@code dev.chainrule.requests}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestLogFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger log = LoggerFactory.getLogger("dev.chainrule.requests");
    private static final String ID = RequestLogFilter.class.getName() + ".id";

    private final ObjectProvider<MeterRegistry> registry;
    private final ObjectProvider<SelfRequests> self;

    /** The registry is optional: a {@code @WebMvcTest} slice has none (nor the service's requests to itself). */
    public RequestLogFilter(ObjectProvider<MeterRegistry> registry, ObjectProvider<SelfRequests> self) {
        this.registry = registry;
        this.self = self;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isAsyncDispatch(request)) {
            // the body was read without a thread (BodyReadFilter); the request goes on here under the same id, and
            // is logged when it completes
            MDC.put(MDC_KEY, String.valueOf(request.getAttribute(ID)));
            try {
                chain.doFilter(request, response);
            } finally {
                MDC.remove(MDC_KEY);
            }
            return;
        }
        String id = requestId(request.getHeader(HEADER));
        response.setHeader(HEADER, id);
        MDC.put(MDC_KEY, id);
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.setAttribute(ID, id);
                request.getAsyncContext().addListener(new AsyncListener() {
                    /**
                     * Tomcat has been seen to call this twice for one request: 23 of 2,581 large.json requests under
                     * load (16 connections) were logged twice, 1.4 ms apart, on the same thread. One line each.
                     */
                    private final AtomicBoolean logged = new AtomicBoolean();

                    @Override
                    public void onComplete(AsyncEvent event) {
                        if (logged.compareAndSet(false, true)) {
                            log(request, response, System.nanoTime() - start, id);
                        }
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                    }
                });
            } else {
                log(request, response, System.nanoTime() - start, id);
            }
            MDC.remove(MDC_KEY);
        }
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    private void log(HttpServletRequest request, HttpServletResponse response, long nanos, String id) {
        if (request.getHeader(SelfRequests.HEADER) != null) {
            SelfRequests ours = self.getIfAvailable();
            if (ours != null && ours.isOurs(request)) {
                return; // the JIT warm-up's request to the service itself: not a client's
            }
        }
        countUncountedProblem(request, response);
        String path = request.getRequestURI();
        Level level = path.startsWith("/actuator/health") ? Level.DEBUG : Level.INFO;
        if (log.isEnabledForLevel(level)) {
            // an answer cut off mid-way (its client read too slowly) went out with its status line: say so
            Object cut = request.getAttribute(Written.CUT_OFF);
            log.atLevel(level)
                .addKeyValue("http.request.method", request.getMethod())
                .addKeyValue("url.path", path)
                .addKeyValue("http.response.status_code", response.getStatus())
                .addKeyValue("event.duration", nanos)
                .log("{} {} {} {}ms id={}{}", request.getMethod(), path, response.getStatus(),
                        Math.round(nanos / 1e5) / 10.0, id, cut == null ? "" : " cut off: the client " + cut);
        }
    }

    /** A problem written by a filter, outside Spring MVC's handlers (413 for a declared body over the limit). */
    private void countUncountedProblem(HttpServletRequest request, HttpServletResponse response) {
        String type = response.getContentType();
        if (response.getStatus() >= 400 && request.getAttribute(ProblemMetricsAdvice.COUNTED) == null
                && type != null && type.startsWith("application/problem+json")) {
            int status = response.getStatus();
            ProblemMetricsAdvice.count(registry.getIfAvailable(), status == 413 ? ProblemTypes.BODY_TOO_LARGE.toString()
                    : status == 503 ? ProblemTypes.OVERLOADED.toString() : status == 408 ? ProblemTypes.BAD_REQUEST.toString()
                    : "unknown", status);
        }
    }

    /** The caller's id if sane, else a fresh random one. */
    static String requestId(String offered) {
        if (offered != null && SANE.matcher(offered).matches()) {
            return offered;
        }
        // a version-4 UUID from the thread's own generator: an id needs no SecureRandom, whose shared lock every
        // request thread would otherwise queue on
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
