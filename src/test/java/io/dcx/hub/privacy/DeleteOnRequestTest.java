package io.dcx.hub.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.PrivacyTestBase;
import io.dcx.hub.pii.PhoneNumberProtector;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Delete on request: one call's recording ({@code DELETE /api/calls/{id}/recording}) and everything about one person
 * ({@code POST /api/privacy/erase}), and nobody else's data.
 */
class DeleteOnRequestTest extends PrivacyTestBase {

    @org.springframework.beans.factory.annotation.Autowired
    PhoneNumberProtector protector;

    /** A person's footprint: a recorded inbound call, a lead and a Dialer v1 call to the lead. */
    private record Person(String number, RecordedCall inbound, String leadId, Map<String, Object> dial) {}

    private Person person() {
        String number = number("212");
        RecordedCall inbound = recordedCall(number);
        String lead = callableLead(number);
        Map<String, Object> dial = dialPlaced(lead, number);
        return new Person(number, inbound, lead, dial);
    }

    private Map<String, Object> lead(String id) {
        return jdbc.queryForMap("SELECT * FROM leads WHERE id = ?::uuid", id);
    }

    @Test
    void anEraseRequestRemovesThatPersonsDataAndNobodyElses() {
        Person a = person();
        Person b = person();
        post("/api/dnc", "{\"phone_number\":\"" + a.number() + "\",\"source\":\"CONSUMER_REQUEST\"}");
        UUID aDialCall = (UUID) a.dial().get("call_session_id");
        segment(a.inbound().id());
        segment(b.inbound().id());
        // one bid logged on A's call, one cached for A's number by a publisher ping, one on B's call
        bid(a.inbound().id(), null);
        bid(null, a.number());
        bid(b.inbound().id(), null);

        Reply r = post("/api/privacy/erase", "{\"phone_number\":\"" + a.number() + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode report = r.json();
        assertThat(report.path("complete").asBoolean()).isTrue();
        assertThat(report.path("erased").path("calls").asInt()).isEqualTo(2);
        assertThat(report.path("erased").path("recordings").asInt()).isEqualTo(1);
        assertThat(report.path("erased").path("transcripts").asInt()).isEqualTo(1);
        assertThat(report.path("erased").path("transcript_segments").asInt()).isEqualTo(1);
        assertThat(report.path("erased").path("rtb_bids").asInt()).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rtb_bids WHERE call_session_id = ?", Integer.class,
                b.inbound().id())).isEqualTo(1);
        assertThat(report.path("erased").path("leads").asInt()).isEqualTo(1);
        assertThat(report.path("erased").path("dial_attempts").asInt()).isEqualTo(1);
        assertThat(report.path("call_public_ids").toString()).contains(a.inbound().publicId())
                .doesNotContain(b.inbound().publicId());
        assertThat(report.path("retained").path("dnc").asBoolean()).isTrue();
        assertThat(report.path("erasure_id").asText()).isNotEmpty();

        // A's inbound call: recording gone from Twilio and storage, transcript gone, caller number gone, DID and money stay
        Map<String, Object> call = call(a.inbound().id());
        assertThat(twilioApi.recordingDeleted(a.inbound().recordingSid())).isTrue();
        assertThat(stored(a.inbound().recordingKey())).isFalse();
        assertThat(stored(a.inbound().transcriptKey())).isFalse();
        assertThat(transcriptRows(a.inbound().id())).isZero();
        assertThat(segmentRows(a.inbound().id())).isZero();
        assertThat(call.get("recording_url")).isNull();
        assertThat(call.get("from_number")).isNull();
        assertThat(call.get("provider_payload")).isNull();
        assertThat(call.get("transcription_text")).isNull();
        assertThat(call.get("summary")).isNull();
        assertThat(call.get("to_number")).isEqualTo(a.inbound().did());
        assertThat(call.get("pii_scrubbed_at")).isNotNull();
        // A's Dialer v1 call, attempt and lead
        assertThat(call(aDialCall).get("to_number")).isNull();
        assertThat(call(aDialCall).get("from_number")).isEqualTo(FROM);
        assertThat(jdbc.queryForObject("SELECT to_number FROM dial_attempts WHERE id = ?", String.class, a.dial().get("id"))).isNull();
        Map<String, Object> lead = lead(a.leadId());
        assertThat(lead.get("phone")).isNull();
        assertThat(lead.get("contact_name")).isNull();
        assertThat(lead.get("status")).isEqualTo("not_interested");
        assertThat(lead.get("status_reason")).isEqualTo("ERASED");
        // the DNC entry stays so A is not called again
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dnc_numbers WHERE phone_number = ?", Integer.class, a.number()))
                .isEqualTo(1);

        // B is untouched
        Map<String, Object> other = call(b.inbound().id());
        assertThat(other.get("from_number")).isEqualTo(b.number());
        assertThat(other.get("recording_url")).isNotNull();
        assertThat(other.get("transcription_text")).isNotNull();
        assertThat(stored(b.inbound().recordingKey())).isTrue();
        assertThat(stored(b.inbound().transcriptKey())).isTrue();
        assertThat(transcriptRows(b.inbound().id())).isEqualTo(1);
        assertThat(segmentRows(b.inbound().id())).isEqualTo(1);
        assertThat(twilioApi.recordingDeletes(b.inbound().recordingSid())).isZero();
        assertThat(lead(b.leadId()).get("phone")).isEqualTo(b.number());
        assertThat(jdbc.queryForObject("SELECT to_number FROM dial_attempts WHERE id = ?", String.class, b.dial().get("id")))
                .isEqualTo(b.number());
        assertThat(call((UUID) b.dial().get("call_session_id")).get("to_number")).isEqualTo(b.number());

        // the same request again erases nothing new
        JsonNode again = post("/api/privacy/erase", "{\"phone_number\":\"" + a.number() + "\"}").json();
        again.path("erased").fields().forEachRemaining(f -> assertThat(f.getValue().asInt()).as(f.getKey()).isZero());
        assertThat(again.path("complete").asBoolean()).isTrue();

        assertThat(post("/api/privacy/erase", "{\"phone_number\":\"555\"}").status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT report::text FROM privacy_erasures WHERE id = ?::uuid", String.class,
                report.path("erasure_id").asText())).doesNotContain(a.number());
    }

    @Test
    void userCallsWithAnEncryptedNumberAreFoundByItsLookupHash() {
        String number = number("917");
        String other = number("917");
        UUID mine = userCall(number);
        UUID theirs = userCall(other);

        JsonNode report = post("/api/privacy/erase", "{\"phone_number\":\"" + number + "\"}").json();
        assertThat(report.path("hashed_numbers_searched").asBoolean()).isTrue();
        assertThat(report.path("erased").path("calls").asInt()).isEqualTo(1);
        Map<String, Object> erased = call(mine);
        assertThat(erased.get("phone_number_hash")).isNull();
        assertThat(erased.get("phone_number_encrypted")).isNull();
        assertThat(erased.get("callee_name")).isNull();
        assertThat(erased.get("prompt")).isNull();
        assertThat(erased.get("transcription_text")).isNull();
        Map<String, Object> kept = call(theirs);
        assertThat(kept.get("phone_number_hash")).isEqualTo(protector.hash(other));
        assertThat(kept.get("callee_name")).isEqualTo("Jane Roe");
    }

    /** A user-scoped AI call as the CallCat flow stores it: the number only encrypted, with its lookup hash. */
    private UUID userCall(String number) {
        return jdbc.queryForObject("""
                INSERT INTO call_sessions (public_id, direction, provider, status, phone_number_encrypted, phone_number_hash,
                    callee_name, subject, prompt, transcription_text)
                VALUES (?, 'OUTBOUND', 'RETELL', 'COMPLETED', ?, ?, 'Jane Roe', 'Renewal', 'Call Jane about her renewal',
                    'Hi Jane')
                RETURNING id""", UUID.class, "call_u" + UUID.randomUUID().toString().replace("-", "").substring(0, 16),
                new byte[] {1, 2, 3}, protector.hash(number));
    }

    @Test
    void anEraseThatCannotDeleteARecordingLeavesTheCallForTheRepeatedRequest() {
        String number = number("646");
        RecordedCall c = recordedCall(number);
        twilioApi.failRecordingDeletes(c.recordingSid(), 500);
        try {
            JsonNode partial = post("/api/privacy/erase", "{\"phone_number\":\"" + number + "\"}").json();
            assertThat(partial.path("complete").asBoolean()).isFalse();
            assertThat(partial.path("failures").get(0).path("call_public_id").asText()).isEqualTo(c.publicId());
            assertThat(call(c.id()).get("from_number")).isEqualTo(number);
            assertThat(stored(c.recordingKey())).isTrue();
        } finally {
            twilioApi.acceptRecordingDeletes(c.recordingSid());
        }
        JsonNode done = post("/api/privacy/erase", "{\"phone_number\":\"" + number + "\"}").json();
        assertThat(done.path("complete").asBoolean()).isTrue();
        assertThat(done.path("erased").path("recordings").asInt()).isEqualTo(1);
        assertThat(call(c.id()).get("from_number")).isNull();
        assertThat(stored(c.recordingKey())).isFalse();
    }

    @Test
    void aCallsRecordingIsDeletedOnRequest() {
        RecordedCall c = recordedCall(newE164());
        RecordedCall other = recordedCall(newE164());
        twilioApi.failRecordingDeletes(c.recordingSid(), 503);
        try {
            Reply failed = send("DELETE", "/api/calls/" + c.publicId() + "/recording", null, adminToken());
            assertThat(failed.status()).isEqualTo(502);
            assertThat(failed.text("code")).isEqualTo("PROVIDER_ERROR");
            assertThat(stored(c.recordingKey())).isTrue();
        } finally {
            twilioApi.acceptRecordingDeletes(c.recordingSid());
        }

        Reply deleted = send("DELETE", "/api/calls/" + c.publicId() + "/recording", null, adminToken());
        assertThat(deleted.status()).isEqualTo(204);
        Map<String, Object> row = call(c.id());
        assertThat(twilioApi.recordingDeleted(c.recordingSid())).isTrue();
        assertThat(stored(c.recordingKey())).isFalse();
        assertThat(row.get("recording_url")).isNull();
        assertThat(row.get("recording_storage_key")).isNull();
        assertThat(row.get("recording_deleted_at")).isNotNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_ai_jobs WHERE call_session_id = ?", Integer.class, c.id())).isZero();
        assertThat(stored(other.recordingKey())).isTrue();

        Reply again = send("DELETE", "/api/calls/" + c.id() + "/recording", null, adminToken());
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.text("code")).isEqualTo("NO_RECORDING");
        assertThat(send("DELETE", "/api/calls/call_doesnotexist/recording", null, adminToken()).status()).isEqualTo(404);
        assertThat(send("DELETE", "/api/calls/" + other.publicId() + "/recording", null, null).status()).isEqualTo(401);

        // a late duplicate of Twilio's recording callback does not bring it back
        recordingComplete(c.callSid(), c.recordingSid(), twilioApi.recordingUrl(c.recordingSid()));
        assertThat(call(c.id()).get("recording_url")).isNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_ai_jobs WHERE call_session_id = ?", Integer.class, c.id())).isZero();
    }

    private void bid(UUID callId, String callerNumber) {
        jdbc.update("""
                INSERT INTO rtb_bids (ping_id, call_session_id, campaign_id, buyer_id, offer_id, outcome, bid_cents,
                    floor_cents, caller_key)
                VALUES (gen_random_uuid(), ?, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'WON', 100, 0,
                    CASE WHEN CAST(? AS text) IS NULL THEN NULL ELSE encode(sha256(convert_to(CAST(? AS text), 'UTF8')), 'hex') END)""",
                callId, callerNumber, callerNumber);
    }
}
