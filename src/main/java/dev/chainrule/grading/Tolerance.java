package dev.chainrule.grading;

/**
 * When an answer's entry {@code a} counts as the expected {@code e}, in PrairieLearn's three modes.
 *
 * @param rtol   relative tolerance (absolute_relative only)
 * @param atol   absolute tolerance (absolute_relative only)
 * @param digits significant figures (sigfig) or digits after the point (decimals)
 */
record Tolerance(Mode mode, double rtol, double atol, int digits) {

    enum Mode {
        ABSOLUTE_RELATIVE("absolute_relative"), SIGFIG("sigfig"), DECIMALS("decimals");

        final String wireName;

        Mode(String wireName) {
            this.wireName = wireName;
        }

        static Mode fromWireName(String name) {
            for (Mode m : values()) {
                if (m.wireName.equals(name)) {
                    return m;
                }
            }
            return null;
        }
    }

    static final double DEFAULT_RTOL = 1e-2;
    static final double DEFAULT_ATOL = 1e-8;
    static final int DEFAULT_DIGITS = 2;
    static final Tolerance DEFAULT = new Tolerance(Mode.ABSOLUTE_RELATIVE, DEFAULT_RTOL, DEFAULT_ATOL, DEFAULT_DIGITS);

    /** True when {@code a} is close enough to {@code e}. */
    boolean within(double a, double e) {
        double diff = Math.abs(a - e);
        return switch (mode) {
            // |a − e| ≤ atol + rtol·|e|
            case ABSOLUTE_RELATIVE -> diff <= atol + rtol * Math.abs(e);
            // |a − e| < 0.51·10^(⌊log₁₀|e|⌋ − digits + 1), and < 0.51·10^(1 − digits) for e = 0
            case SIGFIG -> diff < 0.51 * Math.pow(10, (e == 0 ? 0 : Math.floor(Math.log10(Math.abs(e)))) - digits + 1);
            // |a − e| < 0.51·10^(−digits)
            case DECIMALS -> diff < 0.51 * Math.pow(10, -digits);
        };
    }
}
