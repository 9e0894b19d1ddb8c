package io.dcx.hub.leads;

import io.dcx.hub.resource.KeysetPage;
import java.sql.Connection;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of lead imports: the job ({@code lead_import_jobs}), a batch of rows' leads (one multi-row INSERT with array
 * parameters) and report rows ({@code lead_import_rows}), and the report's pages. The callers hold the transactions.
 */
@Component
class LeadImportStore {

    /** A job that was PENDING and now runs; {@code campaign} may be null (leads without a campaign). */
    record Started(UUID campaign, UUID owner) {}

    /** One report row; {@code leadId} set when accepted. */
    record ReportRow(int number, String status, String reason, String field, UUID leadId) {}

    private final JdbcTemplate jdbc;

    LeadImportStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean campaignExists(UUID id) {
        return !jdbc.queryForList("SELECT 1 FROM campaigns WHERE id = ?", Integer.class, id).isEmpty();
    }

    void createJob(UUID jobId, UUID campaign, String filename, int rows, String createdBy, UUID owner) {
        jdbc.update("""
                INSERT INTO lead_import_jobs (id, campaign_id, filename, status, rows_total, created_by, owner_user_id)
                VALUES (?, ?, ?, 'PENDING', ?, ?, ?)""", jobId, campaign, filename, rows, createdBy, owner);
    }

    /** Marks a PENDING job RUNNING; null when it is not PENDING (another worker took it, or it ran already). */
    Started start(UUID jobId) {
        List<Started> started = jdbc.query("""
                UPDATE lead_import_jobs SET status = 'RUNNING', started_at = now(), updated_at = now()
                WHERE id = ? AND status = 'PENDING' RETURNING campaign_id, owner_user_id""",
                (rs, i) -> new Started(rs.getObject("campaign_id", UUID.class), rs.getObject("owner_user_id", UUID.class)),
                jobId);
        return started.isEmpty() ? null : started.get(0);
    }

    void complete(UUID jobId) {
        jdbc.update("""
                UPDATE lead_import_jobs SET status = 'COMPLETED', rows_total = rows_done, finished_at = now(),
                    updated_at = now()
                WHERE id = ?""", jobId);
    }

    void fail(UUID jobId, String error) {
        jdbc.update("""
                UPDATE lead_import_jobs SET status = 'FAILED', error = ?, finished_at = now(), updated_at = now()
                WHERE id = ?""", error, jobId);
    }

    /**
     * Inserts the leads (ids given, in order) with ON CONFLICT DO NOTHING; returns the ids inserted: a lead not
     * returned hit the campaign's unique phone.
     */
    List<UUID> insertLeads(UUID campaign, UUID owner, UUID[] ids, List<LeadCsv.LeadRow> leads) {
        int n = leads.size();
        Object[][] text = new Object[8][n];
        Boolean[] consent = new Boolean[n];
        Timestamp[] consentAt = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            LeadCsv.LeadRow l = leads.get(i);
            text[0][i] = l.companyName();
            text[1][i] = l.contactName();
            text[2][i] = l.phone();
            text[3][i] = l.email();
            text[4][i] = l.timezone();
            text[5][i] = l.consentSource();
            text[6][i] = l.consentText();
            text[7][i] = l.consentUrl();
            consent[i] = l.consent();
            consentAt[i] = l.consentAt() == null ? null : Timestamp.from(l.consentAt());
        }
        return jdbc.execute((Connection c) -> {
            try (var ps = c.prepareStatement("""
                    INSERT INTO leads (id, campaign_id, company_name, contact_name, phone, email, timezone,
                        consent, consent_source, consent_at, consent_text, consent_url, owner_user_id)
                    SELECT u.id, ?, u.company_name, u.contact_name, u.phone, u.email, u.timezone, u.consent,
                           u.consent_source, u.consent_at, u.consent_text, u.consent_url, ?::uuid
                    FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[],
                                ?::text[], ?::timestamptz[], ?::text[], ?::text[])
                         WITH ORDINALITY AS u(id, company_name, contact_name, phone, email, timezone, consent,
                                              consent_source, consent_at, consent_text, consent_url, ord)
                    ORDER BY u.ord
                    ON CONFLICT DO NOTHING
                    RETURNING id""")) {
                ps.setObject(1, campaign);
                ps.setObject(2, owner);
                ps.setArray(3, c.createArrayOf("uuid", ids));
                ps.setArray(4, c.createArrayOf("text", text[0]));
                ps.setArray(5, c.createArrayOf("text", text[1]));
                ps.setArray(6, c.createArrayOf("text", text[2]));
                ps.setArray(7, c.createArrayOf("text", text[3]));
                ps.setArray(8, c.createArrayOf("text", text[4]));
                ps.setArray(9, c.createArrayOf("boolean", consent));
                ps.setArray(10, c.createArrayOf("text", text[5]));
                ps.setArray(11, c.createArrayOf("timestamptz", consentAt));
                ps.setArray(12, c.createArrayOf("text", text[6]));
                ps.setArray(13, c.createArrayOf("text", text[7]));
                List<UUID> out = new ArrayList<>(n);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getObject(1, UUID.class));
                    }
                }
                return out;
            }
        });
    }

    /** The batch's report rows and the job's progress. */
    void report(UUID jobId, List<ReportRow> rows) {
        int n = rows.size();
        Integer[] numbers = new Integer[n];
        String[] statuses = new String[n];
        String[] reasons = new String[n];
        String[] fields = new String[n];
        UUID[] leads = new UUID[n];
        int accepted = 0;
        for (int i = 0; i < n; i++) {
            ReportRow r = rows.get(i);
            numbers[i] = r.number();
            statuses[i] = r.status();
            reasons[i] = r.reason();
            fields[i] = r.field();
            leads[i] = r.leadId();
            if (r.leadId() != null) {
                accepted++;
            }
        }
        jdbc.execute((Connection c) -> {
            try (var ps = c.prepareStatement("""
                    INSERT INTO lead_import_rows (job_id, row_number, status, reason, field, lead_id)
                    SELECT ?, u.row_number, u.status, u.reason, u.field, u.lead_id
                    FROM unnest(?::integer[], ?::text[], ?::text[], ?::text[], ?::uuid[])
                         AS u(row_number, status, reason, field, lead_id)""")) {
                ps.setObject(1, jobId);
                ps.setArray(2, c.createArrayOf("integer", numbers));
                ps.setArray(3, c.createArrayOf("text", statuses));
                ps.setArray(4, c.createArrayOf("text", reasons));
                ps.setArray(5, c.createArrayOf("text", fields));
                ps.setArray(6, c.createArrayOf("uuid", leads));
                return ps.executeUpdate();
            }
        });
        jdbc.update("""
                UPDATE lead_import_jobs SET rows_done = rows_done + ?, rows_accepted = rows_accepted + ?,
                    rows_rejected = rows_rejected + ?, updated_at = now()
                WHERE id = ?""", n, accepted, n - accepted, jobId);
    }

    /** The job's row, or null. */
    Map<String, Object> job(UUID jobId) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM lead_import_jobs WHERE id = ?", jobId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** A page of the job's report rows in row order, only {@code status} ones when given. */
    KeysetPage.Cut<ReportRow> rows(UUID jobId, String status, KeysetPage page) {
        List<Object> args = new ArrayList<>(Arrays.asList(jobId, status, status));
        String sql = "SELECT row_number, status, reason, field, lead_id FROM lead_import_rows "
                + "WHERE job_id = ? AND (?::text IS NULL OR status = ?::text)" + page.where(args) + page.orderAndLimit(args);
        return page.cut(jdbc.query(sql, (rs, i) -> new ReportRow(rs.getInt("row_number"), rs.getString("status"),
                rs.getString("reason"), rs.getString("field"), rs.getObject("lead_id", UUID.class)), args.toArray()),
                ReportRow::number);
    }
}
