package dev.chainrule.http;

import dev.chainrule.config.Limits;
import dev.chainrule.errors.LimitExceededException;
import dev.chainrule.budget.Cost;
import dev.chainrule.engine.Deadline;
import dev.chainrule.engine.NonFiniteException;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.web.context.request.ServletWebRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP path's one way to compute: a handler's {@link Work} has its predicted {@link dev.chainrule.budget.Cost}
 * checked against the limits (422), then the computation <em>and the building of its answer</em> (rounding, LaTeX,
 * text, JSON) run inside the compute gate under one deadline, into a buffer bounded by {@code max-response-bytes};
 * only the finished bytes leave the gate. So no answer is larger than the configured size, the memory for building
 * answers is bounded by the slots, and no number that is not finite is ever written (the JSON writer refuses it,
 * naming where it is). A large answer first reserves its predicted size in the {@link AnswerMemory} and holds it
 * until it has been written to its client.
 */
public final class Answers {

    private final ComputeGate gate;
    private final Limits limits;
    private final JsonMapper json;
    private final AnswerMemory memory;
    private final AnswerChunks chunks;

    Answers(ComputeGate gate, Limits limits, JsonMapper json, AnswerMemory memory, AnswerChunks chunks) {
        this.gate = gate;
        this.limits = limits;
        this.json = json;
        this.memory = memory;
        this.chunks = chunks;
    }

    /**
     * An answer ready to be written: its bytes, their media type, the {@code Server-Timing} value, and the answer
     * memory it holds until {@link #release()} (once it has been written, or has failed to be).
     */
    record Answered(Written body, MediaType type, String timing, AnswerMemory.Reservation held) {
        void release() {
            body.release();
            held.release();
        }
    }

    /**
     * Answers work with no client waiting on a connection (the JIT warm-up): the same cost check, gate, deadline and
     * bounded buffer; no answer memory is reserved, as nothing holds the answer once it is built.
     *
     * @return the answer's length in bytes
     */
    public int answerInProcess(Work work) {
        Answered answered = answer(work, null);
        answered.release();
        return answered.body().length();
    }

    /**
     * Checks the cost, reserves the answer's memory (held by the answer until it is released), then computes and
     * builds the answer in the gate, stopping once the request's client has gone.
     *
     * @param request the request answered; null outside one (nothing is then reserved)
     */
    Answered answer(Work work, ServletWebRequest request) {
        Cost cost = work.cost();
        limits.check(cost, work.path(), work.what());
        AnswerMemory.Reservation held = reserve(cost, request);
        try {
            Timed<Written> body = gate.run(cost, clientGone(request), d -> timed(() -> build(work, d)));
            held.fit(body.value().held());
            MediaType type = work.textType() == null ? MediaType.APPLICATION_JSON : work.textType();
            return new Answered(body.value(), type, body.timing(cost), held);
        } catch (RuntimeException | Error e) {
            held.release();
            throw e;
        }
    }

    /** Computes the answer and writes it, checking the deadline once more before writing. */
    private Written build(Work work, Deadline d) {
        Object answer = work.compute(d);
        d.check();
        if (work.textType() == null) {
            return write(answer, work.cost());
        }
        byte[] bytes = ((String) answer).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > limits.maxResponseBytes()) {
            throw tooLarge(bytes.length);
        }
        return Written.of(bytes);
    }

    /**
     * Reserves the predicted answer's bytes in the answer memory (waiting within the deadline). Outside a request
     * (the warm-up) nothing waits for a client, so nothing is reserved.
     */
    private AnswerMemory.Reservation reserve(Cost cost, ServletWebRequest request) {
        if (request == null) {
            return AnswerMemory.Reservation.NONE;
        }
        return memory.reserve(cost.answerBytes(), System.nanoTime() + gate.deadline().toNanos());
    }

    /**
     * {@code Server-Timing} (W3C): the computation's wall time, its CPU time, and the cost model's prediction in
     * work units (≈ ns), so a client, a load test or the calibration script sees prediction against measurement.
     */
    public static final String SERVER_TIMING = "Server-Timing";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private record Timed<T>(T value, long wallNanos, long cpuNanos) {
        String timing(Cost cost) {
            // as String.format("%.3f", nanos / 1e6) wrote it, without a Formatter per answer (measured: 3 % of the
            // service's CPU on the lecture example under load)
            StringBuilder text = new StringBuilder(96).append("compute;dur=");
            millis(text, wallNanos).append(", cpu;dur=");
            millis(text, cpuNanos).append(", cost;desc=\"predicted work units\";dur=");
            return millis(text, cost.work()).toString();
        }

        /** nanos / 10⁶ with three decimals. */
        private static StringBuilder millis(StringBuilder text, long nanos) {
            long micros = Math.round(nanos / 1e3);
            long fraction = micros % 1000;
            return text.append(micros / 1000).append('.').append(fraction < 100 ? fraction < 10 ? "00" : "0" : "")
                    .append(fraction);
        }
    }

    private static <T> Timed<T> timed(Supplier<T> work) {
        long wall = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        T value = work.get();
        return new Timed<>(value, System.nanoTime() - wall, THREADS.getCurrentThreadCpuTime() - cpu);
    }

    /** Answers predicted up to this size are written into a buffer the thread keeps, then copied out exactly. */
    private static final int REUSED = 64 * 1024;
    private final ThreadLocal<Bounded> reused = new ThreadLocal<>();

    private Written write(Object answer, Cost cost) {
        if (cost.answerBytes() > REUSED) {
            // in pieces kept from answer to answer: never copied as it grows, never more than a piece over its size
            AnswerChunks.Buffer out = chunks.buffer(limits.maxResponseBytes(), this::tooLarge);
            try {
                write(answer, out);
            } catch (RuntimeException | Error e) {
                out.discard();
                throw e;
            }
            return out.written();
        }
        // a small answer (most of them): the only allocation is the answer's exact bytes, not an 8 kB buffer and a
        // copy per request (measured: 14 % of the bytes a lecture-sized request allocated)
        Bounded out = reused.get();
        if (out == null) {
            out = new Bounded(limits.maxResponseBytes(), REUSED);
            reused.set(out);
        }
        out.reset();
        try {
            write(answer, out);
            return Written.of(out.toByteArray());
        } finally {
            if (out.capacity() > REUSED) {
                reused.remove(); // it grew past its prediction: not kept
            }
        }
    }

    private void write(Object answer, java.io.OutputStream out) {
        try {
            json.writeValue(out, answer);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof NonFiniteException nonFinite) {
                    throw nonFinite;
                }
                if (t instanceof LimitExceededException limit) {
                    throw limit;
                }
            }
            throw e;
        }
    }

    private LimitExceededException tooLarge(long bytes) {
        return new LimitExceededException("chainrule.limits.max-response-bytes", limits.maxResponseBytes(), bytes, "",
                "the answer has more than " + limits.maxResponseBytes() + " bytes (" + bytes + " so far), and that");
    }

    /** The request's client, gone or not (never gone outside a request). */
    private static BooleanSupplier clientGone(ServletWebRequest request) {
        return request == null ? () -> false : ClientProbe.gone(request.getRequest());
    }

    /** A buffer that refuses to grow past the answer limit: the prediction's safety net. */
    private final class Bounded extends ByteArrayOutputStream {
        private final long max;

        Bounded(long max, int size) {
            super(size);
            this.max = max;
        }

        @Override
        public void write(int b) {
            ensure(1);
            super.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            super.write(b, off, len);
        }

        int capacity() {
            return buf.length;
        }

        private void ensure(int more) {
            if ((long) count + more > max) {
                throw tooLarge((long) count + more);
            }
        }
    }
}
