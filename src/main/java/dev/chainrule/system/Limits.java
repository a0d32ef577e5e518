package dev.chainrule.system;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The service's limits on one request, each settable as a property ({@code chainrule.limits.max-layers}) or an
 * environment variable ({@code CHAINRULE_LIMITS_MAX_LAYERS}).
 *
 * @param maxBodyBytes      bytes of a request body (413 beyond, refused before it is read in full)
 * @param maxLayers         layers in a network
 * @param maxParameters     weights and biases in a network
 * @param maxBatch          examples in a batch
 * @param maxWork           multiply-adds of one forward and backward pass (with steps, of their Jacobians too)
 * @param maxConcurrent     computations running at once
 * @param maxQueued         computations waiting for a slot before the service answers 503
 * @param maxResponseNumbers numbers in one answer (steps hold explicit Jacobians, which grow fast)
 */
@ConfigurationProperties("chainrule.limits")
public record Limits(Long maxBodyBytes, Integer maxLayers, Long maxParameters, Integer maxBatch, Long maxWork,
        Integer maxConcurrent, Integer maxQueued, Long maxResponseNumbers) {

    public Limits {
        maxBodyBytes = maxBodyBytes == null ? 4L * 1024 * 1024 : maxBodyBytes;
        maxLayers = maxLayers == null ? 64 : maxLayers;
        maxParameters = maxParameters == null ? 4_000_000L : maxParameters;
        maxBatch = maxBatch == null ? 4_096 : maxBatch;
        maxWork = maxWork == null ? 200_000_000L : maxWork;
        maxConcurrent = maxConcurrent == null ? Math.max(2, Runtime.getRuntime().availableProcessors()) : maxConcurrent;
        maxQueued = maxQueued == null ? 128 : maxQueued;
        maxResponseNumbers = maxResponseNumbers == null ? 2_000_000L : maxResponseNumbers;
    }

    /** The defaults, for tests and tools. */
    public static Limits defaults() {
        return new Limits(null, null, null, null, null, null, null, null);
    }
}
