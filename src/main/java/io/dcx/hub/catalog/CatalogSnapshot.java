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
    private volatile View view = new View(Map.of(), Map.of(), "");

    public CatalogSnapshot(CatalogStore store) {
        this.store = store;
    }

    public record Number(UUID id, String e164, UUID campaignId, UUID supplierId, boolean active, String numberType) {}

    public record Campaign(UUID id, String name, boolean active, UUID supplierId, Set<String> allowedStates,
            boolean recordingDefault, String recordingConsentSource, int maxRingSeconds, int duplicateWindowSeconds, String fallbackNumber,
            String fallbackMessage, List<RoutingCandidate> candidates) {}

    private record View(Map<String, Number> numbers, Map<UUID, Campaign> campaigns, String fingerprint) {}

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
        view = new View(Map.copyOf(numbers), Map.copyOf(campaigns), fingerprint);
        log.debug("Routing snapshot reloaded: {} numbers, {} campaigns", numbers.size(), campaigns.size());
    }

    /** US toll-free prefixes (NANP 8XX); everything else is priced as a local number. */
    static String numberType(String e164) {
        return e164 != null && e164.matches("^\\+18(00|33|44|55|66|77|88)\\d{7}$") ? "TOLL_FREE" : "LOCAL";
    }
}
