package io.dcx.hub.config;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates a PostgreSQL database named in a JDBC URL when it does not exist, through the maintenance database. */
public final class DatabaseCreator {

    private static final Logger log = LoggerFactory.getLogger(DatabaseCreator.class);
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/]*/)([A-Za-z0-9_]+)(\\?.*)?$");

    private DatabaseCreator() {}

    public static void ensureExists(String jdbcUrl, String username, String password) {
        Matcher m = URL.matcher(jdbcUrl);
        if (!m.matches()) {
            log.debug("Not a plain PostgreSQL URL, skipping database creation: {}", jdbcUrl);
            return;
        }
        String database = m.group(2);
        String maintenanceUrl = m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
        try (Connection c = DriverManager.getConnection(maintenanceUrl, username, password)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                // the name matched [A-Za-z0-9_]+ above, so quoting it is safe
                st.executeUpdate("CREATE DATABASE \"" + database + "\"");
                log.info("Created database {}", database);
            }
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                return; // created concurrently by another instance
            }
            log.warn("Could not check or create database {} ({}); continuing with the configured URL",
                    database, e.getMessage());
        }
    }

    /** Drops a database, closing its connections first (test clean-up). */
    public static void drop(String jdbcUrl, String username, String password) {
        Matcher m = URL.matcher(jdbcUrl);
        if (!m.matches()) {
            return;
        }
        String maintenanceUrl = m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
        try (Connection c = DriverManager.getConnection(maintenanceUrl, username, password);
                Statement st = c.createStatement()) {
            st.executeUpdate("DROP DATABASE IF EXISTS \"" + m.group(2) + "\" WITH (FORCE)");
        } catch (SQLException e) {
            log.warn("Could not drop database {}: {}", m.group(2), e.getMessage());
        }
    }
}
