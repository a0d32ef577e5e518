package dev.chainrule.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * How the whole in-process request ({@link WholeRequest}) grows with the network and the batch: one dense n×n ReLU
 * layer and a score layer, a batch of B, steps off, n from 1 to 512 and B from 1 to 256. Prints BENCHMARKS.md's
 * scaling table — multiply-adds (forward and backward, 3·n·(n + 1)·B), body and answer sizes, and the median
 * <em>CPU time</em> of the request on this thread (so other processes on a shared machine do not count) — then
 * least-squares fits of time against multiply-adds, answer size and body size.
 *
 * <p>Run: {@code ./mvnw -q -Pbench test-compile exec:exec -Dbench.main=dev.chainrule.bench.ScalingTable}
 */
public final class ScalingTable {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /** n×B: the layer's width and the batch. */
    private static final int[][] SHAPES = {{1, 1}, {8, 1}, {8, 16}, {32, 16}, {64, 64}, {128, 64}, {256, 1},
            {256, 16}, {256, 64}, {256, 256}, {512, 1}, {512, 16}, {512, 64}, {512, 128}};

    private record Row(String shape, long multiplyAdds, int body, long answer, double micros) {
    }

    public static void main(String[] args) {
        WholeRequest service = new WholeRequest();
        List<Row> rows = new ArrayList<>();
        for (int[] s : SHAPES) {
            byte[] body = body(s[0], s[1]).getBytes(StandardCharsets.UTF_8);
            long answer = service.run(body);
            rows.add(new Row(s[0] + "×" + s[1], 3L * s[0] * (s[0] + 1) * s[1], body.length, answer,
                    medianMicros(service, body)));
        }
        System.out.println("| n×B | multiply-adds | body | answer | CPU per request | ns per multiply-add | ns per answer byte |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            System.out.printf("| %s | %,d | %,.1f kB | %,.1f kB | %,.1f µs | %,.2f | %,.2f |%n", r.shape, r.multiplyAdds,
                    r.body / 1e3, r.answer / 1e3, r.micros, r.micros * 1e3 / r.multiplyAdds, r.micros * 1e3 / r.answer);
        }
        System.out.println();
        fit(rows, new String[] {"per million multiply-adds"}, r -> new double[] {r.multiplyAdds / 1e6});
        fit(rows, new String[] {"per MB of answer"}, r -> new double[] {r.answer / 1e6});
        fit(rows, new String[] {"per million multiply-adds", "per MB of answer", "per MB of body"},
                r -> new double[] {r.multiplyAdds / 1e6, r.answer / 1e6, r.body / 1e6});
    }

    /** Median CPU time of one request, after at least 2 s of CPU (and 20 requests) of warm-up. */
    private static double medianMicros(WholeRequest service, byte[] body) {
        long warm = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < 20 || CPU.getCurrentThreadCpuTime() - warm < 2_000_000_000L; i++) {
            service.run(body);
        }
        List<Long> times = new ArrayList<>();
        long start = CPU.getCurrentThreadCpuTime();
        while (times.size() < 15 || CPU.getCurrentThreadCpuTime() - start < 1_000_000_000L) {
            long t0 = CPU.getCurrentThreadCpuTime();
            service.run(body);
            times.add(CPU.getCurrentThreadCpuTime() - t0);
        }
        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 2] / 1e3;
    }

    private interface Features {
        double[] of(Row r);
    }

    /**
     * Least squares on relative errors (each case weighted by 1/time², so a 10 µs case counts as much as a 50 ms
     * one): time = a + Σ bᵢ·featureᵢ, with the worst relative miss.
     */
    private static void fit(List<Row> rows, String[] names, Features features) {
        int k = names.length + 1;
        double[][] a = new double[k][k];
        double[] v = new double[k];
        for (Row r : rows) {
            double[] x = withOne(features.of(r));
            double w = 1 / (r.micros * r.micros);
            for (int i = 0; i < k; i++) {
                v[i] += w * x[i] * r.micros;
                for (int j = 0; j < k; j++) {
                    a[i][j] += w * x[i] * x[j];
                }
            }
        }
        double[] beta = solve(a, v);
        double worst = 0;
        for (Row r : rows) {
            double[] x = withOne(features.of(r));
            double predicted = 0;
            for (int i = 0; i < k; i++) {
                predicted += beta[i] * x[i];
            }
            worst = Math.max(worst, Math.abs(r.micros - predicted) / r.micros);
        }
        StringBuilder text = new StringBuilder(String.format("time ≈ %.1f µs", beta[0]));
        for (int i = 0; i < names.length; i++) {
            text.append(String.format(" + %.1f µs %s", beta[i + 1], names[i]));
        }
        System.out.printf("%s (worst case off by %.0f %%)%n", text, 100 * worst);
    }

    private static double[] withOne(double[] x) {
        double[] out = new double[x.length + 1];
        out[0] = 1;
        System.arraycopy(x, 0, out, 1, x.length);
        return out;
    }

    /** Gaussian elimination with partial pivoting (a handful of unknowns). */
    private static double[] solve(double[][] a, double[] v) {
        int k = v.length;
        double[][] m = new double[k][];
        for (int i = 0; i < k; i++) {
            m[i] = Arrays.copyOf(a[i], k + 1);
            m[i][k] = v[i];
        }
        for (int c = 0; c < k; c++) {
            int p = c;
            for (int r = c + 1; r < k; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            for (int r = 0; r < k; r++) {
                if (r != c) {
                    double f = m[r][c] / m[c][c];
                    for (int j = c; j <= k; j++) {
                        m[r][j] -= f * m[c][j];
                    }
                }
            }
        }
        double[] beta = new double[k];
        for (int i = 0; i < k; i++) {
            beta[i] = m[i][k] / m[i][i];
        }
        return beta;
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
}
