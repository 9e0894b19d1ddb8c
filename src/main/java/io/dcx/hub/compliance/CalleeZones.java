package io.dcx.hub.compliance;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The callee's time zone for a call that carries no lead (scheduled AI calls): the zone the call names, else the
 * main zone of the state of the number's area code, else the configured default. States spanning two zones get
 * the zone most of their people live in (plain Java, no I/O).
 */
public final class CalleeZones {

    private static final Map<String, String> STATE_ZONES = new HashMap<>();

    static {
        put("America/New_York", "CT", "DC", "DE", "FL", "GA", "IN", "KY", "MA", "MD", "ME", "MI", "NC", "NH", "NJ", "NY",
                "OH", "PA", "RI", "SC", "VA", "VT", "WV");
        put("America/Chicago", "AL", "AR", "IA", "IL", "KS", "LA", "MN", "MO", "MS", "ND", "NE", "OK", "SD", "TN", "TX",
                "WI");
        put("America/Denver", "CO", "ID", "MT", "NM", "UT", "WY");
        put("America/Phoenix", "AZ");
        put("America/Los_Angeles", "CA", "NV", "OR", "WA");
        put("America/Anchorage", "AK");
        put("Pacific/Honolulu", "HI");
        put("America/Puerto_Rico", "PR", "VI");
    }

    private static void put(String zone, String... states) {
        for (String s : states) {
            STATE_ZONES.put(s, zone);
        }
    }

    private final AreaCodeStates states;
    private final ZoneId fallback;

    public CalleeZones(AreaCodeStates states, ZoneId fallback) {
        this.states = states;
        this.fallback = fallback;
    }

    /** {@code named} when it is an IANA zone, else the number's state's zone, else the default. */
    public ZoneId zoneOf(String e164, String named) {
        if (named != null && !named.isBlank()) {
            try {
                return ZoneId.of(named.trim());
            } catch (DateTimeException e) {
                // a zone stored before validation existed: fall back to the number's
            }
        }
        Optional<String> state = states.stateOf(e164);
        return state.map(STATE_ZONES::get).map(ZoneId::of).orElse(fallback);
    }
}
