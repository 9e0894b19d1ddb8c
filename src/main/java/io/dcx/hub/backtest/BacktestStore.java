package io.dcx.hub.backtest;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL of the backtest: the campaign's recorded inbound calls of the period, oldest first, through a database
 * cursor ({@code fetchSize} rows at a time inside a read-only transaction, which is what makes PostgreSQL's driver
 * stream), so a million calls never sit in memory; and the offers' pricing models.
 */
@Component
class BacktestStore {

    static final int FETCH_SIZE = 2000;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static final String CALLS = """
            SELECT created_at, buyer_id, offer_id, provider_payload->>'FromState' AS caller_state,
                -- a duplicate-caller skip is rare: only those rows' skips come back, parsed in Java
                CASE WHEN position('DUPLICATE' IN routing_skips::text) > 0 THEN routing_skips::text END AS skips,
                duration_seconds, billable_duration_seconds,
                coalesce(revenue_effective_cents, revenue_estimated_cents) AS revenue, profit_cents,
                supplier_payout_cents, telephony_cost_cents
            FROM call_sessions
            WHERE campaign_id = ? AND direction = 'INBOUND' AND created_at >= ? AND created_at < ?
            ORDER BY created_at, id""";

    private final JdbcTemplate cursor;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    BacktestStore(DataSource dataSource, JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.cursor = new JdbcTemplate(dataSource);
        this.cursor.setFetchSize(FETCH_SIZE);
        this.jdbc = jdbc;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /** Hands every recorded inbound call of the campaign in {@code [from, to)} to {@code each}, oldest first. */
    void eachCall(UUID campaignId, Instant from, Instant to, Consumer<RecordedCall> each) {
        readOnly.executeWithoutResult(status -> cursor.query(CALLS, rs -> {
            each.accept(call(rs));
        }, campaignId, Timestamp.from(from), Timestamp.from(to)));
    }

    /** Each offer's pricing model, of the campaign's offers. */
    Map<UUID, String> pricingModels(UUID campaignId) {
        Map<UUID, String> models = new HashMap<>();
        jdbc.query("SELECT id, pricing_model FROM offers WHERE campaign_id = ?",
                rs -> {
                    models.put(rs.getObject(1, UUID.class), rs.getString(2));
                }, campaignId);
        return models;
    }

    private static RecordedCall call(ResultSet rs) throws SQLException {
        Set<UUID> duplicates = Set.of();
        String skips = rs.getString("skips");
        if (skips != null) {
            duplicates = new HashSet<>();
            try {
                for (com.fasterxml.jackson.databind.JsonNode skip : JSON.readTree(skips)) {
                    if ("DUPLICATE".equals(skip.path("reason").asText())) {
                        try {
                            duplicates.add(UUID.fromString(skip.path("buyer_id").asText()));
                        } catch (IllegalArgumentException e) {
                            // not a buyer id: nothing to skip
                        }
                    }
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SQLException("routing_skips is not JSON", e);
            }
        }
        return new RecordedCall(rs.getTimestamp("created_at").toInstant(), rs.getObject("buyer_id", UUID.class),
                rs.getObject("offer_id", UUID.class), rs.getString("caller_state"), duplicates,
                rs.getInt("duration_seconds"), rs.getInt("billable_duration_seconds"), rs.getLong("revenue"),
                rs.getLong("profit_cents"), rs.getLong("supplier_payout_cents"), rs.getLong("telephony_cost_cents"));
    }
}
