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
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
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

    /** Tensors as JSON numbers and nested arrays, by their shape. */
    @Bean
    public SimpleModule tensorModule() {
        SimpleModule module = new SimpleModule("chainrule-tensor");
        module.addSerializer(Tensor.class, new TensorSerializer());
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
            write(value, shape, 0, 0, gen);
        }

        /** Writes the block of {@code shape[axis..]} that starts at flat index {@code offset}. */
        private static int write(Tensor value, int[] shape, int axis, int offset, JsonGenerator gen) {
            gen.writeStartArray();
            int at = offset;
            if (axis == shape.length - 1) {
                for (int i = 0; i < shape[axis]; i++) {
                    gen.writeNumber(finite(value.get(at++), gen));
                }
            } else {
                for (int i = 0; i < shape[axis]; i++) {
                    at = write(value, shape, axis + 1, at, gen);
                }
            }
            gen.writeEndArray();
            return at;
        }
    }
}
