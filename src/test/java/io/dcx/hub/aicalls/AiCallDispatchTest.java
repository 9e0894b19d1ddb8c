package io.dcx.hub.aicalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dcx.hub.support.AiCallTestBase;
import io.dcx.hub.support.RetellStandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Scheduled calls reach the Retell stand-in exactly once each when their time comes, with the prompt, language and
 * the hub's call id; transient errors are retried, lasting ones make the call FAILED with the reason.
 */
@ExtendWith(OutputCaptureExtension.class)
class AiCallDispatchTest extends AiCallTestBase {

    @Autowired
    AiCallDispatcher dispatcher;

    @Autowired
    ProducerTemplate camel;

    private String createDue(User user, String phone, Instant at) {
        Reply r = as(user, "POST", "/api/calls", "{\"calleeName\":\"José\",\"phoneNumber\":\"" + phone
                + "\",\"subject\":\"Renewal\",\"prompt\":\"Offer the renewal\",\"aiLanguage\":\"es-ES\",\"voiceId\":\"11labs-Adrian\","
                + "\"timezone\":\"" + zoneAtLocalHour(12) + "\",\"scheduledAt\":" + at.toEpochMilli() + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("public_id");
    }

    private Map<String, Object> row(String publicId) {
        return jdbc.queryForMap("SELECT status, provider_call_id, failure_reason, dispatched_at FROM call_sessions "
                + "WHERE public_id = ?", publicId);
    }

    @Test
    void eachDueCallIsPlacedExactlyOnceEvenWithCompetingClaimers(CapturedOutput output) throws Exception {
        User user = newUser();
        // created well ahead (a loaded machine may take seconds for eight requests), then all made due together
        Instant later = Instant.now().plusSeconds(60);
        List<String> phones = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String phone = usNumber();
            phones.add(phone);
            calls.add(createDue(user, phone, later));
        }
        assertThat(retell.callsTo(phones.get(0))).isEmpty(); // not before its time
        jdbc.update("UPDATE call_sessions SET scheduled_at = now() + interval '1 second' WHERE public_id = ANY (?)",
                (Object) calls.toArray(String[]::new));

        // two more claimers race the clustered Quartz route on the same database, as two more hub instances would
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        long until = System.currentTimeMillis() + 4000;
        for (int t = 0; t < 2; t++) {
            pool.submit(() -> {
                start.await();
                while (System.currentTimeMillis() < until) {
                    for (AiCallDispatcher.DueCall call : dispatcher.claimDue()) {
                        camel.sendBody("direct:ai-call-dispatch", call);
                    }
                    Thread.sleep(5);
                }
                return null;
            });
        }
        start.countDown();
        await().atMost(Duration.ofSeconds(15)).until(() ->
                calls.stream().allMatch(c -> row(c).get("provider_call_id") != null));
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        // two more Quartz rounds run to the end: nothing is dialled again
        NotifyBuilder twoRounds = new NotifyBuilder(camel.getCamelContext()).fromRoute("ai-call-dispatch-poll")
                .whenDone(2).create();
        assertThat(twoRounds.matches(15, TimeUnit.SECONDS)).as("two more dispatch rounds").isTrue();

        for (int i = 0; i < calls.size(); i++) {
            List<RetellStandIn.Received> received = retell.callsTo(phones.get(i));
            assertThat(received).as("create-phone-call requests for call %d", i).hasSize(1);
            RetellStandIn.Received sent = received.get(0);
            assertThat(sent.authorization()).isEqualTo("Bearer " + RetellStandIn.API_KEY);
            assertThat(sent.body().path("from_number").asText()).isEqualTo("+14155550100");
            assertThat(sent.body().path("override_agent_id").asText()).isEqualTo("agent_test");
            assertThat(sent.body().path("metadata").path("dcx_call_id").asText()).isEqualTo(calls.get(i));
            assertThat(sent.body().path("retell_llm_dynamic_variables").path("prompt").asText()).isEqualTo("Offer the renewal");
            assertThat(sent.body().path("retell_llm_dynamic_variables").path("language").asText()).isEqualTo("es-ES");
            assertThat(sent.body().path("agent_override").path("agent").path("voice_id").asText()).isEqualTo("11labs-Adrian");
            Map<String, Object> stored = row(calls.get(i));
            assertThat(stored.get("provider_call_id")).isEqualTo(sent.callId());
            assertThat(stored.get("status")).isEqualTo("SCHEDULED"); // until Retell's call_started
            assertThat(stored.get("dispatched_at")).isNotNull();
        }
        Reply detail = as(user, "GET", "/api/calls/" + calls.get(0), null);
        assertThat(detail.json().path("provider_payload").path("call_status").asText()).isEqualTo("registered");
        assertThat(detail.json().path("provider_payload").has("to_number")).isFalse();
        // the callee's numbers never reach the log in clear
        assertThat(output.getAll()).doesNotContain(phones.toArray(String[]::new));
    }

    @Test
    void theDispatcherIsAClusteredQuartzJob(@Autowired org.quartz.Scheduler scheduler) throws Exception {
        assertThat(scheduler.getMetaData().isJobStoreClustered()).isTrue();
        assertThat(scheduler.getMetaData().getJobStoreClass().getSimpleName()).isEqualTo("LocalDataSourceJobStore");
        String name = scheduler.getSchedulerName();
        // the instance checks in to the database, where the other instances see it
        await().atMost(Duration.ofSeconds(10)).until(() -> !jdbc.queryForList(
                "SELECT 1 FROM qrtz_scheduler_state WHERE sched_name = ? AND instance_name = ?", name,
                scheduler.getSchedulerInstanceId()).isEmpty());
        assertThat(jdbc.queryForList("SELECT trigger_name FROM qrtz_triggers WHERE sched_name = ?", String.class, name))
                .contains("ai-call-dispatch");
    }

    @Test
    void transientErrorsAreRetriedAndThePlacedCallKept() {
        User user = newUser();
        String phone = usNumber();
        retell.script(phone, 503, 429);
        String call = createDue(user, phone, Instant.now().plusMillis(800));
        await().atMost(Duration.ofSeconds(15)).until(() -> row(call).get("provider_call_id") != null);
        assertThat(retell.callsTo(phone)).hasSize(3);
        assertThat(row(call).get("status")).isEqualTo("SCHEDULED");
    }

    @Test
    void lastingErrorsFailTheCallWithTheReason() {
        User user = newUser();
        String refused = usNumber();
        retell.script(refused, 422);
        String rejected = createDue(user, refused, Instant.now().plusMillis(800));
        String flaky = usNumber();
        retell.script(flaky, 503, 503, 503, 503);
        String exhausted = createDue(user, flaky, Instant.now().plusMillis(800));

        await().atMost(Duration.ofSeconds(15)).until(() -> "FAILED".equals(row(rejected).get("status"))
                && "FAILED".equals(row(exhausted).get("status")));
        assertThat(retell.callsTo(refused)).hasSize(1); // a 4xx is not retried
        assertThat((String) row(rejected).get("failure_reason")).startsWith("Retell answered HTTP 422")
                .doesNotContain(refused); // the stand-in's message names the number: masked
        assertThat(retell.callsTo(flaky)).hasSize(3); // first try + dcx.ai-calls.dispatch-retries (2)
        assertThat((String) row(exhausted).get("failure_reason")).contains("HTTP 503").contains("after 3 attempts");
        assertThat(events(rejected)).containsExactly("CALL_FAILED");
        Reply detail = as(user, "GET", "/api/calls/" + exhausted, null);
        assertThat(detail.text("status")).isEqualTo("FAILED");
        assertThat(detail.text("completed_at")).isNotNull();
    }
}
