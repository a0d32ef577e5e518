package dev.chainrule.gradients;

import dev.chainrule.render.Numbers;
import dev.chainrule.examples.Examples;
import dev.chainrule.http.Answers;
import dev.chainrule.http.ComputeGate;
import dev.chainrule.wire.RequestTree;
import dev.chainrule.http.SelfRequests;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Warms the JIT up once the service is ready, on a background thread, in two steps:
 * <ol>
 * <li>in process: it answers the lecture's {@code /v1/gradients} examples and two wider networks (body bytes → tree →
 * problem → engine → JSON answer, the service's own path, as JSON and now and then as text) until it has used
 * {@code chainrule.warm-up} of CPU (2 s by default; 0 turns both steps off). The JIT compiles the engine, the readers
 * and the writers while nobody waits, instead of during the first minute of traffic: with 16 clients on 2 cores its
 * compiler thread gets a fraction of a core, and the service took about a minute to reach its steady speed;</li>
 * <li>over HTTP: it posts the same bodies, and the graph examples, to the service's own port on the loopback, one
 * at a time, {@code chainrule.warm-up-requests} of them (4,000 by default, 0 for none; 30 s at most), so Tomcat's
 * parsers, the filters, Spring's handler lookup and the converters are compiled too. At {@code large.json}'s 40-60
 * requests a second they otherwise took minutes to reach the JIT's thresholds, and its compiler took a sixth of the
 * CPU under load (BENCHMARKS.md, "The JIT under large.json's load"). It gives way as soon as clients keep the
 * service busy, stops at the first answer that is not a 2xx (busy, or shutting down), and is skipped when the server
 * speaks only TLS.</li>
 * </ol>
 * Readiness is not delayed. Its requests are neither logged nor counted as requests: they carry a token known only
 * to this process ({@link SelfRequests}). It says at INFO, once, how long it expects to run, and once when it is done,
 * so that the CPU it uses right after start is not a mystery.
 */
@Component
class WarmUp implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    private final Examples examples;
    private final JsonMapper json;
    private final ProblemReader reader;
    private final Lecture lecture;
    private final Answers answers;
    private final Duration budget;
    private final int requests;
    private final SelfRequests self;
    private final ComputeGate gate;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong sentOverHttp = new AtomicLong();
    private volatile Thread thread;

    private static final String GRADIENTS = "/v1/gradients";
    /** The longest the requests over HTTP go on, however many are left. */
    private static final Duration HTTP_AT_MOST = Duration.ofSeconds(30);
    /** Times in a row the gate is seen in use by others before the requests over HTTP give way to them. */
    private static final int BUSY_SEEN = 3;
    /**
     * Wall time of one request over HTTP during the warm-up on two cores, the JIT compiling beside it: 4,000 took
     * about 12 s (docs/operations.md). Only the start line's estimate uses it.
     */
    private static final Duration PER_REQUEST = Duration.ofMillis(3);

    WarmUp(Examples examples, JsonMapper json, ProblemReader reader, Lecture lecture, Answers answers,
            @Value("${chainrule.warm-up:2s}") Duration budget,
            @Value("${chainrule.warm-up-requests:4000}") int requests, SelfRequests self, ComputeGate gate) {
        this.examples = examples;
        this.json = json;
        this.reader = reader;
        this.lecture = lecture;
        this.answers = answers;
        this.budget = budget;
        this.requests = requests;
        this.self = self;
        this.gate = gate;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (budget.isZero() || budget.isNegative()) {
            return;
        }
        URI own = requests > 0 ? ownAddress(event.getApplicationContext().getEnvironment()) : null;
        int overHttp = own == null ? 0 : requests;
        log.info(announcement(budget, overHttp));
        Thread t = new Thread(() -> {
            long start = System.nanoTime();
            List<Post> posts = posts(); // built once for both steps (the wider networks are generated)
            run(posts);
            String http = own == null ? "none over HTTP" : overHttp(own, posts);
            log.info("JIT warm-up done after {} s: {} answers in process, {}", seconds(System.nanoTime() - start),
                    answered.get(), http);
        }, "jit-warm-up");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /**
     * The start line: about how long the warm-up runs ({@link #expected}), that requests are served meanwhile, and
     * how to turn it off, named as docs/configuration.md names it.
     */
    static String announcement(Duration budget, int overHttp) {
        String then = overHttp <= 0 ? ""
                : ", then up to " + overHttp + " requests to its own port, " + HTTP_AT_MOST.toSeconds() + " s at most";
        return "JIT warm-up runs for about " + expected(budget, overHttp).toSeconds() + " s in the background while"
                + " requests are served (" + seconds(budget.toNanos()) + " s of CPU in process" + then
                + "); CHAINRULE_WARM_UP=0s turns it off";
    }

    /**
     * About how long the warm-up runs: its CPU budget in process (a thread that has a core to itself), then its
     * requests over HTTP at their measured pace, {@link #HTTP_AT_MOST} at most; rounded up to a second.
     */
    static Duration expected(Duration budget, int overHttp) {
        Duration http = PER_REQUEST.multipliedBy(Math.max(0, overHttp));
        Duration total = budget.plus(http.compareTo(HTTP_AT_MOST) > 0 ? HTTP_AT_MOST : http);
        return Duration.ofSeconds(total.toSeconds() + (total.toNanosPart() > 0 ? 1 : 0));
    }

    /** Nanoseconds as seconds, to two decimals at most: 0.05, 2, 12.4. */
    private static String seconds(long nanos) {
        return java.math.BigDecimal.valueOf(nanos, 9).setScale(2, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }

    /** One body the warm-up sends, and the endpoint it is for. */
    record Post(String endpoint, byte[] body) {
    }

    /** Every example to its endpoint, and the two wider networks to {@value #GRADIENTS}. */
    List<Post> posts() {
        List<Post> posts = new java.util.ArrayList<>();
        for (Examples.Example e : examples.all()) {
            posts.add(new Post(e.endpoint(), e.bytes()));
        }
        if (!posts.isEmpty()) {
            // the lecture's examples are tiny: wider networks take the long-row paths too
            posts.add(new Post(GRADIENTS, wide()));
            posts.add(new Post(GRADIENTS, longRows()));
        }
        return posts;
    }

    private void run(List<Post> posts) {
        List<byte[]> bodies = posts.stream().filter(p -> GRADIENTS.equals(p.endpoint())).map(Post::body).toList();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + budget.toNanos();
        try {
            while (!bodies.isEmpty() && threads.getCurrentThreadCpuTime() < until) {
                for (byte[] body : bodies) {
                    ProblemReader.Request request = reader.read(RequestTree.read(body, json), "");
                    answers.answerInProcess(answered.incrementAndGet() % 16 == 0 ? lecture.text(request, Numbers.of(null))
                            : lecture.json(request, Numbers.of(null)));
                }
            }
        } catch (RuntimeException e) {
            // the service is shutting down or busy: the warm-up only ever gives way
            log.debug("JIT warm-up stopped after {} answers: {}", answered.get(), e.toString());
        }
    }

    /**
     * The service's own root over plain HTTP on the loopback (or on {@code server.address} when it listens on one
     * address only), context path included; {@code null} when there is no such server: no web server (a test, a
     * tool), or TLS only.
     */
    static URI ownAddress(Environment env) {
        Integer port = env.getProperty("local.server.port", Integer.class);
        boolean tls = env.getProperty("server.ssl.enabled", Boolean.class, true)
                && (env.containsProperty("server.ssl.bundle") || env.containsProperty("server.ssl.key-store")
                        || env.containsProperty("server.ssl.certificate"));
        if (port == null || port <= 0 || tls) {
            return null;
        }
        try {
            String address = env.getProperty("server.address");
            InetAddress host = address == null || address.isBlank() ? InetAddress.getLoopbackAddress()
                    : InetAddress.getByName(address);
            if (host.isAnyLocalAddress()) {
                host = InetAddress.getLoopbackAddress();
            }
            String name = host instanceof Inet6Address ? "[" + host.getHostAddress() + "]" : host.getHostAddress();
            String path = env.getProperty("server.servlet.context-path", "");
            return new URI("http://" + name + ":" + port + (path.endsWith("/") ? path : path + "/"));
        } catch (UnknownHostException | URISyntaxException e) {
            return null;
        }
    }

    /**
     * The examples (and the wider networks) posted to the service itself, one at a time, as a client would. Once
     * clients keep the service busy (computations running or waiting, seen before {@value #BUSY_SEEN} requests in a
     * row), it stops: their traffic warms the JIT itself, and these requests would only queue behind theirs. Returns
     * how it ended, for the line that says the warm-up is done.
     */
    String overHttp(URI own, List<Post> posts) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long until = System.nanoTime() + HTTP_AT_MOST.toNanos();
        int busy = 0;
        try {
            for (int i = 0; i < requests && !posts.isEmpty() && System.nanoTime() < until; i++) {
                busy = gate.running() + gate.waiting() > 0 ? busy + 1 : 0;
                if (busy == BUSY_SEEN) {
                    return sentOverHttp.get() + " requests over HTTP, then it gave way to clients";
                }
                Post post = posts.get(i % posts.size());
                URI uri = own.resolve(post.endpoint().substring(1)); // the context path's, not the host's root
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header("Accept", i % 16 == 15 ? "text/plain" : "application/json")
                        .header(SelfRequests.HEADER, self.token())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(post.body())).build();
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 != 2) {
                    return sentOverHttp.get() + " requests over HTTP, then " + uri.getPath() + " answered " + status;
                }
                sentOverHttp.incrementAndGet();
            }
            return sentOverHttp.get() + " requests over HTTP";
        } catch (IOException e) {
            // the service is shutting down: the warm-up only ever gives way
            return sentOverHttp.get() + " requests over HTTP, then " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return sentOverHttp.get() + " requests over HTTP, then it was interrupted";
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

    /** Requests answered 2xx over HTTP so far. */
    long sentOverHttp() {
        return sentOverHttp.get();
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
