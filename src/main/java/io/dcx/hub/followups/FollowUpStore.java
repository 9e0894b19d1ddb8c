package io.dcx.hub.followups;

import io.dcx.hub.support.SettingsStore;
import io.dcx.hub.work.JobTable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of follow-up e-mails: one row per lead and kind ({@code follow_up_emails}, the durable work item, leased in
 * the claim), the lead's {@code follow_up_email_sent}, and the templates (settings row {@code email_templates}).
 */
@Component
class FollowUpStore {

    /** A claimed e-mail with the lead's contact details and the template of its kind (JSON text). */
    record Email(UUID id, int attempts, String kind, UUID leadId, String contactName, String companyName,
            String address, String bookingUid, String template) {}

    private static final String TEMPLATES = "email_templates";

    private final JdbcTemplate jdbc;
    private final SettingsStore settings;
    private final JobTable emails;

    FollowUpStore(JdbcTemplate jdbc, SettingsStore settings) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.emails = new JobTable(jdbc, "follow_up_emails", "SENDING", "TRUE", "");
    }

    /** The lead's e-mail of this kind, unless it has one already (each kind is sent once per lead). */
    Optional<UUID> enqueue(UUID leadId, String kind) {
        return jdbc.queryForList("""
                INSERT INTO follow_up_emails (lead_id, kind) SELECT id, ? FROM leads WHERE id = ?
                ON CONFLICT (lead_id, kind) DO NOTHING RETURNING id""", UUID.class, kind, leadId).stream().findFirst();
    }

    /** Due e-mails leased to this instance (SENDING, attempts + 1): pending ones, and those of crashed workers. */
    List<UUID> claimDue(Duration lease) {
        return emails.claimDue(lease);
    }

    Optional<Email> claimed(UUID id) {
        return jdbc.query("""
                SELECT f.id, f.attempts, f.kind, l.id AS lead_id, l.contact_name, l.company_name, l.email,
                       l.cal_booking_uid,
                       (SELECT value -> (CASE f.kind WHEN 'BOOKING_CONFIRMATION' THEN 'booking_confirmation'
                                                     WHEN 'MISSED_CALL' THEN 'missed_call'
                                                     ELSE 'not_interested' END)
                        FROM settings WHERE key = 'email_templates')::text AS template
                FROM follow_up_emails f JOIN leads l ON l.id = f.lead_id
                WHERE f.id = ? AND f.status = 'SENDING'""",
                (rs, i) -> new Email(rs.getObject("id", UUID.class), rs.getInt("attempts"), rs.getString("kind"),
                        rs.getObject("lead_id", UUID.class), rs.getString("contact_name"),
                        rs.getString("company_name"), rs.getString("email"), rs.getString("cal_booking_uid"),
                        rs.getString("template")), id).stream().findFirst();
    }

    /** Run inside a transaction: the e-mail SENT and the lead's follow_up_email_sent; false when no longer held. */
    boolean sent(Email email, String providerId) {
        if (jdbc.update("""
                UPDATE follow_up_emails SET status = 'SENT', sent_at = now(), provider_message_id = ?, locked_at = NULL,
                    last_error = NULL, updated_at = now()
                WHERE id = ? AND status = 'SENDING'""", providerId, email.id()) != 1) {
            return false;
        }
        jdbc.update("UPDATE leads SET follow_up_email_sent = true, updated_at = now() WHERE id = ?", email.leadId());
        return true;
    }

    /** Not sendable (no address, no template): kept with the reason, never tried again. */
    void skipped(UUID id, String reason) {
        emails.finish(id, "SKIPPED", reason);
    }

    void retryAt(UUID id, String reason, Duration wait) {
        emails.retryAt(id, reason, wait);
    }

    void failed(UUID id, String reason) {
        emails.finish(id, "FAILED", reason);
    }

    /** A lead's follow-up e-mails, oldest first. */
    List<java.util.Map<String, Object>> ofLead(UUID leadId) {
        return jdbc.queryForList("""
                SELECT id, kind, status, attempts, last_error, provider_message_id, sent_at, created_at
                FROM follow_up_emails WHERE lead_id = ? ORDER BY created_at, kind""", leadId);
    }

    /** Whether follow-ups are on ({@code enabled} of the templates row; off when missing). */
    boolean enabled() {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT coalesce((SELECT (value->>'enabled')::boolean FROM settings WHERE key = 'email_templates'), false)""",
                Boolean.class));
    }

    String templates() {
        return settings.json(TEMPLATES);
    }

    /** Locks the templates row for a read-modify-write. */
    String templatesForUpdate() {
        return settings.lock(TEMPLATES, "{}");
    }

    void saveTemplates(String json) {
        settings.put(TEMPLATES, json);
    }
}
