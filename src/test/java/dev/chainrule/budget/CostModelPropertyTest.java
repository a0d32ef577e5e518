package dev.chainrule.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.RandomBodies;
import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.Golden;
import dev.chainrule.network.Problem;
import dev.chainrule.config.Limits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The cost model against measurement: random requests (depth, widths, activation, options, batch) grown to the edge
 * of the limits (the batch as large as the work limit, the batch limit or the answer's size allows), each answered by the real server, whose Server-Timing gives the computation's CPU time (not wall
 * time: a loaded machine slows the wall clock, far less a thread's CPU time) beside the prediction. The model must
 * not under-predict by more than {@value #UNDER}× (that is what keeps the largest admitted request within its
 * time), nor over-predict by more than {@value #OVER}× (which would refuse requests that are cheap). Each request is
 * sent twice and the faster kept, so the JIT has compiled its path. The requests are grown to an edge of 2·10⁸ units
 * (about 0.2 s) rather than to the service's limit, to keep the test short, on the server the other tests share (its
 * limit is higher, so it answers them all; that a request over the limit is refused is {@code OverBudgetTest}'s);
 * BENCHMARKS.md has the same comparison at the default limit.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CostModelPropertyTest {

    static final long LIMIT = 200_000_000L;
    static final double UNDER = 4;
    static final double OVER = 25;
    private static final String[] ACTIVATIONS = {"identity", "relu", "leaky_relu", "sigmoid", "tanh", "hardtanh",
            "softplus", "gelu", "silu", "softmax"};
    private static final Pattern CPU = Pattern.compile("cpu;dur=([0-9.]+)");
    private static final Pattern COST = Pattern.compile("cost;[^,]*dur=([0-9.]+)");

    @LocalServerPort
    private int port;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ProblemReader reader = new ProblemReader(Limits.defaults());

    @Test
    void predictedCostIsWithinAFactorOfMeasuredCpuTimeAtTheEdgeOfTheLimit() throws Exception {
        Random random = new Random(16);
        List<String> report = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String body = edgeOfLimit(random);
            double[] first = send(body);
            double[] m = send(body);
            double cpu = Math.min(first[0], m[0]);
            double predicted = m[1];
            report.add(String.format(Locale.ROOT, "predicted %.1f ms, cpu %.1f ms", predicted, cpu));
            assertTrue(predicted * 1e6 <= LIMIT, "the server priced it over the edge it was grown to: " + report);
            assertTrue(cpu <= UNDER * predicted, "under-predicted: " + report);
            assertTrue(predicted <= OVER * Math.max(cpu, 1.0), "over-predicted: " + report);
        }
    }

    /** {cpu ms, predicted ms} from the answer's Server-Timing. */
    private double[] send(String body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/gradients"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body().length() > 500 ? r.body().substring(0, 500) : r.body());
        String timing = r.headers().firstValue("Server-Timing").orElseThrow();
        Matcher cpu = CPU.matcher(timing);
        Matcher cost = COST.matcher(timing);
        assertTrue(cpu.find() && cost.find(), timing);
        return new double[] {Double.parseDouble(cpu.group(1)), Double.parseDouble(cost.group(1))};
    }

    /**
     * A random network and options, with the batch grown as far as the limit admits (binary search). The cost model
     * prices shapes, not values, so each candidate batch is priced on the network read once with inputs of zeros;
     * the body is written once, for the batch found (the server prices it again: {@code predicted} above).
     */
    private String edgeOfLimit(Random random) {
        int depth = 1 + random.nextInt(5);
        int[] widths = new int[depth + 1];
        for (int i = 0; i <= depth; i++) {
            widths[i] = 1 + random.nextInt(random.nextBoolean() ? 8 : 96);
        }
        String activation = ACTIVATIONS[random.nextInt(ACTIVATIONS.length)];
        boolean steps = random.nextInt(3) == 0;
        boolean jacobian = random.nextInt(3) == 0;
        boolean check = random.nextInt(4) == 0;
        boolean latex = steps && random.nextInt(3) == 0;
        String options = String.format(Locale.ROOT, "{\"steps\": %b, \"jacobian_form\": %b, \"gradient_check\": %b, \"latex\": %b}",
                steps, jacobian, check, latex);
        CostModel.GradientsAsk ask = new CostModel.GradientsAsk(steps, jacobian, latex, check, false, false, false);
        long seed = random.nextLong();
        Problem network = reader.read(Golden.json().readTree(RandomBodies.chain(widths, activation, 1, options, seed)), "")
                .problem();
        int low = 1;
        int high = 4096;
        int best = 0;
        while (low <= high) {
            int batch = (low + high) / 2;
            Problem p = network.withInputs(new double[batch][widths[0]]);
            if (CostModel.gradients(p, ask).work() <= LIMIT
                    && CostModel.answerNumbers(p, steps, jacobian) <= Limits.defaults().maxResponseNumbers()) {
                best = batch;
                low = batch + 1;
            } else {
                high = batch - 1;
            }
        }
        return best == 0 ? edgeOfLimit(random) : RandomBodies.chain(widths, activation, best, options, seed);
    }
}
