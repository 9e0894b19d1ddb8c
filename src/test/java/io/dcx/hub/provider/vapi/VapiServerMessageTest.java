package io.dcx.hub.provider.vapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading Vapi's server messages: current and older end-of-call-report shapes, tool-call shapes. */
class VapiServerMessageTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theCurrentEndOfCallReportShape() {
        VapiServerMessage m = VapiServerMessage.parse(json, """
                {"message":{"type":"end-of-call-report","endedReason":"customer-ended-call",
                 "startedAt":"2026-01-15T18:00:00.000Z","endedAt":"2026-01-15T18:01:03.400Z","cost":0.0845,
                 "analysis":{"summary":"Asked for pricing.","structuredData":{"booked":false},"successEvaluation":"false"},
                 "artifact":{"transcript":"AI: Hi\\nUser: Hello","recording":{"stereoUrl":"https://r/s.wav",
                   "mono":{"combinedUrl":"https://r/m.wav"}}},
                 "call":{"id":"c-1","assistantOverrides":{"metadata":{"dcx_lead_id":"L1","n":3}}}}}""");
        assertThat(m.type()).isEqualTo("end-of-call-report");
        assertThat(m.callId()).isEqualTo("c-1");
        assertThat(m.metadata()).containsEntry("dcx_lead_id", "L1").containsEntry("n", "3");
        VapiServerMessage.EndOfCallReport r = m.endOfCallReport();
        assertThat(r.endedReason()).isEqualTo("customer-ended-call");
        assertThat(r.transcript()).startsWith("AI: Hi");
        assertThat(r.recordingUrl()).isEqualTo("https://r/m.wav");
        assertThat(r.stereoRecordingUrl()).isEqualTo("https://r/s.wav");
        assertThat(r.summary()).isEqualTo("Asked for pricing.");
        assertThat(r.structuredData().path("booked").asBoolean(true)).isFalse();
        assertThat(r.successEvaluation()).isEqualTo("false");
        assertThat(r.durationSeconds()).as("from startedAt/endedAt").isEqualTo(63);
        assertThat(r.cost()).isEqualByComparingTo("0.0845");
        assertThat(r.startedAt()).isEqualTo(Instant.parse("2026-01-15T18:00:00Z"));
    }

    @Test
    void theOlderTopLevelFieldsAreReadToo() {
        VapiServerMessage.EndOfCallReport r = VapiServerMessage.parse(json, """
                {"message":{"type":"end-of-call-report","summary":"old","transcript":"t","recordingUrl":"https://r/1",
                 "stereoRecordingUrl":"https://r/2","durationSeconds":12.6,
                 "call":{"id":"c-2","endedReason":"voicemail"}}}""").endOfCallReport();
        assertThat(r.summary()).isEqualTo("old");
        assertThat(r.transcript()).isEqualTo("t");
        assertThat(r.recordingUrl()).isEqualTo("https://r/1");
        assertThat(r.stereoRecordingUrl()).isEqualTo("https://r/2");
        assertThat(r.durationSeconds()).isEqualTo(13);
        assertThat(r.endedReason()).as("from the call").isEqualTo("voicemail");
    }

    @Test
    void toolCallsInEveryShapeVapiHasUsed() {
        VapiServerMessage m = VapiServerMessage.parse(json, """
                {"message":{"type":"tool-calls","call":{"id":"c-3"},"toolCallList":[
                  {"id":"a","name":"check_availability","arguments":{"date":"2030-01-01"}},
                  {"id":"b","name":"check_availability","parameters":{"date":"2030-01-02"}},
                  {"id":"c","type":"function","function":{"name":"book_appointment","arguments":"{\\"start\\":\\"x\\"}"}},
                  {"id":"d","function":{"name":"book_appointment","arguments":"not json"}}]}}""");
        List<VapiServerMessage.ToolCall> calls = m.toolCalls(json);
        assertThat(calls).extracting(VapiServerMessage.ToolCall::id).containsExactly("a", "b", "c", "d");
        assertThat(calls.get(0).arguments().path("date").asText()).isEqualTo("2030-01-01");
        assertThat(calls.get(1).arguments().path("date").asText()).isEqualTo("2030-01-02");
        assertThat(calls.get(2).name()).isEqualTo("book_appointment");
        assertThat(calls.get(2).arguments().path("start").asText()).isEqualTo("x");
        assertThat(calls.get(3).arguments().isEmpty()).isTrue();
    }

    @Test
    void aBodyThatIsNotAServerMessageIsMalformed() {
        assertThatThrownBy(() -> VapiServerMessage.parse(json, "nope")).isInstanceOf(VapiServerMessage.Malformed.class);
        assertThatThrownBy(() -> VapiServerMessage.parse(json, "{\"type\":\"x\"}"))
                .isInstanceOf(VapiServerMessage.Malformed.class);
        assertThatThrownBy(() -> VapiServerMessage.parse(json, "{\"message\":{}}"))
                .isInstanceOf(VapiServerMessage.Malformed.class);
    }

    @Test
    void statusesMoveForwardOnly() {
        assertThat(VapiCallStatus.advances(null, "queued")).isTrue();
        assertThat(VapiCallStatus.advances("queued", "ringing")).isTrue();
        assertThat(VapiCallStatus.advances("in-progress", "ringing")).isFalse();
        assertThat(VapiCallStatus.advances("ended", "in-progress")).isFalse();
        assertThat(VapiCallStatus.advances("ringing", "not-found")).isFalse();
    }
}
