package dev.chainrule.grading;

import dev.chainrule.gradients.Numbers;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The grade of one set of answers: {@code score} is the sum of the answers' scores over {@code total} (0 when
 * nothing was answered), {@code correct} the number graded correct, {@code results} one per answer key, in order.
 */
record Grade(double score, int correct, int total, Map<String, GradeResult> results) {

    Grade {
        results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    /** The same grade with every revealed {@code expected} rounded as {@code ?digits} asks. */
    Grade round(Numbers numbers) {
        Map<String, GradeResult> rounded = new LinkedHashMap<>();
        results.forEach((name, r) -> rounded.put(name, r.round(numbers)));
        return new Grade(score, correct, total, rounded);
    }

    static Grade of(Map<String, GradeResult> results) {
        double sum = 0;
        int correct = 0;
        for (GradeResult r : results.values()) {
            sum += r.score();
            correct += r.correct() ? 1 : 0;
        }
        return new Grade(results.isEmpty() ? 0 : Math.min(1.0, sum / results.size()), correct, results.size(), results);
    }
}
