package io.dcx.hub.compliance;

import io.dcx.hub.privacy.PersonalData;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of a call's disposition on {@code call_sessions}. */
@Component
class DispositionStore {

    /** The call a disposition is recorded on, with the called person's number when it is in clear text. */
    record Call(UUID id, String publicId, UUID traceId, String consumerNumber) {}

    private static final String SELECT = "SELECT id, public_id, trace_id, direction, from_number, to_number FROM call_sessions";

    private final JdbcTemplate jdbc;

    DispositionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The call by its public id ({@code call_...}) or internal id, locked for the transaction. */
    Optional<Call> lock(String callId) {
        if (callId != null && callId.startsWith("call_")) {
            return lock(" WHERE public_id = ? FOR UPDATE", callId);
        }
        try {
            return lock(" WHERE id = ? FOR UPDATE", UUID.fromString(callId));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private Optional<Call> lock(String where, Object id) {
        return jdbc.query(SELECT + where, (rs, i) -> new Call(rs.getObject("id", UUID.class), rs.getString("public_id"),
                rs.getObject("trace_id", UUID.class),
                rs.getString(PersonalData.consumerNumberColumn(rs.getString("direction")))), id).stream().findFirst();
    }

    void setDisposition(UUID callId, String disposition) {
        jdbc.update("UPDATE call_sessions SET disposition = ?, updated_at = now() WHERE id = ?", disposition, callId);
    }
}
