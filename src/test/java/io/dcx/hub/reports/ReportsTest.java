package io.dcx.hub.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.HubTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * GET /api/reports/summary and /dashboard: every figure equals the sum over the calls, grouped by buyer, supplier,
 * campaign, local day and local hour in several time zones, across the DST days of 2041 (23- and 25-hour days).
 */
class ReportsTest extends HubTestBase {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ReportBudget budget;

    @Autowired
    ReportDatabase reportDatabase;

    @Autowired
    DataSourceProperties database;

    record Call(UUID campaign, UUID supplier, UUID buyer, Instant createdAt, boolean answered, int seconds,
            int billable, boolean converted, long cost, long estimated, Long effective) {
        long revenue() {
            return effective != null ? effective : estimated;
        }
    }

    private Call insert(Call c) {
        jdbc.update("""
                INSERT INTO call_sessions (public_id, campaign_id, supplier_id, buyer_id, status, created_at, answered_at,
                    duration_seconds, billable_duration_seconds, converted, telephony_cost_cents,
                    revenue_estimated_cents, revenue_effective_cents)
                VALUES (?, ?, ?, ?, 'COMPLETED', ?, ?, ?, ?, ?, ?, ?, ?)""",
                "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20), c.campaign(), c.supplier(),
                c.buyer(), Timestamp.from(c.createdAt()), c.answered() ? Timestamp.from(c.createdAt().plusSeconds(2)) : null,
                c.seconds(), c.billable(), c.converted(), c.cost(), c.estimated(), c.effective());
        return c;
    }

    /** Random calls over the US and EU DST changes of 2041 (both in March and in October/November). */
    private List<Call> calls(Instant from, Instant to, int n, long seed) {
        Random random = new Random(seed);
        List<UUID> campaigns = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<UUID> buyers = List.of(UUID.randomUUID(), UUID.randomUUID());
        UUID supplier = UUID.randomUUID();
        List<Call> calls = new ArrayList<>();
        long span = to.getEpochSecond() - from.getEpochSecond();
        for (int i = 0; i < n; i++) {
            boolean answered = random.nextInt(10) < 8;
            int seconds = answered ? random.nextInt(900) : 0;
            int billable = answered && random.nextBoolean() ? seconds / 2 : 0;
            boolean converted = billable > 0 && random.nextInt(4) == 0;
            calls.add(insert(new Call(campaigns.get(random.nextInt(3)), random.nextInt(5) == 0 ? null : supplier,
                    random.nextInt(6) == 0 ? null : buyers.get(random.nextInt(2)),
                    from.plusSeconds((long) (random.nextDouble() * span)), answered, seconds, billable, converted,
                    random.nextInt(300), billable > 0 ? 5000 : 0, converted ? (long) random.nextInt(20000) : null)));
        }
        return calls;
    }

    @Test
    void summaryEqualsTheSumsOverTheCallsInEveryGroupingAndTimeZone() {
        // a window no other test writes to: March 2041 around the US (9th) and EU (31st) spring-forward days
        Instant from = Instant.parse("2041-03-07T00:00:00Z");
        Instant to = Instant.parse("2041-04-02T00:00:00Z");
        List<Call> calls = calls(from, to, 600, 21);
        for (String tz : List.of("UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata")) {
            ZoneId zone = ZoneId.of(tz);
            check(from, to, "day", tz, calls, c -> LocalDate.ofInstant(c.createdAt(), zone).toString());
            check(from, to, "hour", tz, calls, c -> OffsetDateTime.ofInstant(
                    c.createdAt().atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant(), zone).toString());
        }
        check(from, to, "campaign", "UTC", calls, c -> String.valueOf(c.campaign()));
        check(from, to, "buyer", "UTC", calls, c -> c.buyer() == null ? "null" : c.buyer().toString());
        check(from, to, "supplier", "UTC", calls, c -> c.supplier() == null ? "null" : c.supplier().toString());

        // the spring-forward day in New York has 23 local hours, with no 02:00
        JsonNode hours = summary(Instant.parse("2041-03-10T05:00:00Z"), Instant.parse("2041-03-11T04:00:00Z"),
                "hour", "America/New_York");
        List<String> keys = new ArrayList<>();
        hours.path("groups").forEach(g -> keys.add(g.path("key").asText()));
        assertThat(keys).doesNotContain("2041-03-10T02:00-04:00", "2041-03-10T02:00-05:00");
        assertThat(keys).allMatch(k -> k.startsWith("2041-03-10T"));

        assertThat(get("/api/reports/summary?from=" + from + "&to=" + to + "&tz=Mars/Olympus").status()).isEqualTo(400);
        assertThat(get("/api/reports/summary?from=" + from + "&to=" + to + "&tz=%2B05:00").status()).isEqualTo(400);
        assertThat(get("/api/reports/summary?from=" + from + "&to=" + to + "&group_by=planet").status()).isEqualTo(400);
        assertThat(get("/api/reports/summary?from=" + to + "&to=" + from).status()).isEqualTo(400);
        assertThat(get("/api/reports/summary?from=" + from).status()).isEqualTo(400);
    }

    @Test
    void theFallBackDayHasTwentyFiveHoursAndTwoOneOClocks() {
        Instant from = Instant.parse("2041-11-03T04:00:00Z"); // 2041-11-03 00:00 in New York (EDT)
        Instant to = Instant.parse("2041-11-04T05:00:00Z");   // 2041-11-04 00:00 (EST): 25 hours later
        List<Call> calls = new ArrayList<>();
        for (int h = 0; h < 25; h++) {
            calls.add(insert(new Call(UUID.randomUUID(), null, null, from.plus(h, ChronoUnit.HOURS).plusSeconds(90),
                    true, 60, 60, false, 10, 100, null)));
        }
        JsonNode hours = summary(from, to, "hour", "America/New_York");
        assertThat(hours.path("groups")).hasSize(25);
        List<String> keys = new ArrayList<>();
        hours.path("groups").forEach(g -> keys.add(g.path("key").asText()));
        assertThat(keys).contains("2041-11-03T01:00-04:00", "2041-11-03T01:00-05:00");
        JsonNode days = summary(from, to, "day", "America/New_York");
        assertThat(days.path("groups")).hasSize(1);
        assertThat(days.path("groups").get(0).path("key").asText()).isEqualTo("2041-11-03");
        assertThat(days.path("groups").get(0).path("calls").asLong()).isEqualTo(25);
        assertThat(days.path("totals").path("revenue_cents").asLong()).isEqualTo(2500);
        assertThat(days.path("totals").path("margin_cents").asLong()).isEqualTo(2250);
        check(from, to, "hour", "America/New_York", calls, c -> OffsetDateTime.ofInstant(
                c.createdAt().truncatedTo(ChronoUnit.HOURS), ZoneId.of("America/New_York")).toString());
    }

    @Test
    void dashboardShowsTodayAndTheLast24HoursPerCampaign() {
        UUID campaign = UUID.randomUUID();
        String name = "Dash " + campaign;
        jdbc.update("INSERT INTO campaigns (id, name, vertical) VALUES (?, ?, 'SSDI')", campaign, name);
        Instant now = Instant.now();
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(insert(new Call(campaign, null, null, now.minusSeconds(i * 60L), true, 120, 90, i == 0, 30, 4000,
                    i == 0 ? 9000L : null)));
        }
        insert(new Call(campaign, null, null, now.minus(30, ChronoUnit.HOURS), true, 120, 90, false, 30, 4000, null));
        Reply r = get("/api/reports/dashboard?tz=America/Chicago");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode mine = null;
        for (JsonNode c : r.json().path("campaigns")) {
            if (c.path("key").asText().equals(campaign.toString())) {
                mine = c;
            }
        }
        assertThat(mine).as(r.body()).isNotNull();
        assertThat(mine.path("name").asText()).isEqualTo(name);
        assertThat(mine.path("calls").asLong()).isEqualTo(5);
        assertThat(mine.path("connected").asLong()).isEqualTo(5);
        assertThat(mine.path("conversions").asLong()).isEqualTo(1);
        assertThat(mine.path("revenue_cents").asLong()).isEqualTo(9000 + 4 * 4000);
        assertThat(mine.path("margin_cents").asLong()).isEqualTo(9000 + 4 * 4000 - 5 * 30);
        assertThat(mine.path("minutes").decimalValue()).isEqualByComparingTo("10.00");
        long hourly = 0;
        for (JsonNode h : r.json().path("last_24h")) {
            if (h.path("campaign_id").asText().equals(campaign.toString())) {
                hourly += h.path("calls").asLong();
            }
        }
        assertThat(hourly).isEqualTo(5);
        assertThat(r.json().path("today").path("calls").asLong()).isGreaterThanOrEqualTo(
                calls.stream().filter(c -> !c.createdAt().isBefore(Instant.parse(r.json().path("today").path("since").asText()))).count());
        assertThat(get("/api/reports/dashboard?tz=Nowhere/Land").status()).isEqualTo(400);
    }

    private JsonNode summary(Instant from, Instant to, String groupBy, String tz) {
        Reply r = get("/api/reports/summary?from=" + from + "&to=" + to + "&group_by=" + groupBy + "&tz=" + tz);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** The report's groups and totals equal the sums over {@code calls} grouped by {@code keyOf}. */
    private void check(Instant from, Instant to, String groupBy, String tz, List<Call> calls, Function<Call, String> keyOf) {
        JsonNode report = summary(from, to, groupBy, tz);
        Map<String, long[]> expected = new TreeMap<>();
        for (Call c : calls) {
            long[] f = expected.computeIfAbsent(keyOf.apply(c), k -> new long[9]);
            add(f, c);
        }
        Map<String, long[]> actual = new TreeMap<>();
        for (JsonNode g : report.path("groups")) {
            actual.put(g.path("key").isNull() ? "null" : g.path("key").asText(), figures(g));
        }
        assertThat(actual.keySet()).as(groupBy + " in " + tz).isEqualTo(expected.keySet());
        long[] total = new long[9];
        for (Call c : calls) {
            add(total, c);
        }
        expected.forEach((k, f) -> assertThat(actual.get(k)).as(groupBy + " " + k + " in " + tz).containsExactly(f));
        assertThat(figures(report.path("totals"))).as("totals in " + tz).containsExactly(total);
        assertThat(report.path("totals").path("minutes").decimalValue())
                .isEqualByComparingTo(java.math.BigDecimal.valueOf(total[3]).divide(java.math.BigDecimal.valueOf(60), 2,
                        java.math.RoundingMode.HALF_UP));
    }

    private static void add(long[] f, Call c) {
        f[0]++;
        f[1] += c.answered() ? 1 : 0;
        f[2] += c.billable() > 0 ? 1 : 0;
        f[3] += c.seconds();
        f[4] += c.billable();
        f[5] += c.converted() ? 1 : 0;
        f[6] += c.revenue();
        f[7] += c.cost();
        f[8] += c.revenue() - c.cost();
    }

    private static long[] figures(JsonNode g) {
        return new long[] {g.path("calls").asLong(), g.path("answered").asLong(), g.path("connected").asLong(),
            g.path("duration_seconds").asLong(), g.path("billable_seconds").asLong(), g.path("conversions").asLong(),
            g.path("revenue_cents").asLong(), g.path("telephony_cost_cents").asLong(), g.path("margin_cents").asLong()};
    }

    @Test
    void aReportThatCannotStartInTimeIsRefusedWith503AndRetryAfterThenServedWhenTheBudgetFrees() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // another operator's report holds the hub's only permit (the test profile waits at most 1 s for it)
        CompletableFuture<Object> other = CompletableFuture.supplyAsync(
                () -> budget.run(() -> {
                    holding.countDown();
                    try {
                        return release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
        try {
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            HttpResponse<String> busy = HTTP.send(HttpRequest.newBuilder(
                            URI.create(url("/api/reports/dashboard?tz=UTC")))
                    .header("Authorization", "Bearer " + adminToken()).header("Retry-After", "999").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(busy.headers().allValues("Retry-After")).containsExactly("1"); // ours, never the request's
            assertThat(busy.body()).contains("\"code\":\"REPORTS_BUSY\"");
        } finally {
            release.countDown();
            other.get(10, TimeUnit.SECONDS);
        }
        assertThat(get("/api/reports/dashboard?tz=UTC").status()).isEqualTo(200);
    }

    /** A report reads on the reports' own connections ({@code dcx-reports}), never on one a call may wait for. */
    @Test
    void reportsReadOnTheirOwnConnections() {
        assertThat(reportDatabase.read(() -> reportDatabase.jdbc().queryForObject(
                "SELECT current_setting('application_name')", String.class))).isEqualTo("dcx-reports");
        assertThat(jdbc.queryForObject("SELECT current_setting('application_name')", String.class))
                .isNotEqualTo("dcx-reports");
        assertThat(get("/api/reports/dashboard?tz=UTC").status()).isEqualTo(200);
    }

    /**
     * {@code dcx.reports.database.url} (a streaming replica in production) is where reports read, with its own user;
     * here the test database with a session setting in the URL shows which URL the reports' connections came from.
     */
    @Test
    void reportsReadWhereTheReportsDatabaseUrlPoints() {
        DataSourceProperties hub = new DataSourceProperties(); // the hub's user, a database reports never reach
        hub.setUrl("jdbc:postgresql://localhost:1/nowhere");
        hub.setUsername(database.determineUsername());
        hub.setPassword(database.determinePassword());
        String replica = jdbc.queryForObject("SELECT 'jdbc:postgresql://localhost:' || current_setting('port') || '/'"
                + " || current_database()", String.class) + "?options=-c%20work_mem%3D7MB";
        ReportDatabase reports = new ReportDatabase(hub, 1, replica, "", "");
        try {
            assertThat(reports.read(() -> reports.jdbc().queryForObject("SELECT current_setting('work_mem')",
                    String.class))).isEqualTo("7MB");
        } finally {
            reports.close();
        }
        // not a PostgreSQL JDBC URL: the hub does not start (said at start-up, not at the first report)
        assertThatThrownBy(() -> new ReportDatabase(hub, 1, "postgres://localhost/dcx", "", ""))
                .hasMessageContaining("DCX_REPORTS_DATABASE_URL must be a PostgreSQL JDBC URL");
        // a reports' database that cannot be reached: 503 with Retry-After, the calls' database untouched
        ReportDatabase unreachable = new ReportDatabase(hub, 1, "jdbc:postgresql://localhost:1/nowhere", "", "");
        try {
            assertThatThrownBy(() -> unreachable.read(() -> 1)).isInstanceOfSatisfying(ProblemException.class, e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.code()).isEqualTo("REPORTS_DATABASE_UNAVAILABLE");
            });
        } finally {
            unreachable.close();
        }
    }
}
