package dev.chainrule.bench;

import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.Gradients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine alone ({@code engine}: forward, backward and, when asked, steps) and the whole request without HTTP
 * ({@code request}: bytes → tree → problem → gradients → JSON written to a stream, see {@link WholeRequest}),
 * on the lecture's running example (steps on) and
 * on {@code large.json} (256-256-256-10 ReLU, batch 64, softmax cross-entropy, steps off). One thread.
 *
 * <p>Run: {@code python3 scripts/make_large.py && ./mvnw -q -Pbench test-compile exec:exec}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {

    @Param({"cs224n", "large"})
    public String body;

    private final WholeRequest service = new WholeRequest();
    private byte[] bytes;
    private ProblemReader.Request request;

    @Setup
    public void read() throws IOException {
        Path file = Path.of("scripts", "bodies", body + ".json");
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: run python3 scripts/make_large.py first");
        }
        bytes = Files.readAllBytes(file);
        request = service.read(bytes);
    }

    @Benchmark
    public Gradients engine() {
        return service.compute(request);
    }

    @Benchmark
    public long request() {
        return service.run(bytes);
    }
}
