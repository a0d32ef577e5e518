package dev.chainrule.wire;

import dev.chainrule.errors.MalformedJson;
import dev.chainrule.engine.NonFiniteException;
import dev.chainrule.engine.Tensor;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.json.UTF8JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/** How JSON is read and written: strict reading, and tensors and doubles written fast and never non-finite. */
@Configuration(proxyBeanMethods = false)
public class WireConfiguration {

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
     * of each innermost row are laid out by {@link DoubleText} straight into the generator's output buffer (as raw
     * text, {@link RowText}): no {@code String} per double (a large answer holds 300,000 of them). Any
     * other generator (a tree, a {@code Writer}, pretty printing, numbers as strings) gets Jackson's own
     * {@code writeNumber}. A non-finite entry stops the answer with {@link #finite}'s error, which names the field,
     * on either path.
     */
    static final class TensorSerializer extends StdSerializer<Tensor> {

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
            write(value, shape, 0, 0, gen, rawBytes(gen) ? new RowText(gen) : null);
        }

        private static boolean rawBytes(JsonGenerator gen) {
            return gen instanceof UTF8JsonGenerator utf8 && gen.getPrettyPrinter() == null
                    && !utf8.isEnabled(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS);
        }

        /** Writes the block of {@code shape[axis..]} that starts at flat index {@code offset}. */
        private static int write(Tensor value, int[] shape, int axis, int offset, JsonGenerator gen, RowText raw) {
            int n = shape[axis];
            if (axis == shape.length - 1) {
                if (raw == null) {
                    gen.writeStartArray();
                    for (int i = 0; i < n; i++) {
                        gen.writeNumber(finite(value.get(offset + i), gen));
                    }
                    gen.writeEndArray();
                } else {
                    raw.row(value, offset, n);
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

        /**
         * One row's text, {@code [a,b,…]}, laid out by {@link DoubleText} straight into the generator's own output
         * buffer: each {@link #appendUnquotedUTF8} writes as many of the row's numbers as the buffer has room for
         * and remembers where it stopped, and the row is handed over again until it is closed. Only when the buffer
         * lacks room for one more number (about once per buffer-full) does the generator ask for a copy ({@link
         * #asUnquotedUTF8}), which then carries a single number, and flushes. Formatting into a chunk of our own and
         * copying it over would cost a second pass over the 5.5 MB of a large answer, and the chunks that did not fit
         * the buffer's rest would be copied once more.
         */
        private static final class RowText implements SerializableString {
            /** What one step writes at most: a bracket or comma, a number (its wide stores included), a bracket. */
            private static final int STEP = DoubleText.MAX_LENGTH + 2;

            private final JsonGenerator gen;
            private final byte[] spare = new byte[STEP];
            private Tensor value;
            private int start;
            private int next;
            private int end;
            private boolean opened;
            private boolean closed;

            RowText(JsonGenerator gen) {
                this.gen = gen;
            }

            void row(Tensor value, int offset, int n) {
                this.value = value;
                start = offset;
                next = offset;
                end = offset + n;
                opened = false;
                closed = false;
                gen.writeRawValue(this); // the separator before the row, as for any value
                while (!closed) {
                    gen.writeRaw(this);
                }
            }

            /** Writes the row on from {@code at} while a step still fits before {@code last}; the end. */
            private int steps(byte[] out, int at, int last) {
                int p = at;
                if (!opened) {
                    out[p++] = '[';
                    opened = true;
                }
                while (next < end && p <= last) {
                    if (next > start) {
                        out[p++] = ',';
                    }
                    p = DoubleText.write(finite(value.get(next++), gen), out, p);
                }
                if (next == end) {
                    out[p++] = ']';
                    closed = true;
                }
                return p;
            }

            @Override
            public int appendUnquotedUTF8(byte[] buffer, int offset) {
                int last = buffer.length - STEP;
                return offset > last ? -1 : steps(buffer, offset, last) - offset;
            }

            @Override
            public byte[] asUnquotedUTF8() {
                return Arrays.copyOf(spare, steps(spare, 0, 0));
            }

            // only UTF8JsonGenerator's writeRaw and writeRawValue are handed a row (rawBytes), and they call no more

            @Override
            public String getValue() {
                return "a row of numbers";
            }

            @Override
            public int charLength() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int appendUnquoted(char[] buffer, int offset) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int writeUnquotedUTF8(OutputStream out) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int putUnquotedUTF8(ByteBuffer buffer) {
                throw new UnsupportedOperationException();
            }

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
