package dev.chainrule.bench;

import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.Gradients;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;

/**
 * The in-process request ({@link WholeRequest}) phase by phase, in <em>CPU time</em> of this thread (so other
 * processes on a shared machine do not count): the body read into a tree, the tree into the problem, the engine,
 * the answer written, and the whole request. Each phase's median (and quartiles) over {@code runs} requests, after
 * as many requests of warm-up.
 *
 * <p>Run: {@code python3 scripts/make_large.py && ./mvnw -q -o -Pbench test-compile exec:exec
 * -Dbench.main=dev.chainrule.bench.Phases -Dbench.args="large 300"} (body {@code cs224n} or {@code large}).
 */
public final class Phases {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws IOException {
        String body = args.length > 0 ? args[0] : "large";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Path file = Path.of("scripts", "bodies", body + ".json");
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: run python3 scripts/make_large.py first");
        }
        byte[] bytes = Files.readAllBytes(file);
        WholeRequest service = new WholeRequest();
        long[][] times = new long[5][runs];
        long answerBytes = 0;
        for (int round = 0; round < 2; round++) {                    // round 0 warms up
            for (int i = 0; i < runs; i++) {
                long t0 = CPU.getCurrentThreadCpuTime();
                JsonNode tree = service.tree(bytes);
                long t1 = CPU.getCurrentThreadCpuTime();
                ProblemReader.Request request = service.problem(tree);
                long t2 = CPU.getCurrentThreadCpuTime();
                Gradients g = service.compute(request);
                long t3 = CPU.getCurrentThreadCpuTime();
                answerBytes = service.answer(g);
                long t4 = CPU.getCurrentThreadCpuTime();
                service.run(bytes);
                long t5 = CPU.getCurrentThreadCpuTime();
                times[0][i] = t1 - t0;
                times[1][i] = t2 - t1;
                times[2][i] = t3 - t2;
                times[3][i] = t4 - t3;
                times[4][i] = t5 - t4;
            }
        }
        String[] names = {"tree", "problem", "engine", "answer", "whole"};
        System.out.printf("%s.json: %,d bytes in, %,d bytes out; CPU per request over %d runs (median [quartiles])%n",
                body, bytes.length, answerBytes, runs);
        for (int p = 0; p < names.length; p++) {
            long[] t = times[p].clone();
            Arrays.sort(t);
            System.out.printf("  %-8s %,10.1f µs  [%,.1f – %,.1f]%n", names[p], t[runs / 2] / 1e3, t[runs / 4] / 1e3,
                    t[3 * runs / 4] / 1e3);
        }
    }
}
