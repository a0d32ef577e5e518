package dev.chainrule.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** CSV cells for a gradebook: quoted per RFC 4180, and never run as a spreadsheet formula. */
class CsvTest {

    @Test
    void quotesCommasQuotesAndLineBreaks() {
        assertEquals("plain", Csv.field("plain"));
        assertEquals("\"a,b\"", Csv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.field("say \"hi\""));
        assertEquals("\"two\nlines\"", Csv.field("two\nlines"));
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
