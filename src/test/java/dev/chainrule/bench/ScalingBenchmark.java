package dev.chainrule.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
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
 * How the whole in-process request ({@link WholeRequest}) grows with the network and the batch: one dense n×n ReLU
 * layer and a score layer, a batch of B, steps off, for n from 1 to 512 and B from 1 to 256. Each case prints its
 * multiply-adds (forward and backward: 3·n·(n + 1)·B) and its body and answer sizes, for the scaling table of
 * BENCHMARKS.md ({@code scripts/scaling-table.py} turns this output into it).
 *
 * <p>Run: {@code ./mvnw -q -Pbench test-compile exec:exec -Dbench.args="ScalingBenchmark -rf csv -rff target/scaling.csv"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ScalingBenchmark {

    /** n×B: the layer's width and the batch. */
    @Param({"1x1", "8x1", "8x16", "32x16", "64x64", "128x64", "256x1", "256x16", "256x64", "256x256", "512x1",
            "512x64", "512x256"})
    public String shape;

    private final WholeRequest service = new WholeRequest();
    private byte[] body;

    @Setup
    public void body() {
        int n = Integer.parseInt(shape.substring(0, shape.indexOf('x')));
        int batch = Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
        body = body(n, batch).getBytes(StandardCharsets.UTF_8);
        long answer = service.run(body);
        System.out.printf("%ncase %s multiply_adds %d body_bytes %d answer_bytes %d%n", shape,
                3L * n * (n + 1) * batch, body.length, answer);
    }

    /** Weights with 4 digits, inputs with 3, as a generator or a person would write them. */
    static String body(int n, int batch) {
        Random r = new Random(n * 1000L + batch);
        double scale = Math.sqrt(2.0 / n);
        StringBuilder json = new StringBuilder("{\"network\":{\"layers\":[{\"type\":\"dense\",\"W\":");
        matrix(json, n, n, () -> Math.round(r.nextGaussian() * scale * 1e4) / 1e4);
        json.append(",\"b\":");
        vector(json, n, () -> 0.0);
        json.append(",\"activation\":\"relu\"},{\"type\":\"score\",\"u\":");
        vector(json, n, () -> Math.round(r.nextGaussian() * 1e4) / 1e4);
        json.append("}]},\"batch\":");
        matrix(json, batch, n, () -> Math.round(r.nextGaussian() * 1e3) / 1e3);
        return json.append(",\"loss\":{\"type\":\"score\"},\"options\":{\"steps\":false}}").toString();
    }

    private static void matrix(StringBuilder json, int rows, int cols, DoubleSupplier entry) {
        json.append('[');
        for (int i = 0; i < rows; i++) {
            json.append(i == 0 ? "" : ",");
            vector(json, cols, entry);
        }
        json.append(']');
    }

    private static void vector(StringBuilder json, int n, DoubleSupplier entry) {
        json.append('[');
        for (int j = 0; j < n; j++) {
            json.append(j == 0 ? "" : ",").append(entry.getAsDouble());
        }
        json.append(']');
    }

    @Benchmark
    public long request() {
        return service.run(body);
    }
}
