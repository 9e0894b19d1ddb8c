package io.dcx.hub.voice;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.VoiceTestBase;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * REQ-COM-4: the campaign's recording default and consent source, the restricted buyer's override (also when the
 * call fails over to that buyer), and the consent source stored on every call.
 */
class RecordingConsentTest extends VoiceTestBase {

    @Test
    void aRecordedCallCarriesItsCampaignsConsentSource() {
        String[] c = campaign("\"recording_default_enabled\":true,\"recording_consent_source\":\"AGENT_VERBAL\"");
        buyer(c[0], 1, null, null);
        String sid = callSid();
        assertThat(twilio("/twilio/voice", inbound(sid, newE164(), c[1])).body()).contains("record=\"record-from-answer-dual\"");
        assertThat(session(sid).get("recording_enabled")).isEqualTo(true);
        assertThat(session(sid).get("recording_consent_source")).isEqualTo("AGENT_VERBAL");

        String[] quiet = campaign(null);
        assertThat(get("/api/campaigns/" + quiet[0]).text("recording_consent_source")).isEqualTo("IMPLICIT_IVR");
        buyer(quiet[0], 1, null, null);
        String unrecorded = callSid();
        assertThat(twilio("/twilio/voice", inbound(unrecorded, newE164(), quiet[1])).body()).doesNotContain("record=");
        assertThat(session(unrecorded).get("recording_consent_source")).isEqualTo("NONE");

        assertThat(patch("/api/campaigns/" + c[0], "{\"recording_consent_source\":\"MAYBE\"}").status()).isEqualTo(400);
    }

    @Test
    void failingOverToARestrictedBuyerStopsRecording() {
        String[] c = campaign("\"recording_default_enabled\":true");
        buyer(c[0], 1, null, null);
        buyer(c[0], 2, "\"recording_enabled\":false", null);
        String sid = callSid();
        String first = twilio("/twilio/voice", inbound(sid, newE164(), c[1])).body();
        assertThat(first).contains("record=\"record-from-answer-dual\"");
        assertThat(session(sid).get("recording_consent_source")).isEqualTo("IMPLICIT_IVR");

        Map<String, String> busy = new LinkedHashMap<>();
        busy.put("AccountSid", "AC00000000000000000000000000000000");
        busy.put("CallSid", sid);
        busy.put("CallStatus", "in-progress");
        busy.put("DialCallStatus", "busy");
        busy.put("DialCallSid", callSid());
        busy.put("DialCallDuration", "0");
        String second = twilio(pathOf(attribute(first, "action")), busy).body();
        assertThat(second).contains("<Dial").doesNotContain("record=");
        assertThat(session(sid).get("recording_enabled")).isEqualTo(false);
        assertThat(session(sid).get("recording_consent_source")).isEqualTo("NONE");
    }
}
