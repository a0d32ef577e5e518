package dev.chainrule.playground;

import org.springframework.boot.web.server.MimeMappings;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The service's two pages, both static files under {@code static/}: the playground at {@code /} (Boot serves
 * {@code static/index.html} there) and Swagger UI over the hand-written {@code openapi.yaml} at {@code /docs}.
 * They call the public API like any other front-end; nothing here computes anything.
 */
@Configuration(proxyBeanMethods = false)
class PageConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        // /docs/ so that the page's relative URLs (../openapi.yaml, ../webjars/...) resolve under any path prefix
        registry.addRedirectViewController("/docs", "/docs/");
        registry.addViewController("/docs/").setViewName("forward:/docs/index.html");
        // where springdoc and FastAPI users look first
        registry.addRedirectViewController("/swagger-ui.html", "/docs/");
        registry.addRedirectViewController("/swagger-ui", "/docs/");
        registry.addRedirectViewController("/swagger-ui/", "/docs/");
    }

    /** {@code /openapi.yaml} as {@code application/yaml} (RFC 9512), not the container's octet-stream. */
    @Bean
    WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> yamlMimeType() {
        return factory -> {
            MimeMappings yaml = new MimeMappings();
            yaml.add("yaml", "application/yaml");
            yaml.add("yml", "application/yaml");
            factory.addMimeMappings(yaml);
        };
    }
}
