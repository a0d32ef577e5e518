package dev.chainrule.gradients;

import dev.chainrule.config.Limits;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The network request reader as a bean, for this feature and the others that read a network problem. */
@Configuration(proxyBeanMethods = false)
public class GradientsConfiguration {

    @Bean
    ProblemReader problemReader(Limits limits) {
        return new ProblemReader(limits);
    }
}
