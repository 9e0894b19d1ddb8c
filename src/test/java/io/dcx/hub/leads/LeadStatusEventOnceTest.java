package io.dcx.hub.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.HubTestBase;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** One LEAD_STATUS_CHANGED per change: the trigger announces other paths' changes, never the application's own. */
class LeadStatusEventOnceTest extends HubTestBase {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate tx;

    private int events(String leadId) {
        return jdbc.queryForObject("SELECT count(*) FROM outbox WHERE event_type = 'LEAD_STATUS_CHANGED' AND aggregate_key = ?",
                Integer.class, leadId);
    }

    @Test
    void theTriggerAnnouncesOtherPathsAndStandsAsideForTheApplication() {
        String lead = post("/api/leads", "{\"contact_name\":\"Once\",\"phone\":\"+1917" + String.format("%07d",
                (int) (Math.random() * 9_000_000) + 1_000_000) + "\"}").text("id");

        assertThat(patch("/api/leads/" + lead, "{\"status\":\"not_interested\"}").status()).isEqualTo(200);
        assertThat(events(lead)).isEqualTo(1); // an admin PATCH: announced by the trigger

        tx.executeWithoutResult(s -> {
            LeadStore.announcedByTheApplication(jdbc);
            jdbc.update("UPDATE leads SET status = 'pending' WHERE id = ?", UUID.fromString(lead));
        });
        assertThat(events(lead)).isEqualTo(1); // the application announces this one itself

        jdbc.update("UPDATE leads SET status = 'calling' WHERE id = ?", UUID.fromString(lead));
        assertThat(events(lead)).isEqualTo(2); // the flag was transaction-local
    }
}
