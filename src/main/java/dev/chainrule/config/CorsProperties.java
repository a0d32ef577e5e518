package dev.chainrule.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which web pages may call the API from another origin ({@code chainrule.cors.allowed-origins}, or
 * {@code CHAINRULE_CORS_ALLOWED_ORIGINS}, comma-separated). The default {@code *} suits a public API that takes no
 * credentials: no cookies or authorization are ever honoured, so any page may read the answers.
 *
 * @param allowedOrigins origins such as {@code https://course.example.edu}, or {@code *}; empty turns CORS off
 * @param maxAgeSeconds  how long a browser may cache a preflight answer
 */
@ConfigurationProperties("chainrule.cors")
public record CorsProperties(List<String> allowedOrigins, Long maxAgeSeconds) {

    public CorsProperties {
        allowedOrigins = allowedOrigins == null ? List.of("*") : List.copyOf(allowedOrigins);
        maxAgeSeconds = maxAgeSeconds == null ? 3600L : maxAgeSeconds;
    }
}
