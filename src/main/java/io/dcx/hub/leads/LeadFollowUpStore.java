package io.dcx.hub.leads;

import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of a lead's follow-ups that integrator routes send (the seed's follow-up email). */
@Component
public class LeadFollowUpStore {

    private final JdbcTemplate jdbc;

    LeadFollowUpStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** false when there is no such lead. */
    public boolean markFollowUpEmailSent(UUID leadId) {
        return jdbc.update("UPDATE leads SET follow_up_email_sent = true, updated_at = now() WHERE id = ?", leadId) > 0;
    }
}
