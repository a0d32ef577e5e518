package dev.chainrule.bench;

import dev.chainrule.engine.Backprop;
import dev.chainrule.engine.Conv;
import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.Graph;
import dev.chainrule.engine.Op;
import dev.chainrule.engine.Ops;
import dev.chainrule.engine.Pool;
import dev.chainrule.engine.Tensor;
import java.util.List;
import java.util.Random;
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
 * A CS231n-sized convolutional layer through the engine, forward and backward, one thread: x of 3×32×32 (or a
 * batch of N), 16 filters of 3×3 with padding 1 and a bias, ReLU, 2×2 max-pool, summed to one number, built as a
 * graph ({@link Graph.Builder}, each value computed as its node is added) and walked back ({@link Backprop}) as
 * {@code /v1/graph} does. {@code scripts/torch_conv.py} times the same layer in PyTorch (float64, one thread).
 * Sampled rather than averaged: on a shared machine a few calls descheduled for milliseconds move the mean, not
 * the median (p0.50), which is the figure to set beside PyTorch's median.
 *
 * <p>Run: {@code ./mvnw -q -Pbench test-compile exec:exec -Dbench.args=ConvBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConvBenchmark {

    /** 1: one image of 3×32×32 (unbatched); more: a batch N×3×32×32. */
    private static final Op RELU = Ops.build("relu", 1);
    private static final Op SUM = Ops.build("sum", 1);

    @Param({"1", "8"})
    public int batch;

    private Tensor x;
    private Tensor w;
    private Tensor b;

    @Setup
    public void values() {
        Random random = new Random(231);
        x = random(random, batch == 1 ? new int[] {3, 32, 32} : new int[] {batch, 3, 32, 32}, 1.0);
        w = random(random, new int[] {16, 3, 3, 3}, Math.sqrt(2.0 / 27));
        b = random(random, new int[] {16}, 0.1);
    }

    private static Tensor random(Random random, int[] shape, double scale) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        double[] data = new double[size];
        for (int i = 0; i < size; i++) {
            data[i] = random.nextGaussian() * scale;
        }
        return Tensor.of(shape, data);
    }

    @Benchmark
    public Backprop.Result layer() {
        Graph.Builder g = new Graph.Builder();
        int xi = g.input("x", x);
        int wi = g.input("w", w);
        int bi = g.input("b", b);
        int k = g.constant("2", 2);
        int z = g.apply("z", new Conv(2, 1, 1, true), List.of(xi, wi, bi), "conv2d(x, w, b, padding=1)");
        int h = g.apply("h", RELU, List.of(z), "relu(z)");
        int p = g.apply("p", new Pool(true, 2, 2), List.of(h, k), "maxpool2d(h, 2)");
        int f = g.apply("f", SUM, List.of(p), "sum(p)");
        return Backprop.run(g.build(), f, Deadline.NONE);
    }
}
