package io.dcx.hub.powerdialer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.support.HubHttp;
import io.dcx.hub.support.TwoHubCluster;
import io.dcx.hub.support.TwilioApiStandIn;
import io.dcx.hub.support.TwilioSigner;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two hub instances (two application contexts, one PostgreSQL database, one Kafka broker) and the power dialer's
 * race: a human's AMD result reaches instance A while another human's (and a machine's) reach instance B at the same
 * moment. Exactly one leg is bridged, the other legs are hung up, and an agent watching the campaign on A sees what
 * B handled (the live stream reads the bus in a consumer group per instance).
 */
class PowerDialerTwoInstancesTest extends HubHttp {

    private static final String AUTH_TOKEN = "test-twilio-auth-token";
    private static final String PUBLIC_BASE = "https://hub.test";
    private static final String FROM = "+12125550199";
    private static int portA;
    private static int portB;
    private static JdbcTemplate db;
    private final TwilioApiStandIn twilioApi = TwilioApiStandIn.shared();

    @BeforeAll
    static void twoHubs() {
        TwoHubCluster cluster = TwoHubCluster.shared();
        portA = cluster.portA;
        portB = cluster.portB;
        db = cluster.db;
    }

    private static HttpResponse<String> twilio(int hubPort, String path, Map<String, String> params) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + hubPort + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSigner.sign(AUTH_TOKEN, PUBLIC_BASE + path, params))
                .POST(HttpRequest.BodyPublishers.ofString(TwilioSigner.formBody(params))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String callableZone() {
        int utcHour = ZonedDateTime.now(ZoneOffset.UTC).getHour();
        int offset = Math.floorMod(12 - utcHour + 12, 24) - 12;
        return offset == 0 ? "Etc/GMT" : offset > 0 ? "Etc/GMT-" + offset : "Etc/GMT+" + (-offset);
    }

    private static String number() {
        return "+1312" + String.format("%07d", ThreadLocalRandom.current().nextInt(2_000_000, 9_999_999));
    }

    private long updates(String sid, boolean redirect) {
        return twilioApi.updatesOf(sid).stream().filter(u -> redirect ? u.redirect() : u.hangUp()).count();
    }

    @Test
    void twoHumansOnTwoInstancesAtOnceStillBridgeExactlyOne() throws Exception {
        json = new ObjectMapper();
        for (int round = 0; round < 3; round++) {
            round();
        }
    }

    private void round() throws Exception {
        port = portA;
        List<String> numbers = List.of(number(), number(), number());
        StringBuilder contacts = new StringBuilder();
        for (String n : numbers) {
            contacts.append(contacts.length() == 0 ? "" : ",").append("{\"phone_number\":\"").append(n)
                    .append("\",\"timezone\":\"").append(callableZone()).append("\",\"consent\":true}");
        }
        Reply created = post("/api/dialer/campaigns", "{\"name\":\"Two instances\",\"agent_identity\":\"agent_"
                + UUID.randomUUID().toString().substring(0, 8) + "\",\"caller_id\":\"" + FROM
                + "\",\"lines_per_agent\":3,\"contacts\":[" + contacts + "]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String campaignId = created.text("id");

        try (LiveStream onA = new LiveStream(url("/agent/campaigns/" + campaignId + "/live"), adminToken())) {
            assertThat(onA.status).as(onA.error).isEqualTo(200);
            // dial-next through B; the legs are placed by whichever instance's worker takes them
            port = portB;
            Reply dialed = post("/api/dialer/campaigns/" + campaignId + "/dial-next", "{}");
            assertThat(dialed.status()).as(dialed.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> db.queryForObject(
                    "SELECT count(*) FROM dialer_attempts WHERE campaign_id = ?::uuid AND twilio_call_sid IS NOT NULL",
                    Integer.class, campaignId) == 3);
            for (String n : numbers) {
                assertThat(twilioApi.postsTo(n)).as("one POST /Calls per contact").isEqualTo(1);
            }
            List<Map<String, Object>> legs = db.queryForList(
                    "SELECT id::text AS id, twilio_call_sid, to_number FROM dialer_attempts WHERE campaign_id = ?::uuid "
                            + "ORDER BY to_number", campaignId);
            int i = 0;
            for (Map<String, Object> leg : legs) {
                Map<String, String> p = new LinkedHashMap<>();
                p.put("AccountSid", TwilioApiStandIn.ACCOUNT_SID);
                p.put("CallSid", (String) leg.get("twilio_call_sid"));
                p.put("CallStatus", "in-progress");
                p.put("From", FROM);
                p.put("To", (String) leg.get("to_number"));
                HttpResponse<String> r = twilio(i++ % 2 == 0 ? portA : portB, "/twilio/dialer/queue?leg=" + leg.get("id"), p);
                assertThat(r.body()).contains("<Play");
            }

            // human → A, human → B, machine → B, at once
            String[] answers = {"human", "human", "machine_start"};
            int[] ports = {portA, portB, portB};
            ExecutorService pool = Executors.newFixedThreadPool(3);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                Map<String, Object> leg = legs.get(k);
                String answeredBy = answers[k];
                int hub = ports[k];
                results.add(pool.submit(() -> {
                    Map<String, String> p = new LinkedHashMap<>();
                    p.put("AccountSid", TwilioApiStandIn.ACCOUNT_SID);
                    p.put("CallSid", (String) leg.get("twilio_call_sid"));
                    p.put("AnsweredBy", answeredBy);
                    p.put("MachineDetectionDuration", "1800");
                    go.await();
                    return twilio(hub, "/twilio/dialer/amd?leg=" + leg.get("id"), p);
                }));
            }
            go.countDown();
            for (Future<HttpResponse<String>> f : results) {
                assertThat(f.get().statusCode()).isEqualTo(200);
            }
            pool.shutdown();

            String humanA = (String) legs.get(0).get("twilio_call_sid");
            String humanB = (String) legs.get(1).get("twilio_call_sid");
            String machine = (String) legs.get(2).get("twilio_call_sid");
            assertThat(updates(humanA, true) + updates(humanB, true) + updates(machine, true))
                    .as("redirects into the conference").isEqualTo(1);
            String winnerSid = updates(humanA, true) == 1 ? humanA : humanB;
            String loserSid = winnerSid.equals(humanA) ? humanB : humanA;
            assertThat(updates(loserSid, false)).as("the late human is hung up").isEqualTo(1);
            assertThat(updates(loserSid, true)).isZero();
            assertThat(updates(machine, false)).isEqualTo(1);
            String winnerLeg = db.queryForObject("SELECT id::text FROM dialer_attempts WHERE twilio_call_sid = ?",
                    String.class, winnerSid);
            assertThat(db.queryForObject("SELECT connected_attempt_id::text FROM dialer_campaigns WHERE id = ?::uuid",
                    String.class, campaignId)).isEqualTo(winnerLeg);
            assertThat(db.queryForObject("SELECT status FROM dialer_attempts WHERE twilio_call_sid = ?", String.class,
                    winnerSid)).isEqualTo("CONNECTED");
            assertThat(db.queryForObject("SELECT status FROM dialer_attempts WHERE twilio_call_sid = ?", String.class,
                    loserSid)).isEqualTo("HUNG_UP");
            assertThat(db.queryForObject("SELECT status FROM dialer_attempts WHERE twilio_call_sid = ?", String.class,
                    machine)).isIn("MACHINE_HANGUP", "HUNG_UP");

            // the agent on A sees every leg, whichever instance handled it
            String machineLeg = (String) legs.get(2).get("id");
            String loserLeg = db.queryForObject("SELECT id::text FROM dialer_attempts WHERE twilio_call_sid = ?",
                    String.class, loserSid);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(onA.named("DIALER_CONNECTED")).hasSize(1);
                assertThat(onA.named("DIALER_CONNECTED").get(0).data().path("leg_id").asText()).isEqualTo(winnerLeg);
                assertThat(onA.ofLeg(machineLeg)).contains("DIALER_LEG_QUEUED", "DIALER_LEG_ENDED");
                assertThat(onA.ofLeg(loserLeg)).contains("DIALER_LEG_QUEUED", "DIALER_LEG_ENDED");
            });
        }
    }
}
