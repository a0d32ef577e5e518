package dev.chainrule.engine;

import java.util.ArrayList;
import java.util.List;

/** Text the layer and loss ops share: a call written with its keyword arguments, and a message naming the function. */
final class OpText {

    private OpText() {
    }

    /** {@code f(a, b, key=value, …)}, keywords written as the reductions write {@code axis=1}. */
    static Formula call(String function, List<Formula> args, String... keywords) {
        List<Formula> all = new ArrayList<>(args);
        for (int i = 0; i + 1 < keywords.length; i += 2) {
            all.add(new Formula.Words(keywords[i] + "=" + keywords[i + 1]));
        }
        return new Formula.Call(function, all);
    }

    /** {@code conv2d: why}. */
    static String fail(String function, String why) {
        return function + ": " + why;
    }
}
