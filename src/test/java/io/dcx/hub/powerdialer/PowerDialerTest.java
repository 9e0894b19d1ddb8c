package io.dcx.hub.powerdialer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.DialerTestBase;
import io.dcx.hub.support.TwilioApiStandIn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The power dialer against the Twilio REST stand-in and signed Twilio callbacks: parallel legs with async AMD, the
 * hold queue, "first human wins" under concurrent results, the live stream, compliance refusals, dispositions,
 * ownership and the agent's access token.
 */
class PowerDialerTest extends DialerTestBase {

    static final String API_SECRET = "test-only-twilio-api-secret-0123456789abcdef";

    // ---------------------------------------------------------------- helpers

    private static String contact(String number, String zone, boolean consent) {
        return "{\"name\":\"Contact " + number.substring(number.length() - 4) + "\",\"phone_number\":\"" + number
                + "\",\"timezone\":\"" + zone + "\",\"consent\":" + consent + "}";
    }

    private static String callable(String number) {
        return contact(number, zoneAtLocalHour(12), true);
    }

    private JsonNode createCampaign(String token, String identity, String amd, String... contacts) {
        Reply r = send("POST", "/api/dialer/campaigns", "{\"name\":\"Power test\",\"agent_identity\":\"" + identity
                + "\",\"caller_id\":\"" + FROM + "\",\"lines_per_agent\":3" + (amd == null ? "" : ",\"amd\":" + amd)
                + ",\"contacts\":[" + String.join(",", contacts) + "]}", token);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private JsonNode dialerCampaign(String id) {
        Reply r = get("/api/dialer/campaigns/" + id);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static String identity() {
        return "agent_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Dial-next, then wait until every queued leg has its call at the stand-in; leg id → CallSid. */
    private Map<String, String> dialAndWaitForCalls(String campaignId, int expectedLegs) {
        Reply r = post("/api/dialer/campaigns/" + campaignId + "/dial-next", "{}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().path("legs")).hasSize(expectedLegs);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode legs = dialerCampaign(campaignId).path("legs");
            int placed = 0;
            for (JsonNode leg : legs) {
                placed += leg.path("call_sid").isTextual() ? 1 : 0;
            }
            return placed == expectedLegs;
        });
        Map<String, String> sids = new LinkedHashMap<>();
        for (JsonNode leg : dialerCampaign(campaignId).path("legs")) {
            sids.put(leg.path("id").asText(), leg.path("call_sid").asText());
        }
        return sids;
    }

    private Map<String, String> callParams(String callSid, String to, String status) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", TwilioApiStandIn.ACCOUNT_SID);
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", callSid);
        p.put("CallStatus", status);
        p.put("Direction", "outbound-api");
        p.put("From", FROM);
        p.put("To", to);
        return p;
    }

    private Reply answered(String legId, String callSid, String to) {
        return twilio("/twilio/dialer/queue?leg=" + legId, callParams(callSid, to, "in-progress"));
    }

    private Reply amd(String legId, String callSid, String answeredBy) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", TwilioApiStandIn.ACCOUNT_SID);
        p.put("CallSid", callSid);
        p.put("AnsweredBy", answeredBy);
        p.put("MachineDetectionDuration", "2150");
        return twilio("/twilio/dialer/amd?leg=" + legId, p);
    }

    private long redirects(String sid) {
        return twilioApi.updatesOf(sid).stream().filter(TwilioApiStandIn.CallUpdate::redirect).count();
    }

    private long hangUps(String sid) {
        return twilioApi.updatesOf(sid).stream().filter(TwilioApiStandIn.CallUpdate::hangUp).count();
    }

    // ---------------------------------------------------------------- the race

    @Test
    void threeParallelLegsMachineAndTwoHumansAtOnceBridgeExactlyOne() throws Exception {
        for (int round = 0; round < 3; round++) {
            raceRound();
        }
    }

    private void raceRound() throws Exception {
        String identity = identity();
        List<String> numbers = List.of(number("212"), number("212"), number("212"));
        JsonNode created = createCampaign(adminToken(), identity, null,
                callable(numbers.get(0)), callable(numbers.get(1)), callable(numbers.get(2)));
        String campaignId = created.path("id").asText();
        assertThat(created.path("status").asText()).isEqualTo("CREATED");
        assertThat(created.path("contacts")).hasSize(3);

        try (LiveStream live = new LiveStream(url("/agent/campaigns/" + campaignId + "/live"), adminToken())) {
            assertThat(live.status).as(live.error).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> !live.named("campaign").isEmpty());

            Map<String, String> sids = dialAndWaitForCalls(campaignId, 3);
            List<String> legIds = new ArrayList<>(sids.keySet());
            // each leg: async AMD, answer → hold queue, status and AMD callbacks naming the leg
            for (String number : numbers) {
                assertThat(twilioApi.callsTo(number)).hasSize(1);
                Map<String, String> form = twilioApi.callsTo(number).get(0).params();
                assertThat(form).containsEntry("MachineDetection", "Enable").containsEntry("AsyncAmd", "true")
                        .containsEntry("From", FROM);
                assertThat(form.get("Url")).startsWith("https://hub.test/twilio/dialer/queue?leg=");
                assertThat(form.get("AsyncAmdStatusCallback")).startsWith("https://hub.test/twilio/dialer/amd?leg=");
                assertThat(form.get("StatusCallback")).startsWith("https://hub.test/twilio/dialer/status?leg=");
            }
            Map<String, String> numberOf = new LinkedHashMap<>();
            for (JsonNode leg : dialerCampaign(campaignId).path("legs")) {
                String contactId = leg.path("contact_id").asText();
                for (JsonNode c : dialerCampaign(campaignId).path("contacts")) {
                    if (c.path("id").asText().equals(contactId)) {
                        numberOf.put(leg.path("id").asText(), c.path("phone_number").asText());
                    }
                }
            }

            // all three answer: hold music while detection runs
            for (String leg : legIds) {
                Reply r = answered(leg, sids.get(leg), numberOf.get(leg));
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).contains("<Play loop=\"0\">");
            }

            // the three results at once: machine_start, human, human
            String machine = legIds.get(0);
            List<String> humans = List.of(legIds.get(1), legIds.get(2));
            ExecutorService pool = Executors.newFixedThreadPool(3);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Reply>> results = new ArrayList<>();
            results.add(pool.submit(() -> { go.await(); return amd(machine, sids.get(machine), "machine_start"); }));
            for (String h : humans) {
                results.add(pool.submit(() -> { go.await(); return amd(h, sids.get(h), "human"); }));
            }
            go.countDown();
            for (Future<Reply> f : results) {
                assertThat(f.get().status()).isEqualTo(200);
            }
            pool.shutdown();

            // exactly one redirect into the conference, to a human; every other leg hung up
            long totalRedirects = legIds.stream().mapToLong(l -> redirects(sids.get(l))).sum();
            assertThat(totalRedirects).isEqualTo(1);
            String winner = humans.stream().filter(h -> redirects(sids.get(h)) == 1).findFirst().orElseThrow();
            String loser = humans.get(0).equals(winner) ? humans.get(1) : humans.get(0);
            TwilioApiStandIn.CallUpdate redirect = twilioApi.updatesOf(sids.get(winner)).get(0);
            assertThat(redirect.params().get("Url")).isEqualTo("https://hub.test/twilio/dialer/join?leg=" + winner);
            assertThat(hangUps(sids.get(winner))).isZero();
            assertThat(hangUps(sids.get(loser))).isEqualTo(1);
            assertThat(redirects(sids.get(loser))).isZero();
            assertThat(hangUps(sids.get(machine))).isEqualTo(1);

            JsonNode c = dialerCampaign(campaignId);
            assertThat(c.path("status").asText()).isEqualTo("CONNECTED");
            assertThat(c.path("connected").path("leg_id").asText()).isEqualTo(winner);
            Map<String, String> legStatus = new LinkedHashMap<>();
            c.path("legs").forEach(l -> legStatus.put(l.path("id").asText(), l.path("status").asText()));
            // the machine's leg ends by its own result (MACHINE_HANGUP) or, when the winner's transaction came
            // first, as one of the other legs (HUNG_UP); either way it was hung up once
            assertThat(legStatus).containsEntry(winner, "CONNECTED").containsEntry(loser, "HUNG_UP");
            assertThat(legStatus.get(machine)).isIn("MACHINE_HANGUP", "HUNG_UP");

            // the live stream told the agent: queued ×3, one connection, the others ended
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(live.named("DIALER_LEG_QUEUED")).hasSize(3);
                assertThat(live.named("DIALER_CONNECTED")).hasSize(1);
                assertThat(live.named("DIALER_CONNECTED").get(0).data().path("leg_id").asText()).isEqualTo(winner);
                assertThat(live.ofLeg(machine)).contains("DIALER_LEG_ENDED");
                assertThat(live.ofLeg(loser)).contains("DIALER_LEG_ENDED");
                assertThat(live.ofLeg(winner)).contains("DIALER_LEG_DIALING", "DIALER_LEG_QUEUED",
                        "DIALER_LEG_DETECTED", "DIALER_CONNECTED");
            });
            assertThat(live.ofLeg(winner)).doesNotContain("DIALER_LEG_ENDED");

            // Twilio follows the redirect: the winner joins the conference; the loser's leg would only hang up
            Reply join = twilio("/twilio/dialer/join?leg=" + winner, callParams(sids.get(winner), numberOf.get(winner), "in-progress"));
            assertThat(join.body()).contains("<Conference").contains(c.path("conference").asText());
            Reply lateJoin = twilio("/twilio/dialer/join?leg=" + loser, callParams(sids.get(loser), numberOf.get(loser), "in-progress"));
            assertThat(lateJoin.body()).contains("<Hangup").doesNotContain("<Conference");
            // a late queue request of an ended leg is hung up too
            assertThat(answered(loser, sids.get(loser), numberOf.get(loser)).body()).contains("<Hangup");

            // dial-next while the agent talks: refused
            assertThat(post("/api/dialer/campaigns/" + campaignId + "/dial-next", "{}").status()).isEqualTo(409);

            // the agent's browser (TwiML App voice URL) joins the same conference
            Map<String, String> agent = new LinkedHashMap<>();
            agent.put("AccountSid", TwilioApiStandIn.ACCOUNT_SID);
            agent.put("CallSid", callSid());
            agent.put("From", "client:" + identity);
            agent.put("campaign_id", campaignId);
            Reply agentTwiml = twilio("/twilio/dialer/agent", agent);
            assertThat(agentTwiml.body()).contains("<Conference").contains("endConferenceOnExit=\"true\"")
                    .contains(c.path("conference").asText());
            agent.put("From", "client:someone_else");
            assertThat(twilio("/twilio/dialer/agent", agent).body()).doesNotContain("<Conference");

            // the disposition DNC puts the number on the do-not-call list and frees the agent
            Reply disposed = post("/api/dialer/campaigns/" + campaignId + "/disposition",
                    "{\"disposition\":\"DNC\",\"notes\":\"asked not to be called\"}");
            assertThat(disposed.status()).as(disposed.body()).isEqualTo(200);
            assertThat(disposed.json().path("status").asText()).isEqualTo("DIALING");
            assertThat(disposed.json().path("connected").isNull()).isTrue();
            assertThat(get("/api/dnc/" + numberOf.get(winner).replace("+", "%2B")).json().path("listed").asBoolean()).isTrue();
            await().atMost(Duration.ofSeconds(15)).until(() -> !live.named("DIALER_DISPOSITION").isEmpty());

            // the winner's call ends; then the campaign ends
            assertThat(twilio("/twilio/dialer/status?leg=" + winner, callParams(sids.get(winner), numberOf.get(winner),
                    "completed")).status()).isEqualTo(200);
            Reply ended = post("/api/dialer/campaigns/" + campaignId + "/end", "{}");
            assertThat(ended.status()).isEqualTo(200);
            assertThat(ended.json().path("status").asText()).isEqualTo("ENDED");
            assertThat(post("/api/dialer/campaigns/" + campaignId + "/dial-next", "{}").status()).isEqualTo(409);
        }
        assertThat(metric("power_dialer_amd_results_total{answered_by=\"human\",application=\"dcx-hub\"}")).isGreaterThanOrEqualTo(2);
        assertThat(metric("power_dialer_legs_total{application=\"dcx-hub\",outcome=\"connected\"}")).isGreaterThanOrEqualTo(1);
        assertThat(metric("power_dialer_legs_total{application=\"dcx-hub\",outcome=\"hung_up\"}")).isGreaterThanOrEqualTo(1);
        assertThat(metric("power_dialer_answer_to_agent_seconds_count{application=\"dcx-hub\"}")).isGreaterThanOrEqualTo(1);
    }

    // ---------------------------------------------------------------- machines, unknown, progress, end

    @Test
    void voicemailAfterTheBeepUnknownHungUpPerPolicyAndEndHangsUpLiveLegs() {
        String a = number("646");
        String b = number("646");
        String c = number("646");
        JsonNode created = createCampaign(adminToken(), identity(),
                "{\"unknown\":\"hang_up\",\"machine\":\"voicemail\",\"voicemail_message\":\"Please call us back.\"}",
                callable(a), callable(b), callable(c));
        assertThat(created.path("amd").path("machine_detection").asText()).isEqualTo("DetectMessageEnd");
        String id = created.path("id").asText();
        Map<String, String> sids = dialAndWaitForCalls(id, 3);
        assertThat(twilioApi.callsTo(a).get(0).params()).containsEntry("MachineDetection", "DetectMessageEnd");
        List<String> legs = new ArrayList<>(sids.keySet());

        assertThat(amd(legs.get(0), sids.get(legs.get(0)), "machine_end_beep").status()).isEqualTo(200);
        assertThat(amd(legs.get(1), sids.get(legs.get(1)), "unknown").status()).isEqualTo(200);
        List<TwilioApiStandIn.CallUpdate> voicemail = twilioApi.updatesOf(sids.get(legs.get(0)));
        assertThat(voicemail).hasSize(1);
        assertThat(voicemail.get(0).params().get("Twiml")).contains("Please call us back.").contains("<Hangup");
        assertThat(hangUps(sids.get(legs.get(1)))).isEqualTo(1);

        // the third is still ringing when the campaign ends: hung up
        Map<String, String> ringing = callParams(sids.get(legs.get(2)), c, "ringing");
        assertThat(twilio("/twilio/dialer/status?leg=" + legs.get(2), ringing).status()).isEqualTo(200);
        Reply ended = post("/api/dialer/campaigns/" + id + "/end", "{}");
        assertThat(ended.status()).isEqualTo(200);
        assertThat(hangUps(sids.get(legs.get(2)))).isEqualTo(1);
        Map<String, String> status = new LinkedHashMap<>();
        ended.json().path("legs").forEach(l -> status.put(l.path("id").asText(), l.path("status").asText()));
        assertThat(status).containsEntry(legs.get(0), "VOICEMAIL").containsEntry(legs.get(1), "MACHINE_HANGUP")
                .containsEntry(legs.get(2), "HUNG_UP");
    }

    // ---------------------------------------------------------------- compliance

    @Test
    void aContactOnTheDncListOrOutsideItsCallingWindowIsNeverDialledAndTheCampaignSaysWhy() {
        String listed = number("415");
        String night = number("415");
        String fine = number("415");
        assertThat(post("/api/dnc", "{\"phone_number\":\"" + listed + "\",\"source\":\"ADMIN\"}").status()).isEqualTo(201);
        JsonNode created = createCampaign(adminToken(), identity(), null,
                callable(listed), contact(night, zoneAtLocalHour(3), true), callable(fine));
        String id = created.path("id").asText();
        Reply r = post("/api/dialer/campaigns/" + id + "/dial-next", "{}");
        assertThat(r.status()).isEqualTo(202);

        // positive signal first: the allowed contact was dialled, the others were refused
        await().atMost(Duration.ofSeconds(20)).until(() -> twilioApi.callsTo(fine).size() == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            int skipped = 0;
            for (JsonNode c : dialerCampaign(id).path("contacts")) {
                skipped += c.path("status").asText().equals("SKIPPED") ? 1 : 0;
            }
            return skipped == 2;
        });
        Map<String, JsonNode> byNumber = new LinkedHashMap<>();
        dialerCampaign(id).path("contacts").forEach(c -> byNumber.put(c.path("phone_number").asText(), c));
        assertThat(byNumber.get(listed).path("blocked_rule").asText()).isEqualTo("DNC");
        assertThat(byNumber.get(listed).path("blocked_reason").asText()).contains("do-not-call");
        assertThat(byNumber.get(night).path("blocked_rule").asText()).isEqualTo("QUIET_HOURS");
        assertThat(byNumber.get(night).path("blocked_reason").asText()).contains("outside the calling window");
        assertThat(byNumber.get(fine).path("status").asText()).isEqualTo("DIALING");
        assertThat(twilioApi.postsTo(listed)).isZero();
        assertThat(twilioApi.postsTo(night)).isZero();
        List<String> blockedLegs = new ArrayList<>();
        dialerCampaign(id).path("legs").forEach(l -> {
            if (l.path("status").asText().equals("BLOCKED")) {
                blockedLegs.add(l.path("error").asText());
            }
        });
        assertThat(blockedLegs).hasSize(2);
    }

    // ---------------------------------------------------------------- ownership and validation

    @Test
    void aUserSeesOnlyItsOwnCampaignsAndBadInputIsAProblem() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        assertThat(post("/api/users", "{\"username\":\"pd_a_" + suffix + "\",\"password\":\"pd-password-a\",\"role\":\"USER\"}").status()).isEqualTo(201);
        assertThat(post("/api/users", "{\"username\":\"pd_b_" + suffix + "\",\"password\":\"pd-password-b\",\"role\":\"USER\"}").status()).isEqualTo(201);
        String userA = token("pd_a_" + suffix, "pd-password-a");
        String userB = token("pd_b_" + suffix, "pd-password-b");
        String identity = identity();
        String id = createCampaign(userA, identity, null, callable(number("303"))).path("id").asText();

        assertThat(send("GET", "/api/dialer/campaigns/" + id, null, userA).status()).isEqualTo(200);
        assertThat(send("GET", "/api/dialer/campaigns/" + id, null, adminToken()).status()).isEqualTo(200);
        for (Reply r : List.of(send("GET", "/api/dialer/campaigns/" + id, null, userB),
                send("POST", "/api/dialer/campaigns/" + id + "/dial-next", "{}", userB),
                send("POST", "/api/dialer/campaigns/" + id + "/end", "{}", userB),
                send("POST", "/api/token", "{\"campaign_id\":\"" + id + "\"}", userB))) {
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        // another user cannot take user A's agent identity
        Reply taken = send("POST", "/api/dialer/campaigns", "{\"name\":\"x\",\"agent_identity\":\"" + identity
                + "\",\"caller_id\":\"" + FROM + "\",\"contacts\":[" + callable(number("303")) + "]}", userB);
        assertThat(taken.status()).as(taken.body()).isEqualTo(409);
        try (LiveStream stream = new LiveStream(url("/agent/campaigns/" + id + "/live"), userB)) {
            assertThat(stream.status).as(stream.error).isEqualTo(403);
            assertThat(stream.error).contains("FORBIDDEN");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }

        Reply noContacts = send("POST", "/api/dialer/campaigns", "{\"name\":\"x\",\"agent_identity\":\"a1\",\"caller_id\":\""
                + FROM + "\"}", userA);
        assertThat(noContacts.status()).isEqualTo(400);
        assertThat(noContacts.contentType()).startsWith("application/problem+json");
        Reply badZone = send("POST", "/api/dialer/campaigns", "{\"name\":\"x\",\"agent_identity\":\"a1\",\"caller_id\":\""
                + FROM + "\",\"contacts\":[" + contact(number("303"), "Mars/Olympus", true) + "]}", userA);
        assertThat(badZone.status()).isEqualTo(400);
        assertThat(badZone.body()).contains("timezone");
        Reply noVoicemail = send("POST", "/api/dialer/campaigns", "{\"name\":\"x\",\"agent_identity\":\"a1\",\"caller_id\":\""
                + FROM + "\",\"amd\":{\"machine\":\"voicemail\"},\"contacts\":[" + callable(number("303")) + "]}", userA);
        assertThat(noVoicemail.status()).isEqualTo(400);
        assertThat(post("/api/dialer/campaigns/" + id + "/disposition", "{\"disposition\":\"SALE\"}").status()).isEqualTo(409);
        assertThat(get("/api/dialer/campaigns/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(get("/api/dialer/campaigns/not-a-uuid").status()).isEqualTo(404);
        // unsigned Twilio callbacks are refused
        Map<String, String> p = callParams(callSid(), number("303"), "in-progress");
        assertThat(twilio("/twilio/dialer/amd?leg=" + UUID.randomUUID(), p, "bad-signature").status()).isEqualTo(403);
    }

    // ---------------------------------------------------------------- the agent's access token

    @Test
    void accessTokensVerifyWithTheConfiguredSecretAndCarryTheAgentIdentityAndTheGrant() throws Exception {
        String identity = identity();
        String id = createCampaign(adminToken(), identity, null, callable(number("718"))).path("id").asText();
        Reply r = post("/api/token", "{\"campaign_id\":\"" + id + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.text("identity")).isEqualTo(identity);
        String jwt = r.text("token");
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);

        // HS256 over header.payload with the configured TWILIO_API_SECRET (recomputed here with a plain HMAC)
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(API_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.UTF_8)));
        assertThat(parts[2]).isEqualTo(expected);
        mac.init(new SecretKeySpec("another-secret-0123456789-abcdefghijkl".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.UTF_8)))).isNotEqualTo(parts[2]);

        JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode payload = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.path("alg").asText()).isEqualTo("HS256");
        assertThat(header.path("cty").asText()).isEqualTo("twilio-fpa;v=1");
        assertThat(payload.path("iss").asText()).isEqualTo("SK00000000000000000000000000000000");
        assertThat(payload.path("sub").asText()).isEqualTo(TwilioApiStandIn.ACCOUNT_SID);
        assertThat(payload.path("grants").path("identity").asText()).isEqualTo(identity);
        assertThat(payload.path("grants").path("voice").path("outgoing").path("application_sid").asText())
                .isEqualTo("AP00000000000000000000000000000000");
        assertThat(payload.path("grants").path("voice").path("incoming").path("allow").asBoolean()).isTrue();
        assertThat(payload.path("exp").asLong() - java.time.Instant.now().getEpochSecond()).isBetween(3500L, 3700L);

        // the agent page is served
        Reply page = send("GET", "/agent", null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Twilio.Device").contains("/api/token");
    }
}
