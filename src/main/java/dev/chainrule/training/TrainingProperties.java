package dev.chainrule.training;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits of {@code POST /v1/train} ({@code chainrule.training.max-steps}, or {@code CHAINRULE_TRAINING_MAX_STEPS}).
 * The total work, steps × one pass, is also held to {@code chainrule.limits.max-work}.
 *
 * @param maxSteps the most gradient-descent steps one request may ask for
 */
@ConfigurationProperties("chainrule.training")
public record TrainingProperties(Integer maxSteps) {

    public TrainingProperties {
        maxSteps = maxSteps == null ? 10_000 : maxSteps;
    }
}
