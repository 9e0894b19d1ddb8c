package io.dcx.hub.rtb;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Ping caps: at most the campaign's {@code rtb_ping_cap_per_minute} auctions per publisher (supplier) and calendar
 * minute, counted in memory on this instance (a fixed window). A capped ping pings no bidder.
 */
@Component
class PingCaps {

    private record Key(UUID campaignId, UUID publisherId) {}

    private record Window(long minute, AtomicInteger count) {}

    private final Map<Key, Window> windows = new ConcurrentHashMap<>();

    /** Counts one ping; false when the cap of this minute was already reached (null cap = no cap). */
    boolean tryPing(UUID campaignId, UUID publisherId, Integer capPerMinute, long nowMillis) {
        if (capPerMinute == null) {
            return true;
        }
        long minute = nowMillis / 60_000;
        if (windows.size() > 10_000) {
            windows.values().removeIf(w -> w.minute() < minute);
        }
        Window w = windows.compute(new Key(campaignId, publisherId),
                (k, old) -> old == null || old.minute() != minute ? new Window(minute, new AtomicInteger()) : old);
        return w.count().incrementAndGet() <= capPerMinute;
    }
}
