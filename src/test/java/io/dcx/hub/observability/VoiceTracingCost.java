package io.dcx.hub.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.VoiceTestBase;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * What one inbound voice call costs the hub, measured without a clock (the machine is shared): bytes allocated by
 * the hub's threads per call (every thread of the JVM but the test's own, {@code ThreadMXBean}), over {@link #CALLS}
 * sequential calls after a warm-up. Subclasses run it with tracing off and on; docs/benchmarks.md has the figures.
 */
abstract class VoiceTracingCost extends VoiceTestBase {

    static final int WARM_UP = 300;
    static final int CALLS = 1000;

    /** Bytes allocated per call by every thread but this one (and those {@code skip} names). */
    long allocatedPerCall(String... skip) {
        String[] c = campaign(null);
        buyer(c[0], 1, "\"concurrency_limit\":100000", null);
        for (int i = 0; i < WARM_UP; i++) {
            call(c[1]);
        }
        Map<Long, Long> before = allocated(skip);
        for (int i = 0; i < CALLS; i++) {
            call(c[1]);
        }
        Map<Long, Long> after = allocated(skip);
        long total = 0;
        for (var e : after.entrySet()) {
            total += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return total / CALLS;
    }

    private void call(String did) {
        Reply r = twilio("/twilio/voice", inbound(callSid(), "+14155550100", did));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("<Dial");
    }

    private static Map<Long, Long> allocated(String... skip) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        var infos = threads.getThreadInfo(ids);
        Map<Long, Long> out = new HashMap<>();
        long self = Thread.currentThread().getId();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == self || infos[i] == null || bytes[i] < 0 || skipped(infos[i].getThreadName(), skip)) {
                continue;
            }
            out.put(ids[i], bytes[i]);
        }
        return out;
    }

    private static boolean skipped(String name, String... skip) {
        for (String s : skip) {
            if (name.startsWith(s)) {
                return true;
            }
        }
        return false;
    }
}
