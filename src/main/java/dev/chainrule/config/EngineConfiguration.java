package dev.chainrule.config;

import dev.chainrule.network.GradientEngine;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The plain-Java network engine as a bean, shared by every feature that computes a network. */
@Configuration(proxyBeanMethods = false)
public class EngineConfiguration {

    @Bean
    GradientEngine gradientEngine() {
        return new GradientEngine();
    }
}
