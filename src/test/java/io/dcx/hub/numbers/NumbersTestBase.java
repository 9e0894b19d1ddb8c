package io.dcx.hub.numbers;

import io.dcx.hub.support.CalComStandIn;
import io.dcx.hub.support.HubHttp;
import io.dcx.hub.support.OpenAiStandIn;
import io.dcx.hub.support.RetellStandIn;
import io.dcx.hub.support.TestDatabase;
import io.dcx.hub.support.TwilioSigner;
import io.dcx.hub.support.VapiApiStandIn;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The hub with the numbers stand-in ({@link NumbersTwilioStandIn}) as its Twilio REST API, on a database of its
 * own: a sync marks every number the stand-in does not hold, which must not touch the shared hub's numbers. The
 * number tests share this one context. Calls are played as Twilio sends them (signed form posts, as in
 * {@code VoiceTestBase}).
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@AutoConfigureObservability
abstract class NumbersTestBase extends HubHttp {

    static final String AUTH_TOKEN = "test-twilio-auth-token";
    static final String PUBLIC_BASE = "https://hub.test";
    private static final String DATABASE = TestDatabase.url("numbers");
    private static final AtomicLong NUMBERS = new AtomicLong(System.nanoTime() % 1_000_000);

    @Autowired
    protected JdbcTemplate jdbc;

    @DynamicPropertySource
    static void numbersHub(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.username", () -> TestDatabase.USERNAME);
        registry.add("spring.datasource.password", () -> TestDatabase.PASSWORD);
        registry.add("dcx.twilio.api-base-url", () -> NumbersTwilioStandIn.shared().baseUrl());
        registry.add("dcx.retell.base-url", () -> RetellStandIn.shared().baseUrl());
        registry.add("dcx.ai.asr-base-url", () -> OpenAiStandIn.shared().baseUrl());
        registry.add("dcx.vapi.api-base-url", () -> VapiApiStandIn.shared().baseUrl());
        registry.add("dcx.calcom.api-base-url", () -> CalComStandIn.shared().baseUrl());
    }

    static NumbersTwilioStandIn twilioApi() {
        return NumbersTwilioStandIn.shared();
    }

    /** A fresh number in area code 808 that Twilio offers. */
    static String offered() {
        String e164 = "+1808" + String.format("%07d", NUMBERS.incrementAndGet() % 10_000_000);
        twilioApi().offer(e164, "HI", "Hilo");
        return e164;
    }

    static String callSid() {
        return "CA" + UUID.randomUUID().toString().replace("-", "");
    }

    String createId(String path, String body) {
        Reply r = post(path, body);
        if (r.status() != 201) {
            throw new AssertionError(path + " -> " + r.status() + " " + r.body());
        }
        return r.text("id");
    }

    /** A buyer that is always open with an offer on the campaign; returns {buyerId, endpoint}. */
    String[] buyer(String campaignId) {
        String endpoint = "+1917" + String.format("%07d", NUMBERS.incrementAndGet() % 10_000_000);
        String buyer = createId("/api/buyers", "{\"name\":\"Numbers buyer\",\"endpoint_value\":\"" + endpoint + "\"}");
        createId("/api/offers", "{\"campaign_id\":\"" + campaignId + "\",\"buyer_id\":\"" + buyer
                + "\",\"payout_cents\":5000,\"buffer_seconds\":60,\"priority\":1}");
        return new String[] {buyer, endpoint};
    }

    static Map<String, String> inbound(String callSid, String from, String to) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", NumbersTwilioStandIn.ACCOUNT_SID);
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

    /** POSTs a validly signed Twilio webhook. */
    Reply twilio(String pathAndQuery, Map<String, String> params) {
        return execute(HttpRequest.newBuilder(URI.create(url(pathAndQuery)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSigner.sign(AUTH_TOKEN, PUBLIC_BASE + pathAndQuery, params))
                .POST(HttpRequest.BodyPublishers.ofString(TwilioSigner.formBody(params))).build());
    }

    Map<String, Object> session(String callSid) {
        return jdbc.queryForMap("SELECT * FROM call_sessions WHERE twilio_call_sid = ?", callSid);
    }
}
