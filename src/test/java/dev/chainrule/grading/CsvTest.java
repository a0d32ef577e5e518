package dev.chainrule.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CSV cells for a gradebook: quoted per RFC 4180, and never run as a spreadsheet formula. */
class CsvTest {

    @Test
    void quotesCommasQuotesAndLineBreaks() {
        assertEquals("plain", Csv.field("plain"));
        assertEquals("\"a,b\"", Csv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.field("say \"hi\""));
        assertEquals("\"two\nlines\"", Csv.field("two\nlines"));
    }

    /** OWASP's CSV-injection cases: each would be read as a formula by a spreadsheet's import, and is defused. */
    @ParameterizedTest
    @ValueSource(strings = {"=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\n=1+1", "\u0000=1+1", "\u001f=1", "\u007f=1",
            "\u0085=1", " =1+1", "   @x", " \t=1", "\u00a0=1+1", "\u3000-1", "＝1+1", "＋1", "－1", "＠x", "\u0000", " \n"})
    void everyCellThatCouldBeReadAsAFormulaGetsAnApostrophe(String value) {
        assertEquals("'" + value, Csv.text(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "s-1", "a=b", "1.5", "'=1", " alice", "   ", "ä@x", "x\u0000"})
    void otherCellsAreLeftAsTheyAre(String value) {
        assertEquals(value, Csv.text(value));
    }

    /** Both views of a batch: a student id and an answer name of each kind, written defused, quoted where needed. */
    @Test
    void bothViewsDefuseIdsNamesAndFeedback() {
        GradeResult unknown = new GradeResult(false, Diagnosis.UNKNOWN_NAME, "-x is not a name", null, 0, null);
        GradeBatchResponse.SubmissionGrade s = GradeBatchResponse.SubmissionGrade.of("\u0000=1+1", null,
                Grade.of(new java.util.LinkedHashMap<>(java.util.Map.of(" @SUM(A1)", unknown))));
        String answers = Csv.of(List.of(s), Csv.View.ANSWERS);
        assertEquals(Csv.HEADER + "\r\n'\u0000=1+1,' @SUM(A1),false,unknown_name,0,'-x is not a name,0,1\r\n", answers);
        String students = Csv.of(List.of(s), Csv.View.STUDENTS);
        assertEquals(Csv.STUDENTS_HEADER + "\r\n'\u0000=1+1,0,0,1,0,1\r\n", students);
    }

    @Test
    void userTextThatWouldRunAsAFormulaIsDefused() {
        assertEquals("'=HYPERLINK(\"x\")", Csv.text("=HYPERLINK(\"x\")"));
        assertEquals("'+1", Csv.text("+1"));
        assertEquals("'-2", Csv.text("-2"));
        assertEquals("'@SUM(A1)", Csv.text("@SUM(A1)"));
        assertEquals("alice", Csv.text("alice"));
        assertEquals("", Csv.text(""));
    }
}
