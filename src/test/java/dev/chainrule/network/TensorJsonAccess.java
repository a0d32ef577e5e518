package dev.chainrule.network;

import java.util.Map;

/** {@link TensorJson} for tests of other packages. */
public final class TensorJsonAccess {

    private TensorJsonAccess() {
    }

    public static Map<String, Object> plain(Gradients g) {
        return TensorJson.toPlain(g);
    }
}
