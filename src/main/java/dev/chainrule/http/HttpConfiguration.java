package dev.chainrule.http;

import dev.chainrule.config.Limits;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP path's beans: the compute gate, the body reader, and the answers every computing endpoint's {@link Work}
 * goes through.
 */
@Configuration(proxyBeanMethods = false)
public class HttpConfiguration {

    @Bean
    ComputeGate computeGate(Limits limits) {
        return new ComputeGate(limits.maxConcurrent(), limits.maxQueued(), limits.deadline(), limits.lightWork());
    }

    /** Bodies read without a thread, before anything else of the application sees the request. */
    @Bean
    FilterRegistrationBean<BodyReadFilter> bodyReadFilter(Limits limits,
            @Value("${server.tomcat.connection-timeout:5s}") Duration idle) {
        FilterRegistrationBean<BodyReadFilter> bean = new FilterRegistrationBean<>(new BodyReadFilter(limits.maxBodyBytes(),
                idle.toMillis(), limits.bodyMinRate(), limits.requestMemory()));
        bean.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        bean.setAsyncSupported(true);
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return bean;
    }

    /** Every computing endpoint answers through it: cost checked, computed and written inside the gate. */
    @Bean
    Answers answers(ComputeGate gate, Limits limits, JsonMapper json) {
        // pieces for two large answers at most (large.json's 5.5 MB twice) are kept between answers
        return new Answers(gate, limits, json, new AnswerMemory(limits.answerMemory()),
                new AnswerChunks(Math.min(12L << 20, limits.answerMemory() / 8)));
    }

    /** Answers the {@link Work} handlers return, a large answer paced against slow readers. */
    @Bean
    WorkReturnValueHandler workReturnValueHandler(Answers answers, Limits limits,
            @Value("${server.tomcat.connection-timeout:5s}") Duration grace) {
        return new WorkReturnValueHandler(answers, new Written.Pacer(limits.answerMinRate(), grace));
    }

    /** Work handled first, and every POST handler made to return it (else the service does not start). */
    @Bean
    GuardedEndpoints guardedEndpoints(ListableBeanFactory beans, WorkReturnValueHandler handler) {
        return new GuardedEndpoints(beans, handler);
    }
}
