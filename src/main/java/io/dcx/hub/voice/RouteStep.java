package io.dcx.hub.voice;

import io.dcx.hub.routing.RoutingCandidate;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One buyer of a call's routing stack: what reserving and dialling it needs. The call keeps the rest of its stack as
 * offer ids ({@code routing_offers}, V43), so whichever instance gets the {@code <Dial action>} callback can reserve
 * and dial the next buyer without routing again.
 */
public record RouteStep(UUID offerId, UUID buyerId, String destinationType, String destination, LocalDate buyerDay,
        int concurrencyLimit, Integer buyerCap, Integer offerCap, boolean record) {

    static RouteStep of(RoutingCandidate c, LocalDate buyerDay, boolean campaignRecordingDefault) {
        // per-buyer override: null follows the campaign, false is a restricted buyer
        boolean record = c.buyerRecordingEnabled() == null ? campaignRecordingDefault : c.buyerRecordingEnabled();
        return new RouteStep(c.offerId(), c.buyerId(), c.destinationType(), c.destination(), buyerDay,
                c.buyerConcurrencyLimit(), c.buyerDailyCap(), c.offerDailyCap(), record);
    }

    /** The same step dialling another destination (an RTB winner's number or SIP URI). */
    RouteStep withDestination(String newDestination) {
        String type = newDestination.startsWith("sip") ? "SIP" : "PHONE_NUMBER";
        return new RouteStep(offerId, buyerId, type, newDestination, buyerDay, concurrencyLimit, buyerCap, offerCap, record);
    }
}
