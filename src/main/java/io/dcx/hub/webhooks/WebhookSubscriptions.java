package io.dcx.hub.webhooks;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Which event types any webhook endpoint (enabled or not) subscribes to, held in memory so the fan-out skips the
 * database for events nobody wants — most call lifecycle events in a hub without webhooks. Reloaded right after an
 * endpoint is created or its filter changes on this instance, and on a timer for changes made on other instances.
 * Until the first load it matches everything, so nothing is skipped by mistake.
 */
@Component
public class WebhookSubscriptions {

    private record Index(boolean all, Set<String> types) {}

    private static final Index UNKNOWN = new Index(true, Set.of());

    private final WebhookEndpointStore endpoints;
    private volatile Index index = UNKNOWN;

    WebhookSubscriptions(WebhookEndpointStore endpoints) {
        this.endpoints = endpoints;
    }

    /** Published inside the transaction that created an endpoint or changed its event filter. */
    public record Changed() {}

    public boolean anyEndpointWants(String eventType) {
        Index i = index;
        return i.all() || i.types().contains(eventType);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void onChanged(Changed changed) {
        reload();
    }

    public void reload() {
        boolean all = false;
        Set<String> types = new HashSet<>();
        for (List<String> filter : endpoints.eventFilters()) {
            all |= filter.isEmpty(); // an empty filter means every event
            types.addAll(filter);
        }
        index = new Index(all, Set.copyOf(types));
    }
}
