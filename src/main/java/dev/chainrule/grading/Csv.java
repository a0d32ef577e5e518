package dev.chainrule.grading;

import java.util.List;

/**
 * A batch's grades as RFC 4180 CSV for a gradebook: header {@code id,name,correct,diagnosis,score,feedback}, then
 * one row per submission and answer in the request's order; CRLF line ends, fields quoted where needed.
 */
final class Csv {

    static final String HEADER = "id,name,correct,diagnosis,score,feedback";

    private Csv() {
    }

    static String of(List<GradeBatchResponse.SubmissionGrade> submissions) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (GradeBatchResponse.SubmissionGrade s : submissions) {
            s.results().forEach((name, r) -> out.append(field(text(s.id()))).append(',')
                    .append(field(text(name))).append(',')
                    .append(r.correct()).append(',')
                    .append(r.diagnosis().code()).append(',')
                    .append(score(r.score())).append(',')
                    .append(field(r.feedback() == null ? "" : r.feedback())).append("\r\n"));
        }
        return out.toString();
    }

    /**
     * Text typed by users (ids, answer names), defused for spreadsheets: a cell that starts with = + - @ or a tab
     * would be run as a formula by Excel or Sheets, so it gets a leading apostrophe (OWASP's CSV-injection advice).
     */
    static String text(String value) {
        return !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    /** A field, quoted (with quotes doubled) when it holds a comma, a quote or a line break. */
    static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /** 1 and 0 as integers, other scores as Java writes doubles (0.5). */
    static String score(double score) {
        return score == Math.rint(score) ? Long.toString((long) score) : Double.toString(score);
    }
}
