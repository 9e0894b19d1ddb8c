package io.dcx.hub.support;

import io.dcx.hub.config.DatabaseCreator;

/**
 * One throwaway PostgreSQL database per test JVM: named uniquely, created by the hub's own start-up code,
 * dropped when the JVM exits. Host and credentials come from the usual SPRING_DATASOURCE_* variables.
 */
public final class TestDatabase {

    public static final String URL;
    public static final String USERNAME = env("SPRING_DATASOURCE_USERNAME", "postgres");
    public static final String PASSWORD = env("SPRING_DATASOURCE_PASSWORD", "");

    static {
        String host = env("DCX_TEST_DB_HOST", "localhost:5432");
        URL = "jdbc:postgresql://" + host + "/dcx_test_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> DatabaseCreator.drop(URL, USERNAME, PASSWORD)));
    }

    private TestDatabase() {}

    /** A second throwaway database (same server and credentials) for a context that must not share the main one. */
    public static String url(String suffix) {
        String url = URL + "_" + suffix;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> DatabaseCreator.drop(url, USERNAME, PASSWORD)));
        return url;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
