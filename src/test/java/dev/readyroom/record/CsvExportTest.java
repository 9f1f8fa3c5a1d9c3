package dev.readyroom.record;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** OWASP's CSV injection rules, cell by cell. */
class CsvExportTest {

    @Test
    void everyCellASpreadsheetWouldTakeForAFormulaIsMadeText() {
        assertThat(CsvExport.field("-2+3+cmd|' /C calc'!A0")).isEqualTo("'-2+3+cmd|' /C calc'!A0");
        assertThat(CsvExport.field("=SUM(A1)")).isEqualTo("'=SUM(A1)");
        assertThat(CsvExport.field("+1")).isEqualTo("'+1");
        assertThat(CsvExport.field("@SUM(1)")).isEqualTo("'@SUM(1)");
        assertThat(CsvExport.field("\t=1")).isEqualTo("'\t=1");
        assertThat(CsvExport.field("\r=1")).isEqualTo("\"'\r=1\"");
        assertThat(CsvExport.field("  =1+1")).isEqualTo("'  =1+1");
        assertThat(CsvExport.field("\uFF1D1+1")).isEqualTo("'\uFF1D1+1");
    }

    @Test
    void ordinaryCellsStayAsTheyAreOrQuoted() {
        assertThat(CsvExport.field("Login page")).isEqualTo("Login page");
        assertThat(CsvExport.field("8")).isEqualTo("8");
        assertThat(CsvExport.field("a, b")).isEqualTo("\"a, b\"");
        assertThat(CsvExport.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvExport.field("")).isEmpty();
    }
}
