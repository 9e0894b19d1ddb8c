package io.dcx.hub.reports;

import com.zaxxer.hikari.HikariDataSource;
import io.dcx.hub.api.ProblemException;
import jakarta.annotation.PreDestroy;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The reports' own connections (issue 21): a pool of {@code dcx.reports.budget.concurrent} connections beside the
 * hub's, so that a report never holds a connection a call is waiting for; its sessions show as {@code dcx-reports} in
 * {@code pg_stat_activity}. By default they reach the hub's database; {@code dcx.reports.database.url} points them
 * at a streaming replica instead, which takes the reports' share of PostgreSQL's CPU off the calls' machine (a
 * report reads its rollup, dirty hours and calls there, in one snapshot of the replica). Opened at the first report.
 */
@Component
class ReportDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(ReportDatabase.class);
    private final HikariDataSource pool = new HikariDataSource();
    private final JdbcTemplate jdbc;
    private final TransactionTemplate snapshot;

    /** {@code url}, {@code username}, {@code password}: the reports' own, each the hub's when empty. */
    ReportDatabase(DataSourceProperties database, @Value("${dcx.reports.budget.concurrent}") int concurrent,
            @Value("${dcx.reports.database.url:}") String url, @Value("${dcx.reports.database.username:}") String username,
            @Value("${dcx.reports.database.password:}") String password) {
        if (!url.isBlank() && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("DCX_REPORTS_DATABASE_URL must be a PostgreSQL JDBC URL"
                    + " (jdbc:postgresql://host:port/database), or empty for the hub's database");
        }
        pool.setJdbcUrl(url.isBlank() ? database.determineUrl() : url);
        pool.setUsername(username.isBlank() ? database.determineUsername() : username);
        pool.setPassword(password.isBlank() ? database.determinePassword() : password);
        pool.setPoolName("dcx-reports");
        pool.setMaximumPoolSize(concurrent);
        pool.setMinimumIdle(0);
        pool.setConnectionTimeout(5_000); // one connection per permit: a report waits only for an unreachable database
        pool.addDataSourceProperty("ApplicationName", "dcx-reports");
        this.jdbc = new JdbcTemplate(pool);
        this.snapshot = new TransactionTemplate(new DataSourceTransactionManager(pool));
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }

    /**
     * Runs a report's queries in one snapshot: the watermark, the dirty hours, the rollup and the calls are read as of
     * the same instant, so a change committed meanwhile is either in both parts' view or in neither. One core only: a
     * report must not take the second core from the voice path (the calls part of a long range could go parallel).
     * No JIT: the planner cannot see how short the calls part's intervals are (it guesses ~190,000 rows), so every
     * report query passed {@code jit_above_cost} and PostgreSQL spent ~50 ms of CPU compiling it for ~5 ms of work.
     */
    <T> T read(Supplier<T> report) {
        try {
            return snapshot.execute(status -> {
                jdbc.queryForMap("SELECT set_config('max_parallel_workers_per_gather', '0', true),"
                        + " set_config('jit', 'off', true)");
                return report.get();
            });
        } catch (CannotCreateTransactionException e) {
            // no connection to the reports' database (a replica down, a wrong URL): the operator asks again later
            LOG.warn("The reports' database cannot be reached: {}", e.getMostSpecificCause().getMessage());
            throw new ProblemException(503, "REPORTS_DATABASE_UNAVAILABLE",
                    "The reports' database cannot be reached; ask again shortly").retryAfter(30);
        }
    }

    @PreDestroy
    void close() {
        pool.close();
    }
}
