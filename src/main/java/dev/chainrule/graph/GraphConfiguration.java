package dev.chainrule.graph;

import dev.chainrule.config.Limits;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The plain-Java graph reader and solver as beans. */
@Configuration(proxyBeanMethods = false)
class GraphConfiguration {

    @Bean
    GraphReader graphReader(GraphProperties properties) {
        return new GraphReader(properties);
    }

    @Bean
    GraphSolver graphSolver(Limits limits) {
        return new GraphSolver(limits);
    }
}
