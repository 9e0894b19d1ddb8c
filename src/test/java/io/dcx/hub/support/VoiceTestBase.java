package io.dcx.hub.support;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Builds a catalog through the admin API and plays Twilio: signed form posts as Twilio sends them. */
public abstract class VoiceTestBase extends HubTestBase {

    protected static final String AUTH_TOKEN = "test-twilio-auth-token";
    protected static final String PUBLIC_BASE = "https://hub.test";
    private static final AtomicLong NUMBERS = new AtomicLong(System.nanoTime() % 1_000_000);

    @Autowired
    protected JdbcTemplate jdbc;

    protected static String newE164() {
        return "+1917" + String.format("%07d", NUMBERS.incrementAndGet() % 10_000_000);
    }

    protected static String callSid() {
        return "CA" + UUID.randomUUID().toString().replace("-", "");
    }

    protected String createId(String path, String body) {
        Reply r = post(path, body);
        if (r.status() != 201) {
            throw new AssertionError(path + " -> " + r.status() + " " + r.body());
        }
        return r.text("id");
    }

    /** A campaign with one DID; returns {campaignId, did}. */
    protected String[] campaign(String extraJson) {
        String campaign = createId("/api/campaigns", "{\"name\":\"Voice test\",\"vertical\":\"SSDI\""
                + (extraJson == null ? "" : "," + extraJson) + "}");
        String did = newE164();
        createId("/api/numbers", "{\"twilio_sid\":\"PN" + UUID.randomUUID().toString().replace("-", "")
                + "\",\"e164\":\"" + did + "\",\"campaign_id\":\"" + campaign + "\"}");
        return new String[] {campaign, did};
    }

    /** A buyer (always open unless extraJson says otherwise) with an offer on the campaign; returns {buyerId, endpoint}. */
    protected String[] buyer(String campaignId, int priority, String buyerJson, String offerJson) {
        String endpoint = newE164();
        String buyer = createId("/api/buyers", "{\"name\":\"Buyer " + priority + "\",\"endpoint_value\":\"" + endpoint + "\""
                + (buyerJson == null ? "" : "," + buyerJson) + "}");
        createId("/api/offers", "{\"campaign_id\":\"" + campaignId + "\",\"buyer_id\":\"" + buyer
                + "\",\"payout_cents\":5000,\"buffer_seconds\":60,\"priority\":" + priority
                + (offerJson == null ? "" : "," + offerJson) + "}");
        return new String[] {buyer, endpoint};
    }

    protected static Map<String, String> inbound(String callSid, String from, String to) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", callSid);
        p.put("CallStatus", "ringing");
        p.put("Direction", "inbound");
        p.put("From", from);
        p.put("To", to);
        p.put("FromState", "FL");
        p.put("Caller", from);
        p.put("Called", to);
        return p;
    }

    /** POSTs a validly signed Twilio webhook to pathAndQuery. */
    protected Reply twilio(String pathAndQuery, Map<String, String> params) {
        return twilio(pathAndQuery, params, TwilioSigner.sign(AUTH_TOKEN, PUBLIC_BASE + pathAndQuery, params));
    }

    protected Reply twilio(String pathAndQuery, Map<String, String> params, String signature) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(pathAndQuery)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TwilioSigner.formBody(params)));
        if (signature != null) {
            b.header("X-Twilio-Signature", signature);
        }
        return execute(b.build());
    }

    /** The action/statusCallback URL (path + query, as the hub wrote it) of the TwiML's &lt;Dial&gt;. */
    protected static String attribute(String twiml, String name) {
        int i = twiml.indexOf(name + "=\"");
        if (i < 0) {
            return null;
        }
        int start = i + name.length() + 2;
        return twiml.substring(start, twiml.indexOf('"', start)).replace("&amp;", "&");
    }

    protected static String pathOf(String absoluteUrl) {
        return absoluteUrl.substring(PUBLIC_BASE.length());
    }

    protected Map<String, Object> session(String callSid) {
        return jdbc.queryForMap("SELECT * FROM call_sessions WHERE twilio_call_sid = ?", callSid);
    }

    protected List<String> events(String publicId) {
        return jdbc.queryForList("SELECT event_type FROM outbox WHERE aggregate_key = ? ORDER BY id", String.class, publicId);
    }
}
