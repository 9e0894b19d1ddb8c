package io.dcx.hub.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SchedulerFactory;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code quartz:} Camel component of every hub instance: one Quartz scheduler clustered on the PostgreSQL JDBC
 * job store (the {@code qrtz_} tables of Flyway V3), so a scheduled job (the nightly retention run, lead batches)
 * fires on exactly one instance, and a trigger missed while every instance was down fires once when one comes back
 * (Quartz's misfire handling).
 *
 * <p>The job store borrows connections from the hub's own pool instead of opening a second one. Quartz keeps data
 * sources and schedulers in JVM-wide registries keyed by name; the data source is registered under a name unique to
 * this application context and the scheduler is taken out of Quartz's repository once built (as Spring's
 * {@code SchedulerFactoryBean} does), so several hub contexts in one JVM (tests) never share a scheduler, while every
 * instance of a deployment still uses the same scheduler name ({@code DCX_QUARTZ_SCHEDULER_NAME}), which is what
 * makes them one cluster.
 */
@Configuration(proxyBeanMethods = false)
public class QuartzConfig {

    @Bean("quartz")
    QuartzComponent quartz(DataSource dataSource,
            @Value("${dcx.quartz.scheduler-name:dcx-hub}") String schedulerName,
            @Value("${dcx.quartz.thread-count:2}") int threadCount,
            @Value("${dcx.quartz.cluster-checkin-interval:15s}") Duration checkinInterval) {
        String dataSourceName = "dcx-hub-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new PooledConnections(dataSource));
        QuartzComponent quartz = new QuartzComponent();
        // the scheduler name is the cluster's identity: it must not depend on anything that differs between instances
        quartz.setPrefixInstanceName(false);
        quartz.setSchedulerFactory(new ContextSchedulerFactory(
                properties(schedulerName, threadCount, checkinInterval, dataSourceName)));
        return quartz;
    }

    static Properties properties(String schedulerName, int threadCount, Duration checkinInterval, String dataSourceName) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", schedulerName);
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threadCount));
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkinInterval.toMillis()));
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        return p;
    }

    /** Builds the scheduler once and keeps it out of Quartz's JVM-wide repository (see the class comment). */
    static final class ContextSchedulerFactory implements SchedulerFactory {

        private final Properties properties;
        private Scheduler scheduler;

        ContextSchedulerFactory(Properties properties) {
            this.properties = properties;
        }

        @Override
        public synchronized Scheduler getScheduler() throws SchedulerException {
            if (scheduler == null || scheduler.isShutdown()) {
                SchedulerRepository repository = SchedulerRepository.getInstance();
                synchronized (repository) {
                    scheduler = new StdSchedulerFactory(properties).getScheduler();
                    repository.remove(scheduler.getSchedulerName());
                }
            }
            return scheduler;
        }

        @Override
        public synchronized Scheduler getScheduler(String name) throws SchedulerException {
            return scheduler != null && scheduler.getSchedulerName().equals(name) ? scheduler : null;
        }

        @Override
        public synchronized Collection<Scheduler> getAllSchedulers() {
            return scheduler == null ? List.of() : List.of(scheduler);
        }
    }

    /** The job store's connections come from the hub's pool; Quartz must not shut that pool down. */
    record PooledConnections(DataSource dataSource) implements ConnectionProvider {

        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // the pool belongs to Spring
        }

        @Override
        public void initialize() {
            // nothing to set up
        }
    }
}
