package io.dcx.hub.catalog;

import io.dcx.hub.resource.ResourceRepository;
import io.dcx.hub.routing.RoutingCandidate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The routing view of the catalog, held in memory so answering Twilio needs no catalog query (PRD REQ-OBS-3):
 * DID → number, campaign → settings and routing candidates. Rebuilt after every catalog change committed through
 * this instance, and by a timer when another instance changed it (see {@link CatalogRefreshRoutes}).
 */
@Component
public class CatalogSnapshot {

    private static final Logger log = LoggerFactory.getLogger(CatalogSnapshot.class);
    private static final Set<String> CATALOG_TABLES = Set.of("suppliers", "buyers", "campaigns", "offers", "phone_numbers");

    private final CatalogStore store;
    private volatile View view = new View(Map.of(), Map.of(), "", Exchanges.NONE);

    public CatalogSnapshot(CatalogStore store) {
        this.store = store;
    }

    public record Number(UUID id, String e164, UUID campaignId, UUID supplierId, boolean active, String numberType) {}

    public record Campaign(UUID id, String name, boolean active, UUID supplierId, Set<String> allowedStates,
            boolean recordingDefault, String recordingConsentSource, int maxRingSeconds, int duplicateWindowSeconds, String fallbackNumber,
            String fallbackMessage, List<RoutingCandidate> candidates) {}

    private record View(Map<String, Number> numbers, Map<UUID, Campaign> campaigns, String fingerprint, Exchanges exchanges) {}

    /** An offer whose buyer takes part in the campaign's RTB auction: its endpoint and the smallest bid it accepts. */
    public record Bidder(UUID offerId, UUID buyerId, String endpoint, long floorCents) {}

    /**
     * A campaign with RTB bidders: the auction's hard deadline, its ping cap per publisher and minute (null = none),
     * and its bidders by offer id.
     */
    public record Auction(UUID campaignId, int deadlineMs, Integer pingCapPerMinute, Map<UUID, Bidder> bidders) {}

    /**
     * The exchange hooks of the catalog: RTB auctions by campaign, pre-dial URLs by buyer, numbers by campaign, and
     * whether any number is in a pool (DYNAMIC).
     */
    record Exchanges(Map<UUID, Auction> auctions, Map<UUID, String> beforeDial, Map<UUID, List<Number>> numbersByCampaign,
            boolean numberPools) {
        static final Exchanges NONE = new Exchanges(Map.of(), Map.of(), Map.of(), false);
    }

    /** The campaign's RTB auction, or null when none of its offers has a buyer with an RTB endpoint (no allocation). */
    public Auction auction(UUID campaignId) {
        return campaignId == null ? null : view.exchanges().auctions().get(campaignId);
    }

    /** The buyer's pre-dial accept/reject URL, or null when it has none (no allocation). */
    public String beforeDialUrl(UUID buyerId) {
        return buyerId == null ? null : view.exchanges().beforeDial().get(buyerId);
    }

    /**
     * Whether any number is a pool (DYNAMIC) number: without one no call can be attributed to a lease, and the
     * attribution of every started call (a statement per call) is skipped.
     */
    public boolean hasNumberPools() {
        return view.exchanges().numberPools();
    }

    /** The campaign's numbers (DIDs). */
    public List<Number> numbersOf(UUID campaignId) {
        return campaignId == null ? List.of() : view.exchanges().numbersByCampaign().getOrDefault(campaignId, List.of());
    }

    public Optional<Number> number(String e164) {
        return Optional.ofNullable(e164 == null ? null : view.numbers().get(e164));
    }

    public Optional<Campaign> campaign(UUID id) {
        return Optional.ofNullable(id == null ? null : view.campaigns().get(id));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void onResourceChanged(ResourceRepository.ResourceChanged change) {
        if (CATALOG_TABLES.contains(change.table())) {
            reload();
        }
    }

    /** Reloads when the catalog's fingerprint moved (cheap check; used by the timer). */
    public void refreshIfChanged() {
        if (!store.fingerprint().equals(view.fingerprint())) {
            reload();
        }
    }

    public synchronized void reload() {
        String fingerprint = store.fingerprint();
        Map<String, Number> numbers = store.numbers();
        Map<UUID, Campaign> campaigns = store.campaigns(store.candidates());
        Map<UUID, List<Number>> byCampaign = new java.util.HashMap<>();
        numbers.values().stream().filter(n -> n.campaignId() != null)
                .forEach(n -> byCampaign.computeIfAbsent(n.campaignId(), k -> new java.util.ArrayList<>()).add(n));
        byCampaign.replaceAll((k, v) -> List.copyOf(v));
        Exchanges exchanges = new Exchanges(Map.copyOf(store.auctions()), Map.copyOf(store.beforeDialUrls()), Map.copyOf(byCampaign),
                store.anyPoolNumber());
        view = new View(Map.copyOf(numbers), Map.copyOf(campaigns), fingerprint, exchanges);
        log.debug("Routing snapshot reloaded: {} numbers, {} campaigns", numbers.size(), campaigns.size());
    }

    /** US toll-free prefixes (NANP 8XX); everything else is priced as a local number. */
    static String numberType(String e164) {
        return e164 != null && e164.matches("^\\+18(00|33|44|55|66|77|88)\\d{7}$") ? "TOLL_FREE" : "LOCAL";
    }
}
