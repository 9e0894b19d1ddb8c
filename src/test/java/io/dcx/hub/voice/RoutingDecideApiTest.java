package io.dcx.hub.voice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.VoiceTestBase;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** PRD §13.2: the routing decision without placing a call, for SERVICE callers. */
class RoutingDecideApiTest extends VoiceTestBase {

    @Test
    void serviceGetsTheDecisionWithFallbacksAndSkipReasons() {
        post("/api/users", "{\"username\":\"router-svc\",\"password\":\"router-password\",\"role\":\"SERVICE\"}");
        String service = token("router-svc", "router-password");
        String[] c = campaign("\"max_ring_seconds\":45");
        String[] primary = buyer(c[0], 1, null, null);
        String[] second = buyer(c[0], 2, null, null);
        String[] inactive = buyer(c[0], 1, "\"status\":\"INACTIVE\"", null);
        String today = LocalDate.now(ZoneOffset.UTC).getDayOfWeek().name().substring(0, 3);
        String otherDays = Arrays.stream(new String[] {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"})
                .filter(d -> !d.equals(today)).map(d -> "\"" + d + "\"").collect(Collectors.joining(","));
        String[] closed = buyer(c[0], 1, "\"schedule_timezone\":\"UTC\",\"schedule_rules\":[{\"days\":[" + otherDays
                + "],\"start\":\"00:00\",\"end\":\"23:59\"}]", null);

        Reply r = send("POST", "/internal/routing/decide", "{\"campaign_id\":\"" + c[0]
                + "\",\"from_number\":\"+15551234567\",\"to_number\":\"" + c[1] + "\",\"geo\":{\"country\":\"US\",\"state\":\"FL\"}}",
                service);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode d = r.json();
        assertThat(d.path("buyer_id").asText()).isEqualTo(primary[0]);
        assertThat(d.path("destination_value").asText()).isEqualTo(primary[1]);
        assertThat(d.path("destination_type").asText()).isEqualTo("PHONE_NUMBER");
        assertThat(d.path("max_ring_seconds").asInt()).isEqualTo(45);
        assertThat(d.path("fallbacks").get(0).path("buyer_id").asText()).isEqualTo(second[0]);
        assertThat(d.path("skipped").toString()).contains(inactive[0]).contains("INACTIVE").contains(closed[0]).contains("SCHEDULE");
        // a preview reserves nothing
        assertThat(jdbc.queryForList("SELECT 1 FROM buyer_capacity WHERE buyer_id = ?::uuid", primary[0])).isEmpty();
    }

    @Test
    void unknownCampaignIs422AndOtherRolesAre403() {
        Reply unknown = post("/internal/routing/decide", "{\"campaign_id\":\"" + UUID.randomUUID() + "\"}");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.text("field")).isEqualTo("campaign_id");
        // an empty id passes the contract's uuid format; it is an unknown campaign too, not a 500 (found by the fuzzer)
        Reply empty = post("/internal/routing/decide", "{\"campaign_id\":\"\"}");
        assertThat(empty.status()).as(empty.body()).isIn(400, 422);
        assertThat(empty.contentType()).startsWith("application/problem+json");

        post("/api/users", "{\"username\":\"plain-user\",\"password\":\"plain-password\",\"role\":\"USER\"}");
        Reply forbidden = send("POST", "/internal/routing/decide", "{\"campaign_id\":\"" + UUID.randomUUID() + "\"}",
                token("plain-user", "plain-password"));
        assertThat(forbidden.status()).isEqualTo(403);
    }
}
