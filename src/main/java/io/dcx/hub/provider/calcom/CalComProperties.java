package io.dcx.hub.provider.calcom;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cal.com API v2 as the Vapi booking tools use it ({@code dcx.calcom.*}).
 *
 * @param apiBaseUrl           Cal.com's API ({@code https://api.cal.com}); a stand-in in tests
 * @param apiKey               {@code CALCOM_API_KEY}, sent as {@code Authorization: Bearer}
 * @param eventTypeId          the event type appointments are booked on
 * @param slotsApiVersion      {@code cal-api-version} of {@code GET /v2/slots}
 * @param bookingsApiVersion   {@code cal-api-version} of {@code POST /v2/bookings}
 * @param timeout              per request (the tool answer has to reach Vapi within its own deadline)
 * @param maxSlots             slots told to the assistant per availability check
 */
@ConfigurationProperties("dcx.calcom")
public record CalComProperties(
        @DefaultValue("https://api.cal.com") String apiBaseUrl,
        String apiKey,
        Long eventTypeId,
        @DefaultValue("2024-09-04") String slotsApiVersion,
        @DefaultValue("2024-08-13") String bookingsApiVersion,
        @DefaultValue("8s") Duration timeout,
        @DefaultValue("12") int maxSlots) {

    public boolean configured() {
        return apiKey != null && !apiKey.isBlank() && eventTypeId != null;
    }
}
