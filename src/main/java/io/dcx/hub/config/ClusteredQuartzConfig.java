package io.dcx.hub.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Quartz scheduler every camel-quartz route uses ({@code camel.component.quartz.scheduler=#dcxQuartzScheduler}):
 * the clustered JDBC job store on the hub's own PostgreSQL data source, so a trigger fires on exactly one hub
 * instance however many run. The {@code qrtz_} tables come from Flyway (V3), never from Quartz's or Spring's scripts.
 *
 * <ul>
 *   <li>{@code JobStoreTX} with {@code PostgreSQLDelegate}: Quartz runs its own transactions on connections of the
 *       hub's pool (registered with Quartz under a name unique to this application context, so two hubs in one JVM,
 *       as in the cluster test, never share a pool).</li>
 *   <li>{@code isClustered=true}, {@code instanceId=AUTO}: instances check in every
 *       {@code dcx.quartz.cluster-checkin-interval}; a dead instance's fired-but-unfinished jobs are recovered by the
 *       others after that interval.</li>
 *   <li>The scheduler name is the same on every instance (that is what makes them one cluster). Quartz keeps
 *       schedulers in a JVM-wide repository by name; this one is removed from it right after creation (as Spring's
 *       SchedulerFactoryBean does) so a second context in the same JVM gets its own scheduler.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class ClusteredQuartzConfig {

    private static final String DATA_SOURCE_NAME = "dcx.dataSourceName";

    @Bean(destroyMethod = "")
    Scheduler dcxQuartzScheduler(DataSource dataSource, QuartzProperties settings) throws SchedulerException {
        String dataSourceName = "dcx-hub-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new PoolConnections(dataSource));

        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, settings.schedulerName());
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, StdSchedulerFactory.AUTO_GENERATE_INSTANCE_ID);
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(settings.threadCount()));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", settings.schedulerName() + "-quartz");
        p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(settings.clusterCheckinInterval().toMillis()));
        p.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(settings.misfireThreshold().toMillis()));
        // acquire the next triggers under the cluster's row lock: two instances cannot both take one fire
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");

        SchedulerRepository repository = SchedulerRepository.getInstance();
        synchronized (repository) {
            Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
            repository.remove(scheduler.getSchedulerName());
            scheduler.getContext().put(DATA_SOURCE_NAME, dataSourceName);
            return scheduler;
        }
    }

    /**
     * Shuts the scheduler down when the context closes, waiting for running jobs; the data source (a dependency of
     * the scheduler bean) is closed only after this. Camel leaves a scheduler it did not create running.
     */
    @Bean
    DisposableBean dcxQuartzShutdown(Scheduler dcxQuartzScheduler) {
        return () -> {
            if (!dcxQuartzScheduler.isShutdown()) {
                dcxQuartzScheduler.shutdown(true);
            }
            // let go of this context's pool (Quartz's connection registry is JVM-wide and has no remove)
            DBConnectionManager.getInstance().addConnectionProvider(
                    (String) dcxQuartzScheduler.getContext().get(DATA_SOURCE_NAME), null);
        };
    }

    /** Connections of the hub's pool for Quartz, which commits and closes them itself. */
    private static final class PoolConnections implements ConnectionProvider {
        private final DataSource dataSource;

        PoolConnections(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // the pool belongs to the application context
        }

        @Override
        public void initialize() {
            // nothing: the pool is already running
        }
    }
}
