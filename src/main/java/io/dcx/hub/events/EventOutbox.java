package io.dcx.hub.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes events to the {@code outbox} table in the caller's transaction, so an event exists exactly when the state
 * change that caused it was committed. After the commit an {@link OutboxAppended} signal lets the relay publish at
 * once instead of waiting for its next poll.
 */
@Component
public class EventOutbox {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final ApplicationEventPublisher signals;

    public EventOutbox(JdbcTemplate jdbc, ObjectMapper json, ApplicationEventPublisher signals) {
        this.jdbc = jdbc;
        this.json = json;
        this.signals = signals;
    }

    /** Must run inside a transaction: an event without its state change (or the reverse) is the bug this prevents. */
    public void append(HubEvent event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("EventOutbox.append needs the transaction of the state change");
        }
        String payload;
        try {
            payload = json.writeValueAsString(event.envelope());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event " + event.event() + " cannot be serialised", e);
        }
        jdbc.update("INSERT INTO outbox (event_id, event_type, aggregate_key, payload) VALUES (?, ?, ?, CAST(? AS jsonb))",
                event.eventId(), event.event(), event.key(), payload);
        signals.publishEvent(new OutboxAppended());
    }

    /** Published inside the transaction; listen with {@code @TransactionalEventListener} (after commit). */
    public record OutboxAppended() {}
}
