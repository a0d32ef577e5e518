package dev.chainrule.gradients;

/** {@link Examples} for tests of other packages. */
public final class ExamplesAccess {

    public static final String RUNNING_EXAMPLE = Examples.RUNNING_EXAMPLE;

    private ExamplesAccess() {
    }
}
