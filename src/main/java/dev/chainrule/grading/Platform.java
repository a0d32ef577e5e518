package dev.chainrule.grading;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.chainrule.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A grade in an autograder platform's own results format ({@code ?format=gradescope} or {@code ?format=prairielearn}).
 * One test per result, in the grade's order: with questions, each question's points out of its maximum (an answer
 * no question asks for is a test worth 0 of 0); without, each answer's credit out of 1. A test's text is the
 * diagnosis code and the feedback, never an expected value unless reveal was asked (then {@code Expected: …}).
 */
enum Platform {
    GRADESCOPE("gradescope"), PRAIRIELEARN("prairielearn");

    final String wireName;

    Platform(String wireName) {
        this.wireName = wireName;
    }

    static Platform fromWireName(String name) {
        for (Platform p : values()) {
            if (p.wireName.equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** Gradescope's results.json: the total points, a summary and one test per result. */
    record GradescopeResults(double score, String output, List<GradescopeTest> tests) {
    }

    /** One Gradescope test case; {@code status} is {@code passed} or {@code failed}. */
    record GradescopeTest(String name, double score, @JsonProperty("max_score") double maxScore, String output, String status) {
    }

    /** PrairieLearn's external-grader results: {@code score} in [0, 1], a message and one test per result. */
    record PrairieLearnResults(boolean gradable, double score, String message, List<PrairieLearnTest> tests) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PrairieLearnTest(String name, double points, @JsonProperty("max_points") double maxPoints, String message) {
    }

    /**
     * The grade in this platform's format; {@code json} writes a revealed expected value as JSON.
     */
    Object results(Grade grade, Function<Tensor, String> json) {
        String summary = summary(grade);
        if (this == GRADESCOPE) {
            List<GradescopeTest> tests = new ArrayList<>();
            grade.results().forEach((name, r) -> tests.add(new GradescopeTest(name, points(r), maxPoints(r), text(r, json),
                    r.correct() ? "passed" : "failed")));
            return new GradescopeResults(grade.points(), summary, tests);
        }
        List<PrairieLearnTest> tests = new ArrayList<>();
        grade.results().forEach((name, r) -> tests.add(new PrairieLearnTest(name, points(r), maxPoints(r), text(r, json))));
        return new PrairieLearnResults(true, grade.score(), summary, tests);
    }

    private static double points(GradeResult r) {
        return r.asked() == null ? r.score() : r.asked() ? r.points() : 0;
    }

    private static double maxPoints(GradeResult r) {
        return r.asked() == null ? 1 : r.asked() ? r.maxPoints() : 0;
    }

    /** "sign: Every entry has the wrong sign." — and, with reveal, the expected value on a line of its own. */
    private static String text(GradeResult r, Function<Tensor, String> json) {
        StringBuilder out = new StringBuilder();
        if (Boolean.FALSE.equals(r.asked())) {
            out.append("Not asked, not scored. ");
        }
        out.append(r.diagnosis().code());
        if (r.feedback() != null) {
            out.append(": ").append(r.feedback());
        }
        if (r.expected() != null) {
            out.append("\nExpected: ").append(json.apply(r.expected()));
        }
        return out.toString();
    }

    /** "2.5 of 4 points; 2 of 3 correct." */
    static String summary(Grade grade) {
        return number(grade.points()) + " of " + number(grade.maxPoints()) + " points; " + grade.correct() + " of " + grade.total()
                + " correct.";
    }

    /** A number as people write a score: 2, 2.5, 0.667 (three decimals at most). */
    static String number(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return new java.math.BigDecimal(v).setScale(3, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString()
                .toLowerCase(Locale.ROOT);
    }
}
