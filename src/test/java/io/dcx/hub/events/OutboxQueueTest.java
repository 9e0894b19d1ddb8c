package io.dcx.hub.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.HubTestBase;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The relay's queue (V16): every outbox insert queues its id, and the lag gauge reads the oldest queued row. */
class OutboxQueueTest extends HubTestBase {

    @Autowired
    TransactionTemplate tx;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void everyOutboxRowIsQueuedAndTheLagIsTheAgeOfTheOldestQueuedRow() {
        // inside a transaction that is rolled back: the relay never sees these rows
        tx.executeWithoutResult(status -> {
            UUID old = UUID.randomUUID();
            UUID recent = UUID.randomUUID();
            // a row queued an hour ago and never published (its relay died), then one just now
            for (UUID id : new UUID[] {old, recent}) {
                jdbc.update("INSERT INTO outbox (event_id, event_type, aggregate_key, payload, created_at) VALUES "
                        + "(?, 'TEST_QUEUE', 'k', '{}'::jsonb, now() - CAST(? AS interval))", id, id == old ? "1 hour" : "0 s");
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox_pending p JOIN outbox o ON o.id = p.id "
                    + "WHERE o.event_id IN (?, ?)", Integer.class, old, recent)).isEqualTo(2);
            assertThat(OutboxMetrics.lagSeconds(jdbc)).isBetween(3600.0, 3700.0);
            status.setRollbackOnly();
        });
    }
}
