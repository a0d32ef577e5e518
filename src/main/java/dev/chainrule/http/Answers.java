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
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * How every computing endpoint answers: the request's predicted {@link Cost} is checked against the limits (422),
 * then the computation <em>and the building of its answer</em> (rounding, LaTeX, text, JSON) run inside the compute
 * gate under one deadline, into a buffer bounded by {@code max-response-bytes}; only the finished bytes leave the
 * gate. So no answer is larger than the configured size, the memory for building answers is bounded by the slots,
 * and no number that is not finite is ever written (the JSON writer refuses it, naming where it is). A large answer
 * first reserves its predicted size in the {@link AnswerMemory} and holds it until it has been written to its client.
 */
public final class Answers {

    private final ComputeGate gate;
    private final Limits limits;
    private final JsonMapper json;
    private final AnswerMemory memory;

    Answers(ComputeGate gate, Limits limits, JsonMapper json, AnswerMemory memory) {
        this.gate = gate;
        this.limits = limits;
        this.json = json;
        this.memory = memory;
    }

    /**
     * A JSON answer.
     *
     * @param path   the request field a 422 names (e.g. {@code steps}); "" for the body
     * @param what   what the request asks, for a 422's message ("this request", "this training")
     * @param answer computes the answer object, checking the deadline between its ops
     */
    public ResponseEntity<Written> json(Cost cost, String path, String what, Function<Deadline, ?> answer) {
        return answer(cost, path, what, MediaType.APPLICATION_JSON, d -> {
            Object a = answer.apply(d);
            d.check();
            return write(a, cost);
        });
    }

    /** A text answer ({@code text/plain}, {@code text/csv}), in UTF-8. */
    public ResponseEntity<Written> text(Cost cost, String path, String what, MediaType type,
            Function<Deadline, String> answer) {
        return answer(cost, path, what, new MediaType(type, StandardCharsets.UTF_8), d -> {
            String a = answer.apply(d);
            d.check();
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > limits.maxResponseBytes()) {
                throw tooLarge(bytes.length);
            }
            return Written.of(bytes);
        });
    }

    /** Checks the cost, reserves the answer's memory, then computes and builds the answer in the gate. */
    private ResponseEntity<Written> answer(Cost cost, String path, String what, MediaType type,
            Function<Deadline, Written> build) {
        limits.check(cost, path, what);
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        AnswerMemory.Reservation held = reserve(cost, request);
        try {
            Timed<Written> body = gate.run(cost, clientGone(request), d -> timed(() -> build.apply(d)));
            held.fit(body.value().buffer().length);
            return ResponseEntity.ok().contentType(type).header(SERVER_TIMING, body.timing(cost)).body(body.value());
        } catch (RuntimeException | Error e) {
            held.release();
            throw e;
        }
    }

    /**
     * Reserves the predicted answer's bytes in the answer memory (waiting within the deadline), to be given back once
     * the request is over: its answer written to the client, or not. Outside a request (the warm-up) nothing waits
     * for a client, so nothing is reserved.
     */
    private AnswerMemory.Reservation reserve(Cost cost, RequestAttributes request) {
        if (request == null) {
            return AnswerMemory.Reservation.NONE;
        }
        AnswerMemory.Reservation held = memory.reserve(cost.answerBytes(), System.nanoTime() + gate.deadline().toNanos());
        if (held == AnswerMemory.Reservation.NONE) {
            return held;
        }
        request.registerDestructionCallback(AnswerMemory.class.getName() + "@" + System.identityHashCode(held),
                held::release, RequestAttributes.SCOPE_REQUEST);
        return held;
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
            // sized for the predicted answer: a large one is not copied over and over as the buffer doubles
            Bounded out = new Bounded(limits.maxResponseBytes(), cost.answerBytes());
            write(answer, out);
            Written written = out.written();
            // a prediction well over the answer (LaTeX's is up to 4× over) would hold that much while a slow client
            // reads: the answer's exact bytes, for a copy of them, hold less
            return written.buffer().length > 2L * written.length()
                    ? Written.of(Arrays.copyOf(written.buffer(), written.length())) : written;
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

    private void write(Object answer, Bounded out) {
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

    /** The current request's client, gone or not (never gone outside a servlet request). */
    private static BooleanSupplier clientGone(RequestAttributes attributes) {
        if (attributes instanceof ServletRequestAttributes servlet) {
            return ClientProbe.gone(servlet.getRequest());
        }
        return () -> false;
    }

    /** A buffer that refuses to grow past the answer limit: the prediction's safety net. */
    private final class Bounded extends ByteArrayOutputStream {
        private final long max;

        Bounded(long max, long predicted) {
            super((int) Math.max(8192, Math.min(predicted, Math.min(max, 64L * 1024 * 1024))));
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

        /** The bytes written, without a copy. */
        Written written() {
            return new Written(buf, count);
        }

        private void ensure(int more) {
            if ((long) count + more > max) {
                throw tooLarge((long) count + more);
            }
        }
    }
}
