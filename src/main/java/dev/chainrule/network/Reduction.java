package dev.chainrule.network;

/** How the per-example losses of a batch make J. */
public enum Reduction {
    /** J = (1/N) Σₖ Jₖ. */
    MEAN,
    /** J = Σₖ Jₖ. */
    SUM
}
