package dev.chainrule.http;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On shutdown, before the web server's graceful shutdown waits for requests in flight: the compute gate starts
 * nothing new (503 with Retry-After, so a client or load balancer goes elsewhere) and what runs finishes within its
 * deadline ({@code chainrule.limits.deadline}, 5 s), well inside the grace period
 * ({@code spring.lifecycle.timeout-per-shutdown-phase}, 20 s): every request in flight gets an answer.
 */
@Component
class GateShutdown implements SmartLifecycle {

    private final ComputeGate gate;
    private volatile boolean running;

    GateShutdown(ComputeGate gate) {
        this.gate = gate;
    }

    /** Also on restart after a pause (a cached test context is paused between its uses, then started again). */
    @Override
    public void start() {
        gate.open();
        running = true;
    }

    @Override
    public void stop() {
        gate.shutDown();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first, before the web server's graceful shutdown. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }
}
