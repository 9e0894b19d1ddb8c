package io.dcx.hub.powerdialer;

import io.dcx.hub.support.Times;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * The SQL of power-dialer campaigns, their agents and their contacts ({@code dialer_campaigns}, {@code dialer_agents},
 * {@code dialer_contacts}). Which leg is bridged to the agent is decided here, by one conditional UPDATE
 * ({@link #connect}).
 */
@Component
class CampaignStore {

    /** A campaign row with its agent's identity. */
    record Campaign(UUID id, String name, UUID ownerUserId, UUID agentId, String agentIdentity, String status,
            String fromNumber, String conferenceName, int parallelLines, String machineDetection,
            String unknownAction, String machineAction, String voicemailMessage, UUID connectedAttemptId,
            Instant connectedAt, Instant createdAt, Instant endedAt) {

        AmdPolicy policy() {
            return new AmdPolicy(AmdPolicy.UnknownAction.valueOf(unknownAction), AmdPolicy.MachineAction.valueOf(machineAction));
        }
    }

    /** A contact of the rotation; {@code timezone}/{@code consent} are the gate's facts for a contact without a lead. */
    record Contact(UUID id, UUID campaignId, int position, UUID leadId, String name, String phoneNumber, String status,
            int attempts, String disposition, String timezone, boolean consent, String blockedRule,
            String blockedReason) {}

    /** A contact to add. */
    record NewContact(UUID leadId, String name, String phoneNumber, String timezone, boolean consent) {}

    /** A lead's contact details, for a campaign built from lead ids. */
    record LeadContact(UUID id, String name, String phone) {}

    private static final String CAMPAIGN = """
            SELECT c.*, a.client_identity FROM dialer_campaigns c LEFT JOIN dialer_agents a ON a.id = c.agent_id
            WHERE c.id = ?""";

    private static final RowMapper<Campaign> CAMPAIGN_ROW = (rs, i) -> new Campaign(rs.getObject("id", UUID.class),
            rs.getString("name"), rs.getObject("owner_user_id", UUID.class), rs.getObject("agent_id", UUID.class),
            rs.getString("client_identity"), rs.getString("status"), rs.getString("from_number"),
            rs.getString("conference_name"), rs.getInt("parallel_lines"), rs.getString("machine_detection"),
            rs.getString("amd_unknown_action"), rs.getString("amd_machine_action"), rs.getString("voicemail_message"),
            rs.getObject("connected_attempt_id", UUID.class),
            Times.instant(rs.getObject("connected_at", OffsetDateTime.class)),
            Times.instant(rs.getObject("created_at", OffsetDateTime.class)),
            Times.instant(rs.getObject("ended_at", OffsetDateTime.class)));

    private static final RowMapper<Contact> CONTACT_ROW = (rs, i) -> new Contact(rs.getObject("id", UUID.class),
            rs.getObject("campaign_id", UUID.class), rs.getInt("position"), rs.getObject("lead_id", UUID.class),
            rs.getString("name"), rs.getString("phone_number"), rs.getString("status"), rs.getInt("attempts"),
            rs.getString("disposition"), rs.getString("timezone"), rs.getBoolean("consent"),
            rs.getString("blocked_rule"), rs.getString("blocked_reason"));

    private final JdbcTemplate jdbc;

    CampaignStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The agent with this client identity (created if new) and the user it belongs to (null: nobody's yet). */
    record Agent(UUID id, UUID userId) {}

    Agent agent(String identity, String name, UUID userId) {
        return jdbc.queryForObject("""
                INSERT INTO dialer_agents (name, client_identity, user_id) VALUES (?, ?, ?)
                ON CONFLICT (client_identity) DO UPDATE SET user_id = coalesce(dialer_agents.user_id, EXCLUDED.user_id),
                    updated_at = now()
                RETURNING id, user_id""", (rs, i) -> new Agent(rs.getObject("id", UUID.class),
                rs.getObject("user_id", UUID.class)), name, identity, userId);
    }

    List<LeadContact> leads(List<UUID> ids) {
        return jdbc.query("SELECT id, contact_name, phone FROM leads WHERE id = ANY(?)",
                (rs, i) -> new LeadContact(rs.getObject("id", UUID.class), rs.getString("contact_name"), rs.getString("phone")),
                (Object) ids.toArray(UUID[]::new));
    }

    UUID insert(String name, UUID ownerUserId, UUID agentId, String fromNumber, int parallelLines,
            AmdPolicy policy, String voicemailMessage) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO dialer_campaigns (id, name, owner_user_id, agent_id, from_number, conference_name,
                    parallel_lines, machine_detection, amd_unknown_action, amd_machine_action, voicemail_message)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", id, name, ownerUserId, agentId, fromNumber,
                "dcx-power-" + id, parallelLines, policy.machineDetection(), policy.unknown().name(),
                policy.machine().name(), voicemailMessage);
        return id;
    }

    void insertContacts(UUID campaignId, List<NewContact> contacts) {
        jdbc.batchUpdate("""
                INSERT INTO dialer_contacts (campaign_id, position, lead_id, name, phone_number, timezone, consent)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", contacts, 500, new org.springframework.jdbc.core.ParameterizedPreparedStatementSetter<>() {
            private int position;

            @Override
            public void setValues(java.sql.PreparedStatement ps, NewContact c) throws java.sql.SQLException {
                ps.setObject(1, campaignId);
                ps.setInt(2, position++);
                ps.setObject(3, c.leadId());
                ps.setString(4, c.name());
                ps.setString(5, c.phoneNumber());
                ps.setString(6, c.timezone());
                ps.setBoolean(7, c.consent());
            }
        });
    }

    Optional<Campaign> find(UUID id) {
        return jdbc.query(CAMPAIGN, CAMPAIGN_ROW, id).stream().findFirst();
    }

    /** The campaign, its row locked until the transaction ends (every change of a campaign's legs starts here). */
    Optional<Campaign> lock(UUID id) {
        return jdbc.query(CAMPAIGN + " FOR UPDATE OF c", CAMPAIGN_ROW, id).stream().findFirst();
    }

    List<Contact> contacts(UUID campaignId) {
        return jdbc.query("SELECT * FROM dialer_contacts WHERE campaign_id = ? ORDER BY position", CONTACT_ROW, campaignId);
    }

    Optional<Contact> contact(UUID id) {
        return jdbc.query("SELECT * FROM dialer_contacts WHERE id = ?", CONTACT_ROW, id).stream().findFirst();
    }

    /** The next {@code n} contacts in rotation, taken for dialling (status DIALING, one more attempt). */
    List<Contact> takeNext(UUID campaignId, int n) {
        return jdbc.query("""
                UPDATE dialer_contacts SET status = 'DIALING', attempts = attempts + 1, updated_at = now()
                WHERE id IN (SELECT id FROM dialer_contacts WHERE campaign_id = ? AND status = 'PENDING'
                             ORDER BY position LIMIT ?)
                RETURNING *""", CONTACT_ROW, campaignId, n).stream()
                .sorted(java.util.Comparator.comparingInt(Contact::position)).toList();
    }

    void markDialing(UUID campaignId) {
        jdbc.update("""
                UPDATE dialer_campaigns SET status = 'DIALING', started_at = coalesce(started_at, now()), updated_at = now()
                WHERE id = ? AND status IN ('CREATED', 'DIALING')""", campaignId);
    }

    /**
     * "First human wins": makes {@code attemptId} the campaign's connected leg unless another leg already is (or the
     * campaign ended). One conditional UPDATE: concurrent results, on any instance, serialise on the campaign's row
     * and only the first finds {@code connected_attempt_id} still empty.
     */
    boolean connect(UUID campaignId, UUID attemptId) {
        return jdbc.update("""
                UPDATE dialer_campaigns SET connected_attempt_id = ?, connected_at = now(), status = 'CONNECTED',
                    updated_at = now()
                WHERE id = ? AND connected_attempt_id IS NULL AND status IN ('CREATED', 'DIALING')""",
                attemptId, campaignId) == 1;
    }

    /** After the disposition: the agent is free for the next contact. */
    void release(UUID campaignId) {
        jdbc.update("""
                UPDATE dialer_campaigns SET connected_attempt_id = NULL, connected_at = NULL,
                    status = CASE WHEN status = 'CONNECTED' THEN 'DIALING' ELSE status END, updated_at = now()
                WHERE id = ?""", campaignId);
    }

    void end(UUID campaignId) {
        jdbc.update("""
                UPDATE dialer_campaigns SET status = 'ENDED', ended_at = coalesce(ended_at, now()), updated_at = now()
                WHERE id = ?""", campaignId);
    }

    /** A contact the gate refused: never dialled, and says why. */
    void block(UUID contactId, String rule, String reason) {
        jdbc.update("""
                UPDATE dialer_contacts SET status = 'SKIPPED', blocked_rule = ?, blocked_reason = ?, updated_at = now()
                WHERE id = ?""", rule, reason, contactId);
    }

    /** The contact's leg ended: DONE with an outcome, or back in rotation ({@code PENDING}) when it was not reached. */
    void contactEnded(UUID contactId, String status, String disposition) {
        jdbc.update("""
                UPDATE dialer_contacts SET status = ?, disposition = coalesce(?, disposition), updated_at = now()
                WHERE id = ? AND status IN ('DIALING', 'CONNECTED')""", status, disposition, contactId);
    }

    void contactConnected(UUID contactId) {
        jdbc.update("UPDATE dialer_contacts SET status = 'CONNECTED', updated_at = now() WHERE id = ?", contactId);
    }

    void disposition(UUID contactId, String disposition) {
        jdbc.update("UPDATE dialer_contacts SET status = 'DONE', disposition = ?, updated_at = now() WHERE id = ?",
                disposition, contactId);
    }

    /** Campaigns whose agent has this client identity (the TwiML App's request names the campaign). */
    Optional<Campaign> forAgent(UUID campaignId, String identity) {
        return find(campaignId).filter(c -> identity != null && identity.equals(c.agentIdentity()));
    }
}
