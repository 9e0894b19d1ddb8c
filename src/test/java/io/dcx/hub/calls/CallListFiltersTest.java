package io.dcx.hub.calls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.HubTestBase;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** GET /api/calls for ADMIN: every filter alone and combined, newest first, keyset pages under concurrent inserts. */
class CallListFiltersTest extends HubTestBase {

    @Autowired
    JdbcTemplate jdbc;

    record Call(String publicId, UUID campaign, UUID supplier, UUID buyer, String status, String direction,
            String provider, boolean converted, String caller, Instant createdAt) {}

    private Call insert(UUID campaign, UUID supplier, UUID buyer, String status, String direction, String provider,
            boolean converted, String caller, Instant createdAt) {
        String publicId = "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        jdbc.update("""
                INSERT INTO call_sessions (public_id, campaign_id, supplier_id, buyer_id, status, direction, provider,
                    converted, from_number, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                publicId, campaign, supplier, buyer, status, direction, provider, converted, caller,
                Timestamp.from(createdAt));
        return new Call(publicId, campaign, supplier, buyer, status, direction, provider, converted, caller, createdAt);
    }

    private List<String> ids(String query) {
        Reply r = get("/api/calls?limit=100&" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().path("items").forEach(i -> out.add(i.path("public_id").asText()));
        return out;
    }

    @Test
    void everyFilterAloneAndCombinedNewestFirst() {
        UUID campaign = UUID.randomUUID();
        UUID otherCampaign = UUID.randomUUID();
        UUID supplier = UUID.randomUUID();
        UUID buyerA = UUID.randomUUID();
        UUID buyerB = UUID.randomUUID();
        String caller = "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
        Instant t = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<Call> calls = List.of(
                insert(campaign, supplier, buyerA, "COMPLETED", "INBOUND", "TWILIO", true, caller, t.plusSeconds(1)),
                insert(campaign, supplier, buyerB, "FAILED", "INBOUND", "TWILIO", false, "+15550000001", t.plusSeconds(2)),
                insert(campaign, supplier, buyerA, "NO_ANSWER", "OUTBOUND", "VAPI", false, caller, t.plusSeconds(3)),
                insert(campaign, supplier, null, "COMPLETED", "OUTBOUND", "RETELL", true, "+15550000002", t.plusSeconds(4)),
                insert(otherCampaign, supplier, buyerA, "COMPLETED", "INBOUND", "TWILIO", true, caller, t.plusSeconds(5)),
                insert(campaign, supplier, buyerA, "COMPLETED", "INBOUND", "TWILIO", false, caller, t.plusSeconds(6)));

        String inCampaign = "campaign_id=" + campaign;
        assertThat(ids(inCampaign)).containsExactly(expected(calls, c -> c.campaign().equals(campaign)));
        assertThat(ids("supplier_id=" + supplier)).containsExactly(expected(calls, c -> true));
        assertThat(ids("buyer_id=" + buyerA)).containsExactly(expected(calls, c -> buyerA.equals(c.buyer())));
        assertThat(ids(inCampaign + "&status=COMPLETED"))
                .containsExactly(expected(calls, c -> c.campaign().equals(campaign) && c.status().equals("COMPLETED")));
        assertThat(ids(inCampaign + "&direction=OUTBOUND"))
                .containsExactly(expected(calls, c -> c.campaign().equals(campaign) && c.direction().equals("OUTBOUND")));
        assertThat(ids(inCampaign + "&provider=VAPI")).containsExactly(calls.get(2).publicId());
        assertThat(ids(inCampaign + "&converted=true"))
                .containsExactly(expected(calls, c -> c.campaign().equals(campaign) && c.converted()));
        assertThat(ids(inCampaign + "&converted=false"))
                .containsExactly(expected(calls, c -> c.campaign().equals(campaign) && !c.converted()));
        // the caller's + unencoded arrives as a space; both spellings find the same calls
        assertThat(ids("caller=" + caller.replace("+", "%2B")))
                .containsExactly(expected(calls, c -> caller.equals(c.caller())));
        assertThat(ids("caller=" + caller)).containsExactly(expected(calls, c -> caller.equals(c.caller())));
        assertThat(ids(inCampaign + "&from=" + t.plusSeconds(2) + "&to=" + t.plusSeconds(4)))
                .containsExactly(calls.get(2).publicId(), calls.get(1).publicId());
        // every filter at once
        assertThat(ids(inCampaign + "&supplier_id=" + supplier + "&buyer_id=" + buyerA + "&status=COMPLETED"
                + "&direction=INBOUND&provider=TWILIO&converted=false&caller=" + caller.replace("+", "%2B")
                + "&from=" + t + "&to=" + t.plusSeconds(60))).containsExactly(calls.get(5).publicId());

        assertThat(get("/api/calls?campaign_id=nope").status()).isEqualTo(400);
        assertThat(get("/api/calls?converted=maybe").status()).isEqualTo(400);
        assertThat(get("/api/calls?from=yesterday").status()).isEqualTo(400);
        assertThat(get("/api/calls?from=" + t.plusSeconds(9) + "&to=" + t).status()).isEqualTo(400);
        assertThat(get("/api/calls?direction=SIDEWAYS").status()).isEqualTo(400);
    }

    private static String[] expected(List<Call> calls, java.util.function.Predicate<Call> filter) {
        return calls.stream().filter(filter).sorted((a, b) -> b.createdAt().compareTo(a.createdAt()))
                .map(Call::publicId).toArray(String[]::new);
    }

    @Test
    void pagesNeverRepeatNorSkipACallWhileNewCallsArrive() throws Exception {
        UUID campaign = UUID.randomUUID();
        Set<String> before = new HashSet<>();
        Instant base = Instant.now().minus(1, ChronoUnit.HOURS);
        for (int i = 0; i < 45; i++) {
            // groups of three calls share a creation time: the id breaks the tie
            before.add(insert(campaign, null, null, "COMPLETED", "INBOUND", "TWILIO", false, null,
                    base.plusMillis((i / 3) * 10L)).publicId());
        }
        AtomicBoolean paging = new AtomicBoolean(true);
        AtomicInteger arrived = new AtomicInteger();
        Thread arrivals = new Thread(() -> {
            while (paging.get()) {
                insert(campaign, null, null, "RINGING", "INBOUND", "TWILIO", false, null, Instant.now());
                arrived.incrementAndGet();
            }
        });
        arrivals.start();
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        try {
            do {
                Reply r = get("/api/calls?limit=4&campaign_id=" + campaign + (token == null ? "" : "&next_token=" + token));
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                for (JsonNode item : r.json().path("items")) {
                    seen.add(item.path("public_id").asText());
                }
                token = r.json().path("next_token").isNull() ? null : r.json().path("next_token").asText();
                pages++;
                if (pages == 1) { // the positive signal: calls arrive while we page
                    long until = System.nanoTime() + 10_000_000_000L;
                    while (arrived.get() < 3 && System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
            } while (token != null);
        } finally {
            paging.set(false);
            arrivals.join();
        }
        assertThat(arrived.get()).isGreaterThanOrEqualTo(3);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(before);
        // the older calls came in order after whatever had arrived before page one: none was skipped in between
        assertThat(seen.subList(seen.size() - before.size(), seen.size())).containsExactlyInAnyOrderElementsOf(before);
    }
}
