package dev.chainrule.system;

import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Tensor;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.SerializationContext;
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
        return new ComputeGate(limits.maxConcurrent(), limits.maxQueued());
    }

    /** A key given twice is an error, not a silent overwrite. */
    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /** Tensors as JSON numbers and nested arrays, by their shape. */
    @Bean
    SimpleModule tensorModule() {
        SimpleModule module = new SimpleModule("chainrule-tensor");
        module.addSerializer(Tensor.class, new TensorSerializer());
        return module;
    }

    static final class TensorSerializer extends StdSerializer<Tensor> {

        TensorSerializer() {
            super(Tensor.class);
        }

        @Override
        public void serialize(Tensor value, JsonGenerator gen, SerializationContext ctxt) {
            int[] shape = value.shape();
            if (shape.length == 0) {
                gen.writeNumber(value.get(0));
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
                    gen.writeNumber(value.get(at++));
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
