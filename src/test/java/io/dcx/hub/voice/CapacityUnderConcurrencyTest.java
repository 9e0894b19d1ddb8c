package io.dcx.hub.voice;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.VoiceTestBase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 200 concurrent inbound calls against a buyer with concurrency 10 and daily cap 50: never more than 10 active,
 * exactly 50 routed to it that day, every other call to the next buyer. Calls end (and free their slot) a few
 * milliseconds after they are routed, so slots are reused and the daily cap, not concurrency, ends the run.
 */
class CapacityUnderConcurrencyTest extends VoiceTestBase {

    @Test
    void capsHoldUnderConcurrentCalls() throws Exception {
        String[] c = campaign(null);
        String[] capped = buyer(c[0], 1, "\"concurrency_limit\":10,\"daily_cap\":50", null);
        String[] overflow = buyer(c[0], 2, "\"concurrency_limit\":1000", null);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger maxActive = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                List<Integer> active = jdbc.queryForList("SELECT active_calls FROM buyer_capacity WHERE buyer_id = ?::uuid",
                        Integer.class, capped[0]);
                if (!active.isEmpty()) {
                    maxActive.accumulateAndGet(active.get(0), Math::max);
                }
            }
        });
        sampler.start();

        ExecutorService pool = Executors.newFixedThreadPool(40);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                String sid = callSid();
                String twiml = twilio("/twilio/voice", inbound(sid, String.format("+1305556%04d", n), c[1])).body();
                Thread.sleep(ThreadLocalRandom.current().nextInt(2, 15));
                twilio("/twilio/status", completed(sid));
                return twiml;
            }));
        }
        int toCapped = 0;
        int toOverflow = 0;
        for (Future<String> f : results) {
            String twiml = f.get(60, TimeUnit.SECONDS);
            if (twiml.contains(">" + capped[1] + "</Number>")) {
                toCapped++;
            } else if (twiml.contains(">" + overflow[1] + "</Number>")) {
                toOverflow++;
            }
        }
        pool.shutdown();
        running.set(false);
        sampler.join();

        assertThat(toCapped).isEqualTo(50);
        assertThat(toOverflow).isEqualTo(150);
        assertThat(maxActive.get()).isBetween(1, 10);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_sessions WHERE buyer_id = ?::uuid", Integer.class, capped[0]))
                .isEqualTo(50);
        assertThat(jdbc.queryForObject("SELECT used FROM daily_cap_usage WHERE scope_type = 'BUYER' AND scope_id = ?::uuid",
                Integer.class, capped[0])).isEqualTo(50);
        // every call ended, so every slot came back exactly once
        assertThat(jdbc.queryForObject("SELECT active_calls FROM buyer_capacity WHERE buyer_id = ?::uuid", Integer.class, capped[0]))
                .isZero();
        // and the calls that skipped the capped buyer say why
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM call_sessions WHERE campaign_id = ?::uuid
                AND routing_skips @> '[{"reason":"DAILY_CAP"}]'::jsonb""", Integer.class, c[0])).isPositive();
    }

    private static Map<String, String> completed(String sid) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("CallSid", sid);
        p.put("CallStatus", "completed");
        p.put("CallbackSource", "call-progress-events");
        p.put("SequenceNumber", "3");
        p.put("CallDuration", "42");
        return p;
    }
}
