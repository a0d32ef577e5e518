package dev.chainrule.network;

import dev.chainrule.engine.Formula;
import java.util.Set;

/** J = s, the network's one number: ∂J/∂s = 1. The loss of a network ending in a score layer when none is given. */
public record ScoreLoss() implements Loss {

    @Override public String wireName() { return "score"; }
    @Override public Loss select(int[] chosen) { return this; }
    @Override public double value(double[] out, int k, double sc) { return out[0]; }
    @Override public void gradient(double[] out, int k, double sc, double[] g) { g[0] = 1.0; }
    @Override public Formula formula(String out) { return new Formula.Sym(out); }
    @Override public Formula gradient(String out) { return new Formula.Tex("1", "1"); }

    /** {@code {"type": "score"}}. */
    public static final class Kind implements Loss.Kind {
        @Override public String type() { return "score"; }
        @Override public Set<String> fields() { return Set.of("type"); }
        @Override public boolean scalarOutput() { return true; }
        @Override public boolean needsExamples() { return false; }
        @Override public Loss read(Field loss, Context context) { return new ScoreLoss(); }
    }
}
