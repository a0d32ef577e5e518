package dev.chainrule.http;

import dev.chainrule.config.Limits;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat serves requests on {@link RequestThreads}: three threads a compute slot by default, and one more beside each
 * held by a single request, never more than {@code server.tomcat.threads.max}.
 */
@Configuration(proxyBeanMethods = false)
class RequestThreadsConfiguration {

    /** Closed with the context, after the web server has stopped and its requests have been answered. */
    @Bean(destroyMethod = "close")
    RequestThreads requestThreads(Limits limits,
            @Value("${chainrule.request-threads.base:0}") int base,
            @Value("${chainrule.request-threads.stall:10ms}") Duration stall,
            @Value("${server.tomcat.threads.max:200}") int ceiling) {
        // three a compute slot: one or two a slot served more requests (10-11.6k a second here, against 8.9k) but left
        // the slowest hundredth waiting 3.2-7 times the median, against 2.5 (BENCHMARKS.md, "Request threads")
        int kept = base > 0 ? base : 3 * limits.maxConcurrent();
        return new RequestThreads("http-request", Math.min(kept, ceiling), ceiling, stall);
    }

    /** {@code chainrule.request.threads}, {@code chainrule.request.queued}, {@code chainrule.request.threads.added}. */
    @Bean
    MeterBinder requestThreadsMetrics(RequestThreads threads) {
        return registry -> {
            Gauge.builder("chainrule.request.threads", threads, RequestThreads::threads)
                    .description("request threads, held ones included").register(registry);
            Gauge.builder("chainrule.request.queued", threads, RequestThreads::queued)
                    .description("requests waiting for a request thread").register(registry);
            FunctionCounter.builder("chainrule.request.threads.added", threads, RequestThreads::added)
                    .description("request threads added because others were held by one request").register(registry);
        };
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> requestThreadsOnTomcat(RequestThreads threads) {
        return factory -> factory.addProtocolHandlerCustomizers(
                (TomcatProtocolHandlerCustomizer<?>) protocol -> protocol.setExecutor(threads));
    }
}
