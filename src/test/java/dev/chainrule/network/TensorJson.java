package dev.chainrule.network;

import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tensors as plain nested lists, so a test can compare them as JSON without the web layer. */
final class TensorJson {

    private TensorJson() {
    }

    static Map<String, Object> toPlain(Gradients g) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("forward", plain(g.forward()));
        out.put("gradients", plain(g.gradients()));
        return out;
    }

    static Map<String, Object> plain(Map<String, Tensor> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, plain(v)));
        return out;
    }

    static Object plain(Tensor t) {
        return plain(t, t.shape(), 0, new int[] {0});
    }

    private static Object plain(Tensor t, int[] shape, int axis, int[] at) {
        if (axis == shape.length) {
            return t.get(at[0]++);
        }
        List<Object> list = new ArrayList<>(shape[axis]);
        for (int i = 0; i < shape[axis]; i++) {
            list.add(plain(t, shape, axis + 1, at));
        }
        return list;
    }
}
