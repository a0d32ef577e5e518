package dev.chainrule.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chainrule.network.Golden;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every case of {@code golden-ops/} (PyTorch float64) that calls a layer or loss op, evaluated on the op alone: the
 * op built by the function table from the call's constants and keywords, its operands from the case's
 * {@code values}, the forward value against the case's, and each operand's gradient against PyTorch's for the
 * upstream PyTorch gives that statement (1 when it is the output).
 */
class GoldenLayerOpsTest {

    private static final Pattern CALL = Pattern.compile(
            "(\\w+) = (conv1d|conv2d|maxpool2d|avgpool2d|layer_norm|batch_norm|cross_entropy|svm|mse|huber|bce_with_logits)\\((.*)\\)");

    static List<Path> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(GoldenLayerOpsTest.class.getResource("/golden-ops").toURI());
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (f.toString().endsWith(".json") && CALL.matcher(Golden.read(f).get("request").get("expression").asString()).find()) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardAndGradientsAgreeWithPyTorch(Path file) {
        JsonNode golden = Golden.read(file);
        String expression = golden.get("request").get("expression").asString();
        JsonNode values = golden.get("request").get("values");
        JsonNode response = golden.get("response");
        Matcher m = CALL.matcher(expression);
        assertThat(m.find()).isTrue();
        String node = m.group(1);
        // the positional arguments: names of values, or numeric constants (a pool's window); then the keywords
        List<String> names = new ArrayList<>();
        List<Double> constants = new ArrayList<>();
        Map<String, Object> keywords = new LinkedHashMap<>();
        for (String arg : m.group(3).split(",\\s*")) {
            if (arg.contains("=")) {
                String[] kv = arg.split("=");
                keywords.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
            } else {
                names.add(arg);
                constants.add(values.has(arg) ? null : Double.parseDouble(arg));
            }
        }
        Op op = Ops.build(new Ops.Call(m.group(2), constants, keywords));
        Tensor[] in = new Tensor[names.size()];
        for (int k = 0; k < in.length; k++) {
            in[k] = constants.get(k) != null ? Tensor.scalar(constants.get(k)) : tensor(values.get(names.get(k)));
        }
        assertThat(op.arity()).isEqualTo(in.length);
        assertThat(op.shapeError(in, names.toArray(String[]::new))).isNull();
        Tensor out = op.forward(in);
        assertClose(file + " forward " + node, out, tensor(response.get("forward").get(node)));
        Tensor upstream = tensor(response.get("gradients").get(node));
        for (int k = 0; k < in.length; k++) {
            String name = names.get(k);
            if (op.isIndex(k)) {
                assertThat(response.get("gradients").has(name)).as("%s: label %s has no gradient", file, name).isFalse();
                continue;
            }
            if (constants.get(k) != null) {
                assertThat(op.carriesGradient(k)).as("%s: the constant %s carries no gradient", file, name).isFalse();
                continue;
            }
            // the golden gradient is this op's alone when no other statement reads the operand
            assertThat(expression.replace(m.group(), "")).as("%s: %s is read only by %s", file, name, node)
                    .doesNotContainPattern("\\b" + name + "\\b");
            assertClose(file + " gradient " + name, op.backward(k, in, out, upstream), tensor(response.get("gradients").get(name)));
        }
    }

    private static void assertClose(String what, Tensor actual, Tensor expected) {
        assertThat(actual.shape()).as(what).containsExactly(expected.shape());
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.get(i);
            assertThat(Math.abs(actual.get(i) - e)).as("%s entry %d: %s against %s", what, i, actual.get(i), e)
                    .isLessThanOrEqualTo(Golden.ATOL + Golden.RTOL * Math.abs(e));
        }
    }

    /** A nested JSON array (or a number) as a tensor. */
    static Tensor tensor(JsonNode node) {
        List<Integer> shape = new ArrayList<>();
        for (JsonNode n = node; n.isArray(); n = n.get(0)) {
            shape.add(n.size());
        }
        List<Double> flat = new ArrayList<>();
        flatten(node, flat);
        return Tensor.of(shape.stream().mapToInt(Integer::intValue).toArray(), flat.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static void flatten(JsonNode node, List<Double> into) {
        if (node.isArray()) {
            for (JsonNode n : node) {
                flatten(n, into);
            }
        } else {
            into.add(node.asDouble());
        }
    }

}
