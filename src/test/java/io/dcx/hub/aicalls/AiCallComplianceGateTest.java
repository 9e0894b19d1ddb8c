package io.dcx.hub.aicalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dcx.hub.support.AiCallTestBase;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scheduled AI calls pass the compliance gate right before Retell is asked: a call to a DNC number or outside the
 * callee's calling window never reaches the Retell stand-in; the window refusal is rescheduled to the minute the
 * window opens in the callee's zone, the DNC one is FAILED; both keep the rule.
 */
class AiCallComplianceGateTest extends AiCallTestBase {

    private String due(User user, String phone, String zone) {
        Reply r = as(user, "POST", "/api/calls", "{\"callee_name\":\"Ana\",\"phone_number\":\"" + phone
                + "\",\"subject\":\"Renewal\",\"prompt\":\"Offer the renewal\",\"timezone\":\"" + zone
                + "\",\"scheduled_at\":" + Instant.now().plusSeconds(3).toEpochMilli() + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("public_id");
    }

    private Map<String, Object> row(String publicId) {
        return jdbc.queryForMap("SELECT status, provider_call_id, failure_reason, compliance_rule, dispatched_at, "
                + "scheduled_at FROM call_sessions WHERE public_id = ?", publicId);
    }

    @Test
    void aCallToADncNumberIsNeverDispatchedAndFailsWithTheRule() {
        User user = newUser();
        String listed = usNumber();
        String allowed = usNumber();
        assertThat(post("/api/dnc", "{\"phone_number\":\"" + listed + "\"}").status()).isEqualTo(201);
        String refused = due(user, listed, zoneAtLocalHour(12));
        String control = due(user, allowed, zoneAtLocalHour(12));

        await().atMost(Duration.ofSeconds(15)).until(() -> row(control).get("provider_call_id") != null
                && "FAILED".equals(row(refused).get("status")));
        assertThat(retell.callsTo(allowed)).hasSize(1);
        assertThat(retell.callsTo(listed)).isEmpty();
        Map<String, Object> blocked = row(refused);
        assertThat(blocked.get("compliance_rule")).isEqualTo("DNC");
        Reply detail = as(user, "GET", "/api/calls/" + refused, null);
        assertThat(detail.text("status")).isEqualTo("FAILED");
        assertThat(detail.text("failure_reason")).startsWith("Blocked by compliance rule DNC");
        await().atMost(Duration.ofSeconds(10)).until(() -> events(refused).contains("CALL_FAILED"));
        assertThat(jdbc.queryForObject("SELECT payload->>'compliance_rule' FROM outbox WHERE aggregate_key = ? "
                + "AND event_type = 'CALL_FAILED'", String.class, refused)).isEqualTo("DNC");
    }

    @Test
    void aCallOutsideTheCalleesWindowIsRescheduledToWhenTheWindowOpensThere() {
        User user = newUser();
        String night = zoneAtLocalHour(3);
        String phone = usNumber();
        String allowed = usNumber();
        String refused = due(user, phone, night);
        String control = due(user, allowed, zoneAtLocalHour(12));

        await().atMost(Duration.ofSeconds(15)).until(() -> row(control).get("provider_call_id") != null
                && "QUIET_HOURS".equals(row(refused).get("compliance_rule")));
        assertThat(retell.callsTo(phone)).isEmpty();
        Map<String, Object> moved = row(refused);
        assertThat(moved.get("status")).isEqualTo("SCHEDULED");
        assertThat(moved.get("dispatched_at")).as("back in the queue").isNull();
        Instant at = ((java.sql.Timestamp) moved.get("scheduled_at")).toInstant();
        // 08:00 in the callee's zone (the default window's start), within the next day
        assertThat(at.atZone(ZoneId.of(night)).toLocalTime()).isEqualTo(LocalTime.of(8, 0));
        assertThat(at).isBetween(Instant.now(), Instant.now().plus(Duration.ofHours(24)));
        Reply detail = as(user, "GET", "/api/calls/" + refused, null);
        assertThat(java.time.OffsetDateTime.parse(detail.text("scheduled_at")).toInstant()).isEqualTo(at);
        await().atMost(Duration.ofSeconds(10)).until(() -> events(refused).contains("AI_CALL_RESCHEDULED"));
        Map<String, Object> event = jdbc.queryForMap("SELECT payload->>'compliance_rule' AS rule, "
                + "payload->>'scheduled_at' AS at FROM outbox WHERE aggregate_key = ? AND event_type = 'AI_CALL_RESCHEDULED'",
                refused);
        assertThat(event.get("rule")).isEqualTo("QUIET_HOURS");
        assertThat(Instant.parse((String) event.get("at"))).isEqualTo(at);
    }

    @Test
    void aNumberCalledTooOftenIsNotDialledAgainWithinTheDay() {
        User user = newUser();
        String phone = usNumber();
        String[] calls = new String[4];
        for (int i = 0; i < 3; i++) {
            String id = due(user, phone, zoneAtLocalHour(12));
            await().atMost(Duration.ofSeconds(15)).until(() -> row(id).get("provider_call_id") != null);
            calls[i] = id;
        }
        calls[3] = due(user, phone, zoneAtLocalHour(12));
        await().atMost(Duration.ofSeconds(15)).until(() -> "MAX_ATTEMPTS_24H".equals(row(calls[3]).get("compliance_rule")));
        assertThat(retell.callsTo(phone)).hasSize(3);
        Instant at = ((java.sql.Timestamp) row(calls[3]).get("scheduled_at")).toInstant();
        assertThat(at).isAfter(Instant.now().plus(Duration.ofHours(23)));
    }
}
