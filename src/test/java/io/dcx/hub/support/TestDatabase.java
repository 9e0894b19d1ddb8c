package io.dcx.hub.support;

import io.dcx.hub.config.DatabaseCreator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/**
 * One throwaway PostgreSQL database per test JVM, and more for contexts that must not share it: named uniquely,
 * dropped when the JVM exits. Host and credentials come from the usual SPRING_DATASOURCE_* variables. The schema is
 * migrated once, into a template database, and every test database is a copy of it ({@code CREATE DATABASE ...
 * TEMPLATE}): Flyway building the schema from scratch for each of the dozen databases cost the suite about a minute;
 * the hubs' own Flyway then only validates.
 */
public final class TestDatabase {

    public static final String URL;
    public static final String USERNAME = env("SPRING_DATASOURCE_USERNAME", "postgres");
    public static final String PASSWORD = env("SPRING_DATASOURCE_PASSWORD", "");

    private static final String SERVER;
    private static final String TEMPLATE;

    static {
        SERVER = "jdbc:postgresql://" + env("DCX_TEST_DB_HOST", "localhost:5432") + "/";
        URL = SERVER + "dcx_test_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis();
        TEMPLATE = URL + "_template";
        Runtime.getRuntime().addShutdownHook(new Thread(() -> DatabaseCreator.drop(TEMPLATE, USERNAME, PASSWORD)));
        DatabaseCreator.ensureExists(TEMPLATE, USERNAME, PASSWORD);
        Flyway.configure().dataSource(TEMPLATE, USERNAME, PASSWORD).load().migrate();
        copyOfTemplate(URL);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> DatabaseCreator.drop(URL, USERNAME, PASSWORD)));
    }

    private TestDatabase() {}

    /** A second throwaway database (same server and credentials) for a context that must not share the main one. */
    public static String url(String suffix) {
        String url = URL + "_" + suffix;
        copyOfTemplate(url);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> DatabaseCreator.drop(url, USERNAME, PASSWORD)));
        return url;
    }

    private static synchronized void copyOfTemplate(String url) {
        String name = url.substring(SERVER.length());
        String template = TEMPLATE.substring(SERVER.length());
        for (int attempt = 1; ; attempt++) {
            try (Connection c = DriverManager.getConnection(SERVER + "postgres", USERNAME, PASSWORD);
                    Statement st = c.createStatement()) {
                // both names are [a-z0-9_]+ built above
                st.executeUpdate("CREATE DATABASE \"" + name + "\" TEMPLATE \"" + template + "\"");
                return;
            } catch (SQLException e) {
                // 55006: the template's last connection (Flyway's) is still closing
                if (!"55006".equals(e.getSQLState()) || attempt == 50) {
                    throw new IllegalStateException("could not create test database " + name, e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
