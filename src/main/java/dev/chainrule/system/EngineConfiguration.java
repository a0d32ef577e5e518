package dev.chainrule.system;

import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.NonFiniteException;
import dev.chainrule.network.Tensor;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Configuration;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.json.UTF8JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/** The plain-Java engine and reader as beans, and how JSON is read and written. */
@Configuration(proxyBeanMethods = false)
public class EngineConfiguration {

    @Bean
    GradientEngine gradientEngine() {
        return new GradientEngine();
    }

    @Bean
    ProblemReader problemReader(Limits limits) {
        return new ProblemReader(limits);
    }

    @Bean
    ComputeGate computeGate(Limits limits) {
        return new ComputeGate(limits.maxConcurrent(), limits.maxQueued(), limits.deadline(), limits.lightWork());
    }

    /** Bodies read without a thread, before anything else of the application sees the request. */
    @Bean
    FilterRegistrationBean<BodyReadFilter> bodyReadFilter(Limits limits,
            @Value("${server.tomcat.connection-timeout:5s}") Duration idle) {
        FilterRegistrationBean<BodyReadFilter> bean = new FilterRegistrationBean<>(new BodyReadFilter(limits.maxBodyBytes(),
                idle.toMillis(), limits.bodyMinRate(), limits.requestMemory()));
        bean.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        bean.setAsyncSupported(true);
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return bean;
    }

    /** Every computing endpoint answers through it: cost checked, computed and written inside the gate. */
    @Bean
    Answers answers(ComputeGate gate, Limits limits, JsonMapper json) {
        return new Answers(gate, limits, json);
    }

    /**
     * A key given twice is an error, not a silent overwrite; doubles are written with Jackson's Schubfach writer
     * (shortest exact text, several times faster than Java 17's Double.toString on the answers' many numbers).
     */
    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);
    }

    /**
     * Tensors as JSON numbers and nested arrays, by their shape; request trees with their arrays of numbers held
     * compactly ({@link CompactTreeDeserializer}).
     */
    @Bean
    public SimpleModule tensorModule() {
        SimpleModule module = new SimpleModule("chainrule-tensor");
        module.addSerializer(Tensor.class, new TensorSerializer());
        module.addDeserializer(JsonNode.class, new CompactTreeDeserializer());
        FiniteDoubleSerializer finite = new FiniteDoubleSerializer();
        module.addSerializer(Double.class, finite);
        module.addSerializer(Double.TYPE, finite);
        module.addSerializer(double[].class, new FiniteDoublesSerializer());
        return module;
    }

    /**
     * Never a non-finite number in an answer: whatever option produced it, writing one stops the answer with a 422
     * naming where it is ({@code updated.W}, {@code loss_curve}), so an answer built inside the gate is refused
     * before a byte of it is sent.
     */
    static double finite(double v, JsonGenerator gen) {
        if (!Double.isFinite(v)) {
            String path = MalformedJson.pathOf(gen.streamWriteContext()).replaceAll("(\\[\\d+\\])+$", "");
            throw new NonFiniteException(path.isEmpty() ? "answer" : path);
        }
        return v;
    }

    static final class FiniteDoubleSerializer extends StdSerializer<Double> {
        FiniteDoubleSerializer() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeNumber(finite(value, gen));
        }
    }

    static final class FiniteDoublesSerializer extends StdSerializer<double[]> {
        FiniteDoublesSerializer() {
            super(double[].class);
        }

        @Override
        public void serialize(double[] value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeStartArray(value, value.length);
            for (double v : value) {
                gen.writeNumber(finite(v, gen));
            }
            gen.writeEndArray();
        }
    }

    /**
     * Writes a tensor as nested JSON arrays. On the byte-stream generator that answers HTTP requests, the numbers
     * of each innermost row are laid out by {@link DoubleText} straight into a byte buffer and handed to the
     * generator as raw chunks: no {@code String} per double (a large answer holds half a million of them). Any
     * other generator (a tree, a {@code Writer}, pretty printing, numbers as strings) gets Jackson's own
     * {@code writeNumber}. A non-finite entry stops the answer with {@link #finite}'s error, which names the field,
     * on either path.
     */
    static final class TensorSerializer extends StdSerializer<Tensor> {

        /** Bytes gathered before they are handed over: a few hundred numbers fit the generator's 8 kB buffer. */
        private static final int CHUNK = 1024;

        TensorSerializer() {
            super(Tensor.class);
        }

        @Override
        public void serialize(Tensor value, JsonGenerator gen, SerializationContext ctxt) {
            int[] shape = value.shape();
            if (shape.length == 0) {
                gen.writeNumber(finite(value.get(0), gen));
                return;
            }
            write(value, shape, 0, 0, gen, rawBytes(gen) ? new RawChunk(shape[shape.length - 1]) : null);
        }

        private static boolean rawBytes(JsonGenerator gen) {
            return gen instanceof UTF8JsonGenerator utf8 && gen.getPrettyPrinter() == null
                    && !utf8.isEnabled(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS);
        }

        /** Writes the block of {@code shape[axis..]} that starts at flat index {@code offset}. */
        private static int write(Tensor value, int[] shape, int axis, int offset, JsonGenerator gen, RawChunk raw) {
            int n = shape[axis];
            if (axis == shape.length - 1) {
                if (raw == null) {
                    gen.writeStartArray();
                    for (int i = 0; i < n; i++) {
                        gen.writeNumber(finite(value.get(offset + i), gen));
                    }
                    gen.writeEndArray();
                } else {
                    raw.row(value, offset, n, gen);
                }
                return offset + n;
            }
            gen.writeStartArray();
            int at = offset;
            for (int i = 0; i < n; i++) {
                at = write(value, shape, axis + 1, at, gen, raw);
            }
            gen.writeEndArray();
            return at;
        }

        /** One row's text, {@code [a,b,…]}, handed to the generator in chunks of about {@value #CHUNK} bytes. */
        private static final class RawChunk implements SerializableString {
            private final byte[] bytes;
            private int length;

            /** Room for a row of {@code n} numbers, or for a chunk of a longer one. */
            RawChunk(int n) {
                bytes = new byte[Math.min(CHUNK, n * (DoubleText.MAX_LENGTH + 1)) + DoubleText.MAX_LENGTH + 2];
            }

            void row(Tensor value, int offset, int n, JsonGenerator gen) {
                boolean first = true;
                int len = 0;
                bytes[len++] = '[';
                for (int i = 0; i < n; i++) {
                    if (len > CHUNK) {
                        emit(len, first, gen);
                        first = false;
                        len = 0;
                    }
                    if (i > 0) {
                        bytes[len++] = ',';
                    }
                    double v = value.get(offset + i);
                    if (!Double.isFinite(v)) {
                        finite(v, gen);                  // throws, naming the field
                    }
                    len = DoubleText.write(v, bytes, len);
                }
                bytes[len++] = ']';
                emit(len, first, gen);
            }

            private void emit(int len, boolean first, JsonGenerator gen) {
                length = len;
                if (first) {
                    gen.writeRawValue(this); // the separator before the row, as for any value
                } else {
                    gen.writeRaw(this);
                }
            }

            @Override
            public int appendUnquotedUTF8(byte[] buffer, int offset) {
                if (offset + length > buffer.length) {
                    return -1;
                }
                System.arraycopy(bytes, 0, buffer, offset, length);
                return length;
            }

            @Override
            public byte[] asUnquotedUTF8() {
                return Arrays.copyOf(bytes, length);
            }

            @Override
            public String getValue() {
                return new String(bytes, 0, length, StandardCharsets.US_ASCII);
            }

            @Override
            public int charLength() {
                return length;
            }

            @Override
            public int appendUnquoted(char[] buffer, int offset) {
                if (offset + length > buffer.length) {
                    return -1;
                }
                for (int i = 0; i < length; i++) {
                    buffer[offset + i] = (char) bytes[i];
                }
                return length;
            }

            @Override
            public int writeUnquotedUTF8(OutputStream out) throws IOException {
                out.write(bytes, 0, length);
                return length;
            }

            @Override
            public int putUnquotedUTF8(ByteBuffer buffer) {
                if (buffer.remaining() < length) {
                    return -1;
                }
                buffer.put(bytes, 0, length);
                return length;
            }

            // a number row is never a quoted string
            @Override
            public char[] asQuotedChars() {
                throw new UnsupportedOperationException();
            }

            @Override
            public byte[] asQuotedUTF8() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int appendQuotedUTF8(byte[] buffer, int offset) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int appendQuoted(char[] buffer, int offset) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int writeQuotedUTF8(OutputStream out) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int putQuotedUTF8(ByteBuffer buffer) {
                throw new UnsupportedOperationException();
            }
        }
    }
}
