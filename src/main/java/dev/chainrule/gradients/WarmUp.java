package dev.chainrule.gradients;

import dev.chainrule.examples.Examples;
import dev.chainrule.system.RequestTree;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Warms the JIT up once the service is ready: a background thread answers the lecture's {@code /v1/gradients}
 * examples and two wider networks in process (body bytes → tree → problem → engine → JSON answer, the service's own path, as JSON and now
 * and then as text) until it has used {@code chainrule.warm-up} of CPU (2 s by default; 0 turns it off). The JIT
 * compiles the engine, the readers and the writers while nobody waits, instead of during the first minute of traffic:
 * with 16 clients on 2 cores its compiler thread gets a fraction of a core, and the service took about a minute to
 * reach its steady speed (BENCHMARKS.md). Readiness is not delayed, and nothing is logged or counted as a request.
 */
@Component
class WarmUp implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    private final Examples examples;
    private final JsonMapper json;
    private final ProblemReader reader;
    private final Lecture lecture;
    private final Duration budget;
    private final java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();
    private volatile Thread thread;

    WarmUp(Examples examples, JsonMapper json, ProblemReader reader, Lecture lecture,
            @Value("${chainrule.warm-up:2s}") Duration budget) {
        this.examples = examples;
        this.json = json;
        this.reader = reader;
        this.lecture = lecture;
        this.budget = budget;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (budget.isZero() || budget.isNegative()) {
            return;
        }
        Thread t = new Thread(this::run, "jit-warm-up");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void run() {
        List<byte[]> bodies = new java.util.ArrayList<>(examples.all().stream()
                .filter(e -> "/v1/gradients".equals(e.endpoint())).map(Examples.Example::bytes).toList());
        if (!bodies.isEmpty()) {
            bodies.add(wide()); // the lecture's examples are tiny: wider networks take the long-row paths too
            bodies.add(longRows());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + budget.toNanos();
        try {
            while (!bodies.isEmpty() && threads.getCurrentThreadCpuTime() < until) {
                for (byte[] body : bodies) {
                    ProblemReader.Request request = reader.read(RequestTree.read(body, json), "");
                    if (answered.incrementAndGet() % 16 == 0) {
                        lecture.text(request, Numbers.of(null));
                    } else {
                        lecture.json(request, Numbers.of(null));
                    }
                }
            }
            log.debug("JIT warm-up: {} answers in {} of CPU", answered.get(), budget);
        } catch (RuntimeException e) {
            // the service is shutting down or busy: the warm-up only ever gives way
            log.debug("JIT warm-up stopped after {} answers: {}", answered.get(), e.toString());
        }
    }

    /**
     * A 64-64-64-10 ReLU network, a batch of 16, softmax cross-entropy, steps off (random weights, fixed seed): the
     * kernels' long rows, and reading and writing arrays of full-precision numbers, as a larger request meets them.
     */
    static byte[] wide() {
        return network(new int[] {64, 64, 64, 10}, 16);
    }

    /**
     * A 400-32-10 network, a batch of 4: rows of 400 numbers, longer than the reader's first array (64) and than
     * what fits the JSON writer's 8 kB buffer in one piece. Without it a service warmed only on short rows met its
     * first large network with code compiled for short ones, and the JIT threw that code away and compiled it again
     * while the requests waited (BENCHMARKS.md).
     */
    static byte[] longRows() {
        return network(new int[] {400, 32, 10}, 4);
    }

    private static byte[] network(int[] sizes, int batch) {
        java.util.Random r = new java.util.Random(7);
        StringBuilder b = new StringBuilder(64 * 1024).append("{\"network\": {\"layers\": [");
        for (int i = 1; i < sizes.length; i++) {
            b.append(i > 1 ? ", " : "").append("{\"type\": \"dense\", \"W\": ");
            matrix(b, sizes[i], sizes[i - 1], Math.sqrt(2.0 / sizes[i - 1]), r);
            b.append(", \"activation\": \"").append(i < sizes.length - 1 ? "relu" : "identity").append("\"}");
        }
        b.append("]}, \"batch\": ");
        matrix(b, batch, sizes[0], 1.0, r);
        b.append(", \"loss\": {\"type\": \"softmax_cross_entropy\", \"y\": [");
        for (int e = 0; e < batch; e++) {
            b.append(e > 0 ? ", " : "").append(r.nextInt(10));
        }
        return b.append("]}, \"options\": {\"steps\": false}}").toString()
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static void matrix(StringBuilder b, int rows, int cols, double scale, java.util.Random r) {
        b.append('[');
        for (int i = 0; i < rows; i++) {
            b.append(i > 0 ? ", [" : "[");
            for (int j = 0; j < cols; j++) {
                // four decimals, as people and scripts write weights: -0.0226
                long v = Math.round(r.nextGaussian() * scale * 10_000);
                long a = Math.abs(v);
                b.append(j > 0 ? ", " : "").append(v < 0 ? "-" : "").append(a / 10_000).append('.');
                String frac = Long.toString(a % 10_000);
                b.append("0000", 0, 4 - frac.length()).append(frac);
            }
            b.append(']');
        }
        b.append(']');
    }

    /** Examples answered so far; once {@code done} waited for, all of them. */
    long answered() {
        return answered.get();
    }

    /** Waits up to {@code timeout} for the warm-up to finish; true if it has (or never started). */
    boolean done(Duration timeout) throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join(timeout.toMillis());
            return !t.isAlive();
        }
        return true;
    }
}
