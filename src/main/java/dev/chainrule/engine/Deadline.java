package dev.chainrule.engine;

/**
 * When a computation must stop: the engine calls {@link #check()} between ops (layers, steps, evaluations,
 * training steps), and the check throws {@link Exceeded} once the computation's time is up or its client has gone.
 * Plain Java: the service passes in its own (a deadline per computation, see {@code http.ComputeGate}); tools and
 * tests pass {@link #NONE}.
 */
@FunctionalInterface
public interface Deadline {

    /** Never stops. */
    Deadline NONE = () -> {
    };

    /** @throws Exceeded when the computation must stop */
    void check();

    /** The computation was stopped before it finished. */
    final class Exceeded extends RuntimeException {

        /** Why it stopped. */
        public enum Reason {
            /** it ran past its time */
            TIME,
            /** its client closed the connection: nobody is waiting for the answer */
            CLIENT_GONE
        }

        private final Reason reason;
        private final long millis;

        public Exceeded(Reason reason, long millis) {
            super("stopped (" + reason + ") after " + millis + " ms", null, false, false);
            this.reason = reason;
            this.millis = millis;
        }

        public Reason reason() {
            return reason;
        }

        /** How long it had run. */
        public long millis() {
            return millis;
        }
    }
}
