package io.dcx.hub.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Leads, dials and the Twilio / ASR stand-ins for the Dialer v1 and recording tests. */
public abstract class DialerTestBase extends VoiceTestBase {

    protected static final String FROM = "+12125550199";
    protected final TwilioApiStandIn twilioApi = TwilioApiStandIn.shared();

    /** A North American number in the given area code, unique in this run. */
    protected static String number(String areaCode) {
        return "+1" + areaCode + String.format("%07d", ThreadLocalRandom.current().nextInt(2_000_000, 9_999_999));
    }

    /** A lead with the given phone, zone and consent; returns its id. */
    protected String lead(String phone, String zone, boolean consent) {
        return createId("/api/leads", "{\"contact_name\":\"Jane Roe\",\"phone\":\"" + phone + "\",\"timezone\":\"" + zone
                + "\",\"consent\":" + consent + (consent ? ",\"consent_source\":\"web form\"" : "") + "}");
    }

    /** A lead that may be called right now (noon in its zone, consent on record). */
    protected String callableLead(String phone) {
        return lead(phone, zoneAtLocalHour(12), true);
    }

    protected Reply dial(String leadId, String to) {
        return post("/dial", "{\"leadId\":\"" + leadId + "\",\"toNumber\":\"" + to + "\",\"fromNumber\":\"" + FROM
                + "\",\"record\":true}");
    }

    /** Dials and waits until the worker recorded the CallSid Twilio answered with; returns the dial attempt row. */
    protected Map<String, Object> dialPlaced(String leadId, String to) {
        Reply r = dial(leadId, to);
        if (r.status() != 202) {
            throw new AssertionError("dial: " + r.status() + " " + r.body());
        }
        String dialId = r.text("dial_id");
        await().atMost(Duration.ofSeconds(15)).until(() -> attempt(dialId).get("provider_call_id") != null);
        return attempt(dialId);
    }

    protected Map<String, Object> attempt(String dialId) {
        return jdbc.queryForMap("SELECT * FROM dial_attempts WHERE id = ?::uuid", dialId);
    }

    protected Map<String, Object> sessionById(Object id) {
        return jdbc.queryForMap("SELECT * FROM call_sessions WHERE id = ?", id);
    }

    /** A Twilio call-progress callback for an outbound call, as Twilio posts it to the statusCallback URL. */
    protected Reply outboundStatus(String statusCallbackUrl, String callSid, String to, String status, int sequence,
            Integer duration) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("AccountSid", TwilioApiStandIn.ACCOUNT_SID);
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", callSid);
        p.put("CallStatus", status);
        p.put("Direction", "outbound-api");
        p.put("From", FROM);
        p.put("To", to);
        p.put("CallbackSource", "call-progress-events");
        p.put("SequenceNumber", String.valueOf(sequence));
        p.put("Timestamp", "Thu, 12 Feb 2026 11:48:25 +0000");
        if (duration != null) {
            p.put("CallDuration", String.valueOf(duration));
            p.put("Duration", String.valueOf((duration + 59) / 60));
        }
        return twilio(pathOf(statusCallbackUrl), p);
    }

    /** Twilio's recordingStatusCallback for a call. */
    protected Reply recordingComplete(String callSid, String recordingSid, String recordingUrl) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("AccountSid", TwilioApiStandIn.ACCOUNT_SID);
        p.put("CallSid", callSid);
        p.put("RecordingSid", recordingSid);
        p.put("RecordingUrl", recordingUrl);
        p.put("RecordingStatus", "completed");
        p.put("RecordingDuration", "42");
        p.put("RecordingChannels", "1");
        p.put("RecordingSource", "OutboundAPI");
        p.put("RecordingStartTime", "Thu, 12 Feb 2026 11:48:25 +0000");
        return twilio("/twilio/recording-complete", p);
    }

    protected static String recordingSid() {
        return "RE" + java.util.UUID.randomUUID().toString().replace("-", "");
    }

    protected double metric(String line) {
        String body = send("GET", "/actuator/prometheus", null, null).body();
        for (String l : body.split("\n")) {
            if (l.startsWith(line + " ")) {
                return Double.parseDouble(l.substring(line.length() + 1).trim());
            }
        }
        return 0;
    }
}
