package dev.chainrule.bench;

import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Gradients;
import dev.chainrule.wire.WireConfiguration;
import dev.chainrule.config.Limits;
import dev.chainrule.wire.RequestTree;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@code /v1/gradients} request without HTTP, as the service does it: body bytes → tree ({@link RequestTree}, else
 * the service's JSON configuration) → problem → gradients → the answer's JSON written to a stream (a socket's, in the service; here
 * one that only counts).
 */
final class WholeRequest {

    private final GradientEngine engine = new GradientEngine();
    private final ProblemReader reader = new ProblemReader(Limits.defaults());
    private final JsonMapper json = JsonMapper.builder().addModule(new WireConfiguration().tensorModule())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    ProblemReader.Request read(byte[] body) {
        return problem(tree(body));
    }

    /** As the service's converter reads {@code @RequestBody JsonNode}: the bytes directly when it can, else Jackson. */
    JsonNode tree(byte[] body) {
        return RequestTree.read(body, json);
    }

    ProblemReader.Request problem(JsonNode tree) {
        return reader.read(tree, "");
    }

    Gradients compute(ProblemReader.Request request) {
        return engine.compute(request.problem(), request.options().engineOptions());
    }

    /** The whole request; the answer's length in bytes. */
    long run(byte[] body) {
        return write(compute(read(body)));
    }

    /** The answer's JSON written to a stream that only counts; its length in bytes. */
    long write(Gradients g) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("forward", g.forward());
        answer.put("gradients", g.gradients());
        if (g.steps() != null) {
            answer.put("steps", g.steps());
        }
        Count out = new Count();
        json.writeValue(out, answer);
        return out.bytes;
    }

    /** Counts the bytes written to it. */
    private static final class Count extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
