package dev.chainrule.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chainrule.engine.NonFiniteException;
import dev.chainrule.engine.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tensor is written as Jackson writes the same numbers as nested arrays of doubles, byte for byte, whether its rows
 * are short or far longer than the generator's buffer (the rows are laid out straight into that buffer, a piece at a
 * time), and whichever generator writes it.
 */
class TensorSerializerTest {

    private static final JsonMapper TENSORS = JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .addModule(new WireConfiguration().tensorModule()).build();
    private static final JsonMapper PLAIN = JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    /** Gradient-like numbers: mostly small, some zeros, whole numbers, tiny and huge magnitudes, both signs. */
    private static double[] numbers(int n, SplittableRandom random) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (random.nextInt(12)) {
                case 0 -> 0.0;
                case 1 -> -0.0;
                case 2 -> random.nextInt(-1000, 1000);
                case 3 -> random.nextGaussian() * Math.pow(10, random.nextInt(-320, 300));
                case 4 -> Double.longBitsToDouble(random.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL);
                default -> random.nextGaussian() * Math.pow(10, random.nextInt(-9, 8));
            };
        }
        return v;
    }

    /** The same numbers as nested lists of doubles, for Jackson's own writer. */
    private static Object nested(int[] shape, int axis, double[] data, int[] at) {
        if (axis == shape.length) {
            return data[at[0]++];
        }
        List<Object> list = new ArrayList<>(shape[axis]);
        for (int i = 0; i < shape[axis]; i++) {
            list.add(nested(shape, axis + 1, data, at));
        }
        return list;
    }

    @Test
    void shortAndLongRowsAreWrittenAsJacksonWritesTheirNumbers() {
        SplittableRandom random = new SplittableRandom(78);
        int[][] shapes = {{}, {1}, {3}, {1, 1}, {2, 3}, {9000}, {1, 5000}, {7, 1100}, {3, 4, 700}, {40, 1}, {256, 256}};
        Map<String, Object> tensors = new LinkedHashMap<>();
        Map<String, Object> expected = new LinkedHashMap<>();
        for (int k = 0; k < shapes.length; k++) {
            int size = 1;
            for (int d : shapes[k]) {
                size *= d;
            }
            double[] data = numbers(size, random);
            tensors.put("t" + k, Tensor.of(shapes[k], data.clone()));
            expected.put("t" + k, nested(shapes[k], 0, data, new int[1]));
            // one after another in a list, with other values between them: every separator in its place
            tensors.put("list" + k, List.of(Tensor.of(shapes[k], data.clone()), 5, Tensor.of(shapes[k], data.clone())));
            expected.put("list" + k, List.of(nested(shapes[k], 0, data, new int[1]), 5,
                    nested(shapes[k], 0, data, new int[1])));
        }
        byte[] written = TENSORS.writeValueAsBytes(tensors);
        byte[] jackson = PLAIN.writeValueAsBytes(expected);
        assertThat(new String(written, StandardCharsets.US_ASCII)).isEqualTo(new String(jackson, StandardCharsets.UTF_8));
        // a Writer's generator writes number by number, the same text
        assertThat(TENSORS.writeValueAsString(tensors)).isEqualTo(PLAIN.writeValueAsString(expected));
    }

    @Test
    void aNonFiniteNumberDeepInALongRowStopsTheAnswerNamingTheField() {
        double[] data = numbers(3 * 4000, new SplittableRandom(9));
        data[2 * 4000 + 3500] = Double.NaN;
        Map<String, Object> answer = Map.of("gradients", Map.of("W1", Tensor.of(new int[] {3, 4000}, data)));
        assertThatThrownBy(() -> TENSORS.writeValueAsBytes(answer))
                .hasRootCauseInstanceOf(NonFiniteException.class)
                .rootCause().hasMessageContaining("gradients.W1");
    }
}
