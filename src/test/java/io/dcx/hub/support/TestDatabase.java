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

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
