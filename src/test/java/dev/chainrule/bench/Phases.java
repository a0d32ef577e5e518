package dev.chainrule.bench;

import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.Gradients;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * CPU time of each phase of an in-process request (tree, problem, engine, answer), median of many runs after a
 * warm-up: where a request's time goes. Run: {@code ./mvnw -q -Pbench test-compile exec:exec
 * -Dbench.main=dev.chainrule.bench.Phases -Dbench.args="large 300"}.
 */
public final class Phases {

    private Phases() {
    }

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "large";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        byte[] bytes = Files.readAllBytes(Path.of("scripts", "bodies", name + ".json"));
        WholeRequest service = new WholeRequest();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[][] t = new long[5][runs];
        for (int warm = 0; warm < 2; warm++) {
            for (int i = 0; i < runs; i++) {
                long a = threads.getCurrentThreadCpuTime();
                JsonNode tree = service.tree(bytes);
                long b = threads.getCurrentThreadCpuTime();
                ProblemReader.Request request = service.problem(tree);
                long c = threads.getCurrentThreadCpuTime();
                Gradients g = service.compute(request);
                long d = threads.getCurrentThreadCpuTime();
                long written = service.write(g);
                long e = threads.getCurrentThreadCpuTime();
                t[0][i] = b - a;
                t[1][i] = c - b;
                t[2][i] = d - c;
                t[3][i] = e - d;
                t[4][i] = e - a;
                if (written <= 0) {
                    throw new IllegalStateException("nothing written");
                }
            }
        }
        Map<String, long[]> phases = new LinkedHashMap<>();
        phases.put("tree", t[0]);
        phases.put("problem", t[1]);
        phases.put("engine", t[2]);
        phases.put("answer", t[3]);
        phases.put("whole", t[4]);
        StringBuilder line = new StringBuilder(name + ": CPU per request, median (mean) of " + runs + ":");
        phases.forEach((phase, times) -> {
            long[] sorted = times.clone();
            Arrays.sort(sorted);
            line.append(String.format(" %s %.3f ms (%.3f)", phase, sorted[runs / 2] / 1e6,
                    Arrays.stream(times).average().orElse(0) / 1e6));
        });
        System.out.println(line);
    }
}
