package io.dcx.hub.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.privacy.PersonalData.Window;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What retention and erase requests scrub, and what reporting keeps. */
class PersonalDataTest {

    @Test
    void theConsumersNumberIsTheCallerOfAnInboundCallAndTheCalleeOfAnOutboundOne() {
        assertThat(PersonalData.consumerNumberColumn("INBOUND")).isEqualTo("from_number");
        assertThat(PersonalData.consumerNumberColumn("OUTBOUND")).isEqualTo("to_number");
        assertThat(PersonalData.consumerNumberScrub())
                .contains("from_number = CASE WHEN direction = 'OUTBOUND' THEN from_number END")
                .contains("to_number = CASE WHEN direction = 'OUTBOUND' THEN NULL ELSE to_number END");
    }

    @Test
    void noScrubTouchesWhatReportingNeeds() {
        for (PersonalData.Table table : List.of(PersonalData.CALL_SESSIONS, PersonalData.DIAL_ATTEMPTS, PersonalData.CALL_LOGS,
                PersonalData.DIALER_ATTEMPTS, PersonalData.LEADS, PersonalData.DIALER_CONTACTS)) {
            assertThat(table.columns().keySet()).doesNotContainAnyElementsOf(PersonalData.CALL_REPORTING_COLUMNS);
        }
        assertThat(PersonalData.CALL_SESSIONS.columns().keySet())
                .noneMatch(c -> c.endsWith("_cents") || c.endsWith("_id") || c.endsWith("_at") || c.contains("duration"));
    }

    @Test
    void eachWindowHasItsColumns() {
        assertThat(PersonalData.CALL_SESSIONS.columns(Window.TRANSCRIPT)).containsExactly("transcription_text", "summary", "analysis");
        assertThat(PersonalData.CALL_SESSIONS.columns(Window.CDR)).contains("provider_payload", "callee_name",
                "phone_number_encrypted", "phone_number_hash");
        assertThat(PersonalData.CALL_LOGS.columns(Window.RECORDING)).containsExactly("recording_url", "stereo_recording_url");
        assertThat(PersonalData.CALL_SESSIONS.nullAssignments(Window.TRANSCRIPT))
                .isEqualTo("transcription_text = NULL, summary = NULL, analysis = NULL");
        assertThat(PersonalData.CALL_SESSIONS.holdsData(Window.TRANSCRIPT))
                .isEqualTo("(transcription_text IS NOT NULL OR summary IS NOT NULL OR analysis IS NOT NULL)");
        assertThat(PersonalData.LEADS.columns().keySet()).contains("phone", "contact_name", "email")
                .doesNotContain("status", "consent", "timezone");
    }
}
