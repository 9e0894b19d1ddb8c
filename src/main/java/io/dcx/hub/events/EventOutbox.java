package io.dcx.hub.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes events to the {@code outbox} table in the caller's transaction, so an event exists exactly when the state
 * change that caused it was committed. After the commit an {@link OutboxAppended} signal lets the relay publish at
 * once instead of waiting for its next poll.
 */
@Component
public class EventOutbox {

    private final OutboxStore store;
    private final ObjectMapper json;
    private final ApplicationEventPublisher signals;
    private final OutboxRelay relay;

    EventOutbox(OutboxStore store, ObjectMapper json, ApplicationEventPublisher signals, OutboxRelay relay) {
        this.store = store;
        this.json = json;
        this.signals = signals;
        this.relay = relay;
    }

    /** Must run inside a transaction: an event without its state change (or the reverse) is the bug this prevents. */
    public void append(HubEvent event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("EventOutbox.append needs the transaction of the state change");
        }
        store.insert(row(event));
        appended();
    }

    /**
     * The outbox row of {@code event}, for a single statement that inserts it together with its state change; call
     * {@link #appended()} once it is inserted.
     */
    public Row row(HubEvent event) {
        try {
            return new Row(event.eventId(), event.event(), event.key(), json.writeValueAsString(event.envelope()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event " + event.event() + " cannot be serialised", e);
        }
    }

    /** Wakes the relay after the current transaction commits, or at once when the insert was its own transaction. */
    public void appended() {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            signals.publishEvent(new OutboxAppended());
        } else {
            relay.wake();
        }
    }

    /** The columns of one outbox row. */
    public record Row(java.util.UUID eventId, String eventType, String key, String payload) {}

    /** Published inside the transaction; listen with {@code @TransactionalEventListener} (after commit). */
    public record OutboxAppended() {}
}
