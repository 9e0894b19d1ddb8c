package io.dcx.hub.leads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.HubApplication;
import io.dcx.hub.support.CalComStandIn;
import io.dcx.hub.support.HubHttp;
import io.dcx.hub.support.TestDatabase;
import io.dcx.hub.support.VapiApiStandIn;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Two hub instances (two application contexts, each with its own pool and its own clustered Quartz scheduler) on one
 * PostgreSQL database of their own: every cron fire runs on one instance, concurrent batches on both instances claim
 * each lead once, and no lead is called twice. Also the claim query's FOR UPDATE SKIP LOCKED semantics on raw
 * connections.
 */
class LeadBatchClusterTest extends HubHttp {

    private static final String DB = TestDatabase.url("cluster");
    private static final String CRON_SECRET = "test-cron-secret";
    private static ConfigurableApplicationContext hubA;
    private static ConfigurableApplicationContext hubB;
    private static JdbcTemplate db;

    @BeforeAll
    static void startTwoHubs() {
        hubA = startHub();
        hubB = startHub();
        db = new JdbcTemplate(new DriverManagerDataSource(DB, TestDatabase.USERNAME, TestDatabase.PASSWORD));
    }

    @AfterAll
    static void stopHubs() {
        for (ConfigurableApplicationContext hub : new ConfigurableApplicationContext[] {hubA, hubB}) {
            if (hub != null) {
                hub.close();
            }
        }
    }

    private static ConfigurableApplicationContext startHub() {
        return new SpringApplicationBuilder(HubApplication.class).profiles("test").run(
                "--server.port=0",
                "--spring.datasource.url=" + DB,
                "--spring.datasource.username=" + TestDatabase.USERNAME,
                "--spring.datasource.password=" + TestDatabase.PASSWORD,
                "--spring.datasource.hikari.maximum-pool-size=5",
                "--dcx.vapi.api-base-url=" + VapiApiStandIn.shared().baseUrl(),
                "--dcx.calcom.api-base-url=" + CalComStandIn.shared().baseUrl());
    }

    private static int portOf(ConfigurableApplicationContext hub) {
        return Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
    }

    private void use(ConfigurableApplicationContext hub) {
        json = new ObjectMapper();
        port = portOf(hub);
    }

    @Test
    void twoInstancesClaimEachLeadOnceAndNeverCallALeadTwice() throws Exception {
        use(hubA);
        assertThat(db.queryForObject("SELECT count(DISTINCT instance_name) FROM qrtz_scheduler_state", Integer.class))
                .as("both schedulers checked in to one cluster").isEqualTo(2);
        String zone = zoneAtLocalHour(12);
        List<String> leads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Reply r = post("/api/leads", "{\"contact_name\":\"Lead " + i + "\",\"phone\":\"+1718" + (5_550_000 + i)
                    + "\",\"timezone\":\"" + zone + "\",\"consent\":true,\"consent_source\":\"web form\"}");
            assertThat(r.status()).isEqualTo(201);
            leads.add(r.text("id"));
        }
        use(hubB);
        Reply on = send("PUT", "/api/settings/automation", "{\"automation_enabled\":true,\"max_calls_batch\":4,"
                + "\"provider_concurrency_limit\":1000,\"cron\":\"0/1 * * * * ?\"}", adminToken());
        assertThat(on.status()).isEqualTo(200);

        // while the cron fires every second (on whichever instance Quartz picks), POST /api/cron on both instances too
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger manual = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> hammers = new ArrayList<>();
        Timestamp rescheduledAt;
        try {
            for (int t = 0; t < 4; t++) {
                int hubPort = portOf(t % 2 == 0 ? hubA : hubB);
                hammers.add(pool.submit(() -> {
                    while (running.get()) {
                        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                                        URI.create("http://localhost:" + hubPort + "/api/cron"))
                                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + CRON_SECRET)
                                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                        assertThat(r.statusCode()).isEqualTo(200);
                        manual.incrementAndGet();
                        Thread.sleep(50);
                    }
                    return null;
                }));
            }
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() ->
                    db.queryForObject("SELECT count(*) FROM leads WHERE status = 'calling' AND call_attempts = 1",
                            Integer.class) == leads.size());
            // a few more runs, on both instances, find nothing left to claim
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    db.queryForObject("SELECT count(DISTINCT instance_id) FROM lead_batch_runs "
                            + "WHERE skipped_reason = 'NO_ELIGIBLE_LEADS' AND started_at > now() - interval '1 minute'",
                            Integer.class) == 2
                    && db.queryForObject("SELECT count(*) FROM lead_batch_runs WHERE trigger = 'CRON' "
                            + "AND skipped_reason = 'NO_ELIGIBLE_LEADS'", Integer.class) >= 2);
        } finally {
            running.set(false);
            for (Future<?> f : hammers) {
                f.get();
            }
            pool.shutdown();
            rescheduledAt = db.queryForObject("SELECT clock_timestamp()", Timestamp.class);
            send("PUT", "/api/settings/automation", "{\"automation_enabled\":false,\"cron\":\"0 0/5 * * * ?\"}",
                    adminToken());
        }

        for (String lead : leads) {
            assertThat(VapiApiStandIn.shared().callsForLead(lead)).as("Vapi calls for lead " + lead).hasSize(1);
        }
        assertThat(db.queryForObject("SELECT count(*) FROM call_logs", Integer.class)).isEqualTo(leads.size());
        assertThat(db.queryForObject("SELECT count(*) FROM call_sessions WHERE provider = 'VAPI'", Integer.class))
                .isEqualTo(leads.size());
        assertThat(db.queryForObject("SELECT count(*) FROM outbox WHERE event_type = 'LEAD_CALLED'", Integer.class))
                .isEqualTo(leads.size());

        List<Map<String, Object>> cronRuns = db.queryForList("SELECT * FROM lead_batch_runs WHERE trigger = 'CRON'");
        assertThat(cronRuns).as("the cron fired").hasSizeGreaterThan(2);
        // fires from the time the cron was set back on: the every-second trigger's last fire (already acquired by
        // Quartz) and the new trigger's first may share a whole minute divisible by 5 (seen once in a full run)
        assertThat(db.queryForList("""
                SELECT scheduled_fire_time FROM lead_batch_runs WHERE trigger = 'CRON' AND scheduled_fire_time < ?
                GROUP BY scheduled_fire_time HAVING count(*) > 1""", rescheduledAt))
                .as("no fire ran on both instances").isEmpty();
        assertThat(db.queryForObject("SELECT count(DISTINCT instance_id) FROM lead_batch_runs", Integer.class))
                .as("batches ran on both instances").isEqualTo(2);
        Integer claimed = db.queryForObject("SELECT sum(claimed) FROM lead_batch_runs", Integer.class);
        assertThat(claimed).as("claimed in all runs, on both instances").isEqualTo(leads.size());
        assertThat(manual.get()).isGreaterThan(4);
    }

    @Test
    void theClaimQueryTakesDueLeadsNeverCalledFirstAndSkipsRowsAnotherTransactionHolds() throws Exception {
        List<UUID> mine = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            mine.add(lead("+1929" + (5_550_000 + i), 60 - i, 0, "NULL", "NULL"));
        }
        UUID calledYesterday = lead("+19295550100", 120, 1, "now() - interval '1 day'", "NULL");
        List<UUID> notDue = List.of(
                lead("+19295550101", 120, 1, "now() - interval '5 minutes'", "NULL"),    // inside the retry interval
                lead("+19295550102", 120, 3, "now() - interval '1 day'", "NULL"),        // no attempts left
                lead("+19295550103", 120, 0, "NULL", "now() + interval '1 hour'"));      // rescheduled
        List<UUID> all = new ArrayList<>(mine);
        all.add(calledYesterday);
        all.addAll(notDue);
        try (Connection a = db.getDataSource().getConnection(); Connection b = db.getDataSource().getConnection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            List<UUID> order = claim(a, 100);
            List<UUID> expected = new ArrayList<>(mine);
            expected.add(calledYesterday);
            assertThat(order).as("never-called first (oldest first), then by last call; leads not due left out")
                    .containsExactlyElementsOf(expected);
            a.rollback();

            try (Statement s = b.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '1s'"); // B fails instead of waiting if it ever blocks on A's rows
            }
            Set<UUID> heldByA = new HashSet<>(claim(a, 3));
            assertThat(heldByA).containsExactlyInAnyOrderElementsOf(mine.subList(0, 3));

            Set<UUID> takenByB = new HashSet<>(claim(b, 3));
            assertThat(takenByB).as("B takes the next rows, without waiting for A").hasSize(3)
                    .containsExactlyInAnyOrderElementsOf(mine.subList(3, 6));
            assertThat(claim(b, 10)).as("besides its own rows, B sees only what A does not hold")
                    .containsExactlyInAnyOrderElementsOf(concat(takenByB, calledYesterday));

            // A marks its leads called and commits: they are no longer eligible for anyone
            try (PreparedStatement p = a.prepareStatement("UPDATE leads SET status = 'calling' WHERE id = ANY (?)")) {
                p.setArray(1, a.createArrayOf("uuid", heldByA.toArray()));
                p.executeUpdate();
            }
            a.commit();
            b.rollback();
            try (Statement s = b.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '1s'");
            }
            assertThat(claim(b, 10)).as("B's rolled-back rows are eligible again, A's called ones are not")
                    .containsExactlyInAnyOrderElementsOf(concat(takenByB, calledYesterday));
            b.rollback();
        } finally {
            db.update("DELETE FROM leads WHERE id = ANY (?)", (Object) all.toArray(new UUID[0]));
        }
    }

    private static UUID lead(String phone, int ageSeconds, int attempts, String lastCalledAt, String nextAttemptAt) {
        UUID id = UUID.randomUUID();
        db.update("INSERT INTO leads (id, contact_name, phone, timezone, consent, call_attempts, last_called_at, "
                + "next_attempt_at, created_at) VALUES (?, 'Skip', ?, 'UTC', true, ?, " + lastCalledAt + ", "
                + nextAttemptAt + ", now() - make_interval(secs => ?))", id, phone, attempts, ageSeconds);
        return id;
    }

    private static List<UUID> concat(Set<UUID> set, UUID one) {
        List<UUID> out = new ArrayList<>(set);
        out.add(one);
        return out;
    }

    /** The batch's claim query on a connection (its transaction holds the rows it returns), in its order. */
    private static List<UUID> claim(Connection c, int limit) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(LeadStore.ELIGIBLE)) {
            p.setInt(1, 3);
            p.setInt(2, 15);
            p.setInt(3, limit);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject("id", UUID.class));
                }
            }
        }
        return ids;
    }
}
