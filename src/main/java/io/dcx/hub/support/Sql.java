package io.dcx.hub.support;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** JDBC helpers for hot paths. */
public final class Sql {

    private Sql() {}

    /**
     * Binds {@code args} in order, nulls included, without asking the driver for parameter types. (Spring's
     * {@code JdbcTemplate} varargs ask PostgreSQL to describe the statement for every null: one more round trip.)
     * The SQL must give every parameter a type, e.g. {@code CAST(? AS uuid)}.
     */
    public static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object v = args[i];
            int at = i + 1;
            if (v == null) {
                ps.setNull(at, Types.NULL);
            } else if (v instanceof String s) {
                ps.setString(at, s);
            } else if (v instanceof UUID u) {
                ps.setObject(at, u);
            } else if (v instanceof Integer n) {
                ps.setInt(at, n);
            } else if (v instanceof Long n) {
                ps.setLong(at, n);
            } else if (v instanceof Boolean b) {
                ps.setBoolean(at, b);
            } else if (v instanceof LocalDate d) {
                ps.setObject(at, d);
            } else if (v instanceof OffsetDateTime t) {
                ps.setObject(at, t);
            } else {
                throw new IllegalArgumentException("Sql.bind does not know " + v.getClass().getName());
            }
        }
    }
}
