package io.dcx.hub.routing;

import java.time.ZoneId;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared {@link ZoneId} instance per zone id. The catalog parses a zone per buyer row; canonical instances
 * make the per-decision zone cache an identity hit on a handful of hot objects instead of a string comparison
 * against each buyer's own copy.
 */
final class Zones {

    private static final ConcurrentHashMap<ZoneId, ZoneId> CANONICAL = new ConcurrentHashMap<>();

    private Zones() {
    }

    static ZoneId canonical(ZoneId zone) {
        ZoneId known = CANONICAL.putIfAbsent(zone, zone);
        return known == null ? zone : known;
    }
}
