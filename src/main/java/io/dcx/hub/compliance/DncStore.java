package io.dcx.hub.compliance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of the do-not-call list, {@code dnc_numbers}: a number listed once, with its first source and time. */
@Component
class DncStore {

    /** A listed number as the API shows it. */
    record Listed(String phoneNumber, String source, String reason, String addedBy, String addedAt) {}

    private static final String COLUMNS = "phone_number, source, reason, added_by, added_at";

    private final JdbcTemplate jdbc;

    DncStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Lists the number unless it is listed already; true when this call listed it. */
    boolean insert(String number, String source, String reason, String addedBy) {
        return jdbc.update("""
                INSERT INTO dnc_numbers (phone_number, source, reason, added_by) VALUES (?, ?, ?, ?)
                ON CONFLICT (phone_number) DO NOTHING""", number, source, reason, addedBy) == 1;
    }

    /** Lists the imported entries in one batch (numbers already listed keep their entry); how many were added. */
    int insertAll(List<DncCsv.Entry> entries, String addedBy) {
        int[] counts = jdbc.batchUpdate("""
                INSERT INTO dnc_numbers (phone_number, source, reason, added_by, added_at)
                VALUES (?, ?, ?, ?, coalesce(?, now()))
                ON CONFLICT (phone_number) DO NOTHING""", entries, entries.size(), (ps, e) -> {
            ps.setString(1, e.phoneNumber());
            ps.setString(2, e.source());
            ps.setString(3, e.reason());
            ps.setString(4, addedBy);
            ps.setTimestamp(5, e.addedAt() == null ? null : Timestamp.from(e.addedAt()));
        })[0];
        int added = 0;
        for (int c : counts) {
            added += c > 0 ? 1 : 0;
        }
        return added;
    }

    /** Entries added at or after {@code since}, oldest first. */
    List<Listed> since(Instant since) {
        return jdbc.query("SELECT " + COLUMNS + """
                 FROM dnc_numbers
                WHERE added_at >= ? ORDER BY added_at, phone_number""", DncStore::listed, Timestamp.from(since));
    }

    Optional<Listed> find(String number) {
        return jdbc.query("SELECT " + COLUMNS + " FROM dnc_numbers WHERE phone_number = ?", DncStore::listed, number)
                .stream().findFirst();
    }

    /** False when the number was not listed. */
    boolean delete(String number) {
        return jdbc.update("DELETE FROM dnc_numbers WHERE phone_number = ?", number) > 0;
    }

    private static Listed listed(ResultSet rs, int i) throws SQLException {
        return new Listed(rs.getString("phone_number"), rs.getString("source"), rs.getString("reason"),
                rs.getString("added_by"), rs.getObject("added_at", OffsetDateTime.class).toInstant().toString());
    }
}
