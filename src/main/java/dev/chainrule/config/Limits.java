package dev.chainrule.config;

import dev.chainrule.errors.LimitExceededException;
import dev.chainrule.budget.Cost;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The service's limits on one request, each settable as a property ({@code chainrule.limits.max-layers}) or an
 * environment variable ({@code CHAINRULE_LIMITS_MAX_LAYERS}).
 *
 * @param maxBodyBytes       bytes of a request body (413 beyond, refused before it is read in full)
 * @param maxLayers          layers in a network
 * @param maxParameters      weights and biases in a network
 * @param maxBatch           examples in a batch
 * @param maxWork            work of one request as the cost model predicts it ({@code budget.CostModel}), in work
 *                           units of about a nanosecond of CPU each on the reference machine: the default, 1.5·10⁹,
 *                           keeps the largest admitted request under 2 s of CPU there, with the model's error
 *                           (BENCHMARKS.md, "Cost model")
 * @param maxConcurrent      computations running at once
 * @param maxQueued          computations waiting for a slot before the service answers 503
 * @param maxResponseNumbers numbers in one answer (steps hold explicit Jacobians, which grow fast)
 * @param maxResponseBytes   bytes of one answer, success or error, as the cost model predicts it and as written
 * @param deadline           how long one computation may run (and wait for a slot) before it is stopped: 503
 * @param bodyMinRate        bytes a second a body must arrive at, on average, counted after the connection timeout's
 *                           grace (408 below)
 * @param requestMemory      bytes of heap the bodies being worked on may take together (each counts about 40× its
 *                           size once read into a JSON tree); default 40 % of the heap
 * @param answerMemory       bytes of heap the answers larger than 64 kB on their way to their clients may take
 *                           together: an answer waits (within the deadline) for its share, else 503; default 25 % of
 *                           the heap
 * @param answerMinRate      bytes a second a client must read a large answer at, on average, counted after the
 *                           connection timeout's grace: a slower reader's connection is closed, freeing the answer
 */
@ConfigurationProperties("chainrule.limits")
public record Limits(Long maxBodyBytes, Integer maxLayers, Long maxParameters, Integer maxBatch, Long maxWork,
        Integer maxConcurrent, Integer maxQueued, Long maxResponseNumbers, Long maxResponseBytes, Duration deadline,
        Long bodyMinRate, Long requestMemory, Long answerMemory, Long answerMinRate) {

    public Limits {
        maxBodyBytes = maxBodyBytes == null ? 4L * 1024 * 1024 : maxBodyBytes;
        maxLayers = maxLayers == null ? 64 : maxLayers;
        maxParameters = maxParameters == null ? 4_000_000L : maxParameters;
        maxBatch = maxBatch == null ? 4_096 : maxBatch;
        maxWork = maxWork == null ? 1_500_000_000L : maxWork;
        maxConcurrent = maxConcurrent == null ? Math.max(2, Runtime.getRuntime().availableProcessors()) : maxConcurrent;
        maxQueued = maxQueued == null ? 128 : maxQueued;
        maxResponseNumbers = maxResponseNumbers == null ? 2_000_000L : maxResponseNumbers;
        maxResponseBytes = maxResponseBytes == null ? 48L * 1024 * 1024 : maxResponseBytes;
        deadline = deadline == null ? Duration.ofSeconds(5) : deadline;
        bodyMinRate = bodyMinRate == null ? 8_192L : bodyMinRate;
        requestMemory = requestMemory == null ? Runtime.getRuntime().maxMemory() / 5 * 2 : requestMemory;
        answerMemory = answerMemory == null ? Runtime.getRuntime().maxMemory() / 4 : answerMemory;
        answerMinRate = answerMinRate == null ? 8_192L : answerMinRate;
    }

    /** The defaults, for tests and tools. */
    public static Limits defaults() {
        return new Limits(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * The minimum-rate rule for bodies ({@code body-min-rate}) and answers ({@code answer-min-rate}) alike: true once
     * {@code ranNanos} is past {@code graceNanos} and fewer than {@code minRate} bytes a second, on average over the
     * time since the grace, have arrived or been taken.
     */
    public static boolean underMinRate(long bytes, long minRate, long ranNanos, long graceNanos) {
        return ranNanos > graceNanos && bytes < minRate * ((ranNanos - graceNanos) / 1e9);
    }

    /** Work up to which a computation is light: a fortieth of the most admitted (about 37 ms by default). */
    public long lightWork() {
        return maxWork / 40;
    }

    /**
     * Refuses (422) a request whose predicted cost is over {@code max-work} or {@code max-response-bytes}.
     *
     * @param path the request field to name, e.g. {@code steps} or {@code options.gradient_check} ("" for the body)
     * @param what what the request asks, for the message: "this request", "this training"
     */
    public void check(Cost cost, String path, String what) {
        if (cost.work() > maxWork) {
            throw new LimitExceededException("chainrule.limits.max-work", maxWork, cost.work(), path,
                    what + " would take about " + seconds(cost.work()) + " s of CPU: its predicted work (in units of"
                            + " about a nanosecond)");
        }
        if (cost.answerBytes() > maxResponseBytes) {
            throw new LimitExceededException("chainrule.limits.max-response-bytes", maxResponseBytes, cost.answerBytes(),
                    path, "the answer to " + what + " would be too large: its predicted size in bytes");
        }
    }

    private static String seconds(long units) {
        return String.format(java.util.Locale.ROOT, "%.2g", units / 1e9);
    }
}
