package io.dcx.hub.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.Csv;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lead CSV layout: header names and the check of one row. */
class LeadCsvTest {

    private static String column(String header) {
        return LeadCsv.LAYOUT.column(header).name();
    }

    private static LeadCsv.Checked check(Map<String, String> cells) {
        return LeadCsv.check(new LeadCsv.Values(cells));
    }

    @Test
    void headersAreMatchedLooselyAndUnknownColumnsIgnored() {
        assertThat(column("Contact Name")).isEqualTo("contact_name");
        assertThat(column("contactName")).isEqualTo("contact_name");
        assertThat(column("name")).isEqualTo("contact_name");
        assertThat(column("Phone Number")).isEqualTo("phone");
        assertThat(column("time_zone")).isEqualTo("timezone");
        assertThat(column("TZ")).isEqualTo("timezone");
        assertThat(LeadCsv.LAYOUT.column("notes")).isNull();
        try (Csv.Reader rows = Csv.read(new StringReader("name,notes,Phone\n Jane ,x,+15550100\n"), LeadCsv.LAYOUT, false)) {
            assertThat(rows.next().cells()).containsOnly(Map.entry("contact_name", "Jane"), Map.entry("phone", "+15550100"));
        }
    }

    @Test
    void aGoodRowGetsTheDefaults() {
        LeadCsv.Checked ok = check(Map.of("contact_name", "Jane", "phone", "+15551230000"));
        assertThat(ok.rejection()).isNull();
        assertThat(ok.lead().timezone()).isEqualTo("America/Los_Angeles");
        assertThat(ok.lead().consent()).isFalse();
        assertThat(check(Map.of("contact_name", "Jane", "phone", "+1 (555) 123-0000")).lead().phone())
                .isEqualTo("+15551230000");
        assertThat(check(Map.of("contact_name", "Jane", "phone", "+15551230000", "consent", "Yes",
                "consent_at", "2026-01-15T10:00:00-05:00")).lead().consent()).isTrue();
    }

    @Test
    void badRowsNameTheReasonAndTheColumn() {
        assertRejected(Map.of("contact_name", "Jane", "phone", "555-123-0000"), "INVALID_E164", "phone");
        assertRejected(Map.of("contact_name", "Jane", "phone", "15551230000"), "INVALID_E164", "phone");
        assertRejected(Map.of("contact_name", "Jane", "phone", "+0551230000"), "INVALID_E164", "phone");
        assertRejected(Map.of("contact_name", "Jane", "phone", "+15551230000", "timezone", "EST5"), "UNKNOWN_TIMEZONE",
                "timezone");
        assertRejected(Map.of("contact_name", "Jane", "phone", "+15551230000", "timezone", "+05:00"), "UNKNOWN_TIMEZONE",
                "timezone");
        assertRejected(Map.of("phone", "+15551230000"), "MISSING_FIELD", "contact_name");
        assertRejected(Map.of("contact_name", "Jane"), "MISSING_FIELD", "phone");
        assertRejected(Map.of("contact_name", "Jane", "phone", "+15551230000", "email", "jane"), "INVALID_EMAIL", "email");
        assertRejected(Map.of("contact_name", "Jane", "phone", "+15551230000", "consent", "perhaps"), "INVALID_VALUE",
                "consent");
        assertRejected(Map.of("contact_name", "J".repeat(201), "phone", "+15551230000"), "TOO_LONG", "contact_name");
    }

    private static void assertRejected(Map<String, String> cells, String code, String field) {
        LeadCsv.Checked checked = check(cells);
        assertThat(checked.lead()).isNull();
        assertThat(checked.rejection().code()).isEqualTo(code);
        assertThat(checked.rejection().field()).isEqualTo(field);
    }
}
