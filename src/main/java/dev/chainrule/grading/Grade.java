package dev.chainrule.grading;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.chainrule.render.Numbers;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The grade of one set of answers: {@code points} of {@code maxPoints}, {@code score} their ratio (0 when the
 * maximum is 0), {@code correct} the number graded correct of {@code total} graded, {@code results} one per answer
 * key (and, with questions, per question), in order.
 */
record Grade(double score, int correct, int total, double points, @JsonProperty("max_points") double maxPoints,
        Map<String, GradeResult> results) {

    Grade {
        results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    /** The same grade with every revealed {@code expected} rounded as {@code ?digits} asks. */
    Grade round(Numbers numbers) {
        Map<String, GradeResult> rounded = new LinkedHashMap<>();
        results.forEach((name, r) -> rounded.put(name, r.round(numbers)));
        return new Grade(score, correct, total, points, maxPoints, rounded);
    }

    /** Without questions: every answer given is worth 1 point and scores its own credit; nothing can be missing. */
    static Grade of(Map<String, GradeResult> results) {
        double sum = 0;
        int correct = 0;
        for (GradeResult r : results.values()) {
            sum += r.score();
            correct += r.correct() ? 1 : 0;
        }
        return new Grade(results.isEmpty() ? 0 : Math.min(1.0, sum / results.size()), correct, results.size(), sum,
                results.size(), results);
    }
}
