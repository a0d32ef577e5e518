package dev.chainrule.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Text the layer and loss ops share: a call written with its keyword arguments ({@code conv2d(x, w, stride=2)}),
 * a constant as people type it, and a shape error that names the function.
 */
final class OpText {

    private OpText() {
    }

    /** {@code f(a, b, key=value, …)}, each keyword given as {@code key} and its value in words. */
    static Formula call(String function, List<Formula> args, String... keywords) {
        List<Formula> all = new ArrayList<>(args);
        for (int i = 0; i + 1 < keywords.length; i += 2) {
            all.add(new Formula.Tex(keywords[i] + "=" + keywords[i + 1],
                    "\\mathrm{" + keywords[i] + "}=" + keywords[i + 1]));
        }
        return new Formula.Call(function, all);
    }

    /** {@code 2}, {@code 0.5}, {@code 0.00001}: a constant as it would be typed. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** {@code conv2d: why}. */
    static String fail(String function, String why) {
        return function + ": " + why;
    }

    /** {@code x is a 3-vector}, {@code W is a 3×5 matrix}, {@code x is 3×8×8}. */
    static String is(String label, Tensor t) {
        return t.rank() <= 2 ? Ops.is(label, t) : label + " is " + t.shapeText();
    }

    /** The words of a local Jacobian (or of a rule) as a formula. */
    static Formula words(String text) {
        return new Formula.Words(text);
    }
}
