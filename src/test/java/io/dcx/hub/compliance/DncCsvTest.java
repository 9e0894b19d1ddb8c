package io.dcx.hub.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcx.hub.support.Csv;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DNC CSV layout and the CSV rules it rests on. */
class DncCsvTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void rowsAreCheckedOneByOne() {
        DncCsv.Parsed p = DncCsv.parse("""
                \uFEFFSource,Phone_Number,reason,added_at,extra
                ,+15551230001,,,x
                consumer_request,+15551230002,"by mail, signed",2026-01-02T03:04:05Z,
                ,555-1234,,,
                API,+15551230003,,tomorrow,
                API,+15551230004,,2027-01-01T00:00:00Z,
                ,+15551230001,,,
                """, NOW);
        assertThat(p.entries()).extracting(DncCsv.Entry::phoneNumber).containsExactly("+15551230001", "+15551230002");
        assertThat(p.entries().get(0).source()).isEqualTo("IMPORT");
        assertThat(p.entries().get(1).source()).isEqualTo("CONSUMER_REQUEST");
        assertThat(p.entries().get(1).reason()).isEqualTo("by mail, signed");
        assertThat(p.entries().get(1).addedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(p.rejected()).extracting(DncCsv.Rejected::row).containsExactly(3, 4, 5);
        assertThat(p.rejected()).extracting(DncCsv.Rejected::field).containsExactly("phone_number", "added_at", "added_at");
        assertThat(p.duplicates()).isEqualTo(1);
    }

    @Test
    void aFileOfNumbersNeedsNoHeaderButAHeaderNeedsAPhoneNumberColumn() {
        assertThat(DncCsv.parse("+15551230001\r\n+15551230002", NOW).entries()).hasSize(2);
        assertThat(DncCsv.parse("", NOW).entries()).isEmpty();
        assertThatThrownBy(() -> DncCsv.parse("number\n+15551230001\n", NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void csvQuotesWhatNeedsQuotingAndDefusesFormulas() {
        assertThat(Csv.row(List.of("+15551230001", "a,b", "say \"hi\"", "=HYPERLINK(\"x\")", "-3", "@sum", "")))
                .isEqualTo("+15551230001,\"a,b\",\"say \"\"hi\"\"\",\"'=HYPERLINK(\"\"x\"\")\",-3,'@sum,\r\n");
        assertThat(Csv.row(java.util.Arrays.asList("x", null))).isEqualTo("x,\r\n");
        assertThat(Csv.parse("a,\"b\r\nc\",d\r\n\r\ne\n")).containsExactly(List.of("a", "b\r\nc", "d"), List.of("e"));
        assertThat(Csv.parse(Csv.row(List.of("a,b", "q\"q")))).containsExactly(List.of("a,b", "q\"q"));
    }
}
