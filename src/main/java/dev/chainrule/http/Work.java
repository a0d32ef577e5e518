package dev.chainrule.http;

import dev.chainrule.budget.Cost;
import dev.chainrule.engine.Deadline;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;
import org.springframework.http.MediaType;

/**
 * A computation handed to the HTTP path, with its price: what every handler that computes returns instead of an
 * answer. The handler reads and checks the request, asks the cost model what answering will take, and returns the
 * computation as a function of the {@link Deadline} it must check; the HTTP path ({@link Answers}) then refuses it
 * (422) if the price is over the limits, runs it only in a compute slot under the deadline, stops it when its client
 * has gone, and writes its answer into a buffer bounded by {@code max-response-bytes}. A computation gets its
 * deadline from nowhere else, so it cannot run outside the gate; a {@code POST} handler that returns anything but
 * {@code Work} stops the service from starting ({@link GuardedEndpoints}).
 */
public final class Work {

    private final Cost cost;
    private final String path;
    private final String what;
    private final MediaType type;
    private final Function<Deadline, ?> answer;

    private Work(Cost cost, String path, String what, MediaType type, Function<Deadline, ?> answer) {
        this.cost = Objects.requireNonNull(cost, "cost");
        this.path = Objects.requireNonNull(path, "path");
        this.what = Objects.requireNonNull(what, "what");
        this.type = type;
        this.answer = Objects.requireNonNull(answer, "answer");
    }

    /**
     * Work whose answer is an object written as JSON.
     *
     * @param cost   what the cost model predicts answering takes (work and the answer's bytes)
     * @param path   the request field a 422 names (e.g. {@code steps}); "" for the body
     * @param what   what the request asks, for a 422's message ("this request", "this training")
     * @param answer computes the answer object, checking the deadline between its ops
     */
    public static Work json(Cost cost, String path, String what, Function<Deadline, ?> answer) {
        return new Work(cost, path, what, null, answer);
    }

    /** Work whose answer is text ({@code text/plain}, {@code text/csv}), written in UTF-8. */
    public static Work text(Cost cost, String path, String what, MediaType type, Function<Deadline, String> answer) {
        return new Work(cost, path, what, new MediaType(Objects.requireNonNull(type, "type"), StandardCharsets.UTF_8),
                answer);
    }

    Cost cost() {
        return cost;
    }

    String path() {
        return path;
    }

    String what() {
        return what;
    }

    /** The text answer's media type; null for JSON. */
    MediaType textType() {
        return type;
    }

    Object compute(Deadline deadline) {
        return answer.apply(deadline);
    }
}
