package dev.chainrule.grading;

import java.util.List;

/**
 * A batch's grades as RFC 4180 CSV for a gradebook (CRLF line ends, fields quoted where needed), in two views:
 * <ul>
 * <li>{@code answers}: header {@code id,name,correct,diagnosis,score,feedback,points,max_points}, then one row per
 *     submission and result in the request's order (with questions, every question, a missing one as
 *     {@code missing}; an answer no question asks for has empty points);</li>
 * <li>{@code students}: header {@code id,score,points,max_points,correct,total}, one row per submission, a
 *     submission without answers included (0 of the maximum).</li>
 * </ul>
 */
final class Csv {

    static final String HEADER = "id,name,correct,diagnosis,score,feedback,points,max_points";
    static final String STUDENTS_HEADER = "id,score,points,max_points,correct,total";

    /** The two tables. */
    enum View {
        ANSWERS, STUDENTS;

        static View fromWireName(String name) {
            return switch (name) {
                case "answers" -> ANSWERS;
                case "students" -> STUDENTS;
                default -> null;
            };
        }
    }

    private Csv() {
    }

    static String of(List<GradeBatchResponse.SubmissionGrade> submissions, View view) {
        return view == View.STUDENTS ? students(submissions) : of(submissions);
    }

    static String of(List<GradeBatchResponse.SubmissionGrade> submissions) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (GradeBatchResponse.SubmissionGrade s : submissions) {
            s.results().forEach((name, r) -> out.append(field(text(s.id()))).append(',')
                    .append(field(text(name))).append(',')
                    .append(r.correct()).append(',')
                    .append(r.diagnosis().code()).append(',')
                    .append(score(r.score())).append(',')
                    .append(field(r.feedback() == null ? "" : text(r.feedback()))).append(',')
                    .append(r.asked() == null ? score(r.score()) : r.asked() ? score(r.points()) : "").append(',')
                    .append(r.asked() == null ? "1" : r.asked() ? score(r.maxPoints()) : "").append("\r\n"));
        }
        return out.toString();
    }

    static String students(List<GradeBatchResponse.SubmissionGrade> submissions) {
        StringBuilder out = new StringBuilder(STUDENTS_HEADER).append("\r\n");
        for (GradeBatchResponse.SubmissionGrade s : submissions) {
            out.append(field(text(s.id()))).append(',')
                    .append(score(s.score())).append(',')
                    .append(score(s.points())).append(',')
                    .append(score(s.maxPoints())).append(',')
                    .append(s.correct()).append(',')
                    .append(s.total()).append("\r\n");
        }
        return out.toString();
    }

    /**
     * A text cell (an id, an answer name, feedback quoting them), defused for spreadsheets per OWASP's CSV-injection
     * advice: a cell whose first character is {@code = + - @} (or their full-width forms), a tab, CR, LF, NUL or any
     * other control character, or is one of these after leading spaces (Calc and Excel can trim them on import),
     * would be read as a formula, so it gets a leading apostrophe, which spreadsheets take as "text follows".
     */
    static String text(String value) {
        int i = 0;
        while (i < value.length() && Character.isSpaceChar(value.charAt(i))) {
            i++;
        }
        return i < value.length() && startsFormula(value.charAt(i)) ? "'" + value : value;
    }

    private static boolean startsFormula(char c) {
        return "=+-@＝＋－＠".indexOf(c) >= 0 || Character.isISOControl(c);
    }

    /** A field, quoted (with quotes doubled) when it holds a comma, a quote or a line break. */
    static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /** Whole numbers as integers (1, 0, 3), others as Java writes doubles (0.5). */
    static String score(double score) {
        return score == Math.rint(score) ? Long.toString((long) score) : Double.toString(score);
    }
}
