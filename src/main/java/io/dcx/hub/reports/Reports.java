package io.dcx.hub.reports;

import io.dcx.hub.api.ProblemException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.stereotype.Service;

/**
 * The operator's reports (PRD FR-19, FR-23): the summary of a range grouped by buyer, supplier, campaign, day or hour
 * in a time zone, and the dashboard (today's KPIs, the last 24 hours by hour and campaign). Every figure is a sum
 * over the calls created in the range ({@link ReportStore}); this class checks the parameters and shapes the answer.
 */
@Service
public class Reports {

    /** The longest range of a summary. */
    static final Duration MAX_RANGE = Duration.ofDays(400);

    private final ReportStore store;
    private final ReportBudget budget;
    private final Clock clock;

    Reports(ReportStore store, ReportBudget budget) {
        this.store = store;
        this.budget = budget;
        this.clock = Clock.systemUTC();
    }

    public Map<String, Object> summary(Map<String, String> params) {
        return summary(params, true);
    }

    /** The summary; {@code rollup} false reads every call (the reference the rollup is tested against). */
    Map<String, Object> summary(Map<String, String> params, boolean rollup) {
        Instant from = instant(params, "from");
        Instant to = instant(params, "to");
        if (!from.isBefore(to)) {
            throw ProblemException.validation("to", "to must be after from");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw ProblemException.validation("to", "A summary covers at most " + MAX_RANGE.toDays() + " days");
        }
        ZoneId zone = zone(params);
        String groupBy = params.getOrDefault("group_by", "day");
        if (!List.of("buyer", "supplier", "campaign", "day", "hour").contains(groupBy)) {
            throw ProblemException.validation("group_by", "group_by must be one of buyer, supplier, campaign, day, hour");
        }
        List<Map<String, Object>> rows = budget.run(() -> store.read(() -> switch (groupBy) {
            case "buyer" -> store.byReference(store.plan(from, to, rollup), "buyer_id", "buyers");
            case "supplier" -> store.byReference(store.plan(from, to, rollup), "supplier_id", "suppliers");
            case "campaign" -> store.byReference(store.plan(from, to, rollup), "campaign_id", "campaigns");
            // local hours and days from the rollup's UTC hours only where each UTC hour is in one local hour
            default -> local(store.bySlot(store.plan(from, to, rollup && RollupPlan.wholeHours(zone, from, to))),
                    groupBy, zone, row -> "");
        }));
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("key", key(row.get("key"), groupBy, zone));
            if (row.containsKey("name")) {
                group.put("name", row.get("name"));
            }
            group.putAll(figures(row));
            groups.add(group);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("group_by", groupBy);
        out.put("tz", zone.getId());
        out.put("groups", groups);
        // every call is in exactly one group and every figure is a count or a sum: the totals are the groups' sums
        // (a second scan of the range for them doubled a 30-day summary's time at 5 million calls)
        out.put("totals", figures(sumOf(rows)));
        return out;
    }

    public Map<String, Object> dashboard(Map<String, String> params) {
        return dashboard(params, true, clock.instant());
    }

    /** The dashboard at {@code now}; {@code rollup} false reads every call. */
    Map<String, Object> dashboard(Map<String, String> params, boolean rollup, Instant now) {
        ZoneId zone = zone(params);
        Instant midnight = LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();
        Instant dayAgo = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23));
        Instant end = now.plus(Duration.ofMinutes(1)); // calls created while the dashboard is read
        // one snapshot for the three parts; local hours from the rollup's UTC hours only in whole-hour zones
        DashboardRows rows = budget.run(() -> store.read(() -> new DashboardRows(
                store.totals(store.plan(midnight, end, rollup)),
                store.slotsByCampaign(store.plan(dayAgo, end, rollup && RollupPlan.wholeHours(zone, dayAgo, end))),
                store.byReference(store.plan(dayAgo, end, rollup), "campaign_id", "campaigns"))));
        Map<String, Object> today = new LinkedHashMap<>();
        today.put("since", midnight.toString());
        today.putAll(figures(rows.today()));
        List<Map<String, Object>> hours = new ArrayList<>();
        Function<Map<String, Object>, String> campaignOf = row -> row.get("campaign_id") == null ? "" : row.get("campaign_id").toString();
        for (Map<String, Object> row : local(rows.slots(), "hour", zone, campaignOf)) {
            Map<String, Object> hour = new LinkedHashMap<>();
            hour.put("hour", key(row.get("key"), "hour", zone));
            String campaign = (String) row.get("group");
            hour.put("campaign_id", campaign.isEmpty() ? null : campaign);
            Map<String, Object> f = figures(row);
            for (String k : List.of("calls", "connected", "minutes", "revenue_cents", "margin_cents")) {
                hour.put(k, f.get(k));
            }
            hours.add(hour);
        }
        List<Map<String, Object>> campaigns = new ArrayList<>();
        for (Map<String, Object> row : rows.campaigns()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("key", row.get("key") == null ? null : row.get("key").toString());
            c.put("name", row.get("name"));
            c.putAll(figures(row));
            campaigns.add(c);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tz", zone.getId());
        out.put("today", today);
        out.put("last_24h", hours);
        out.put("campaigns", campaigns);
        return out;
    }

    /** The dashboard's rows as read in one snapshot. */
    private record DashboardRows(Map<String, Object> today, List<Map<String, Object>> slots,
            List<Map<String, Object>> campaigns) {}

    /**
     * The UTC slots (the rollup's hours, the calls' 15 minutes) added up into local days or hours of {@code zone}
     * (and {@code groupOf} within them), in time order: {@code key} is the local start as an instant, {@code group} the sub-group.
     */
    static List<Map<String, Object>> local(List<Map<String, Object>> slots, String unit, ZoneId zone,
            Function<Map<String, Object>, String> groupOf) {
        Map<String, Map<String, Object>> out = new java.util.TreeMap<>();
        for (Map<String, Object> slot : slots) {
            ZonedDateTime at = io.dcx.hub.support.Times.instant(slot.get("slot")).atZone(zone);
            Instant start = "day".equals(unit) ? at.toLocalDate().atStartOfDay(zone).toInstant()
                    : at.truncatedTo(ChronoUnit.HOURS).toInstant();
            String group = groupOf.apply(slot);
            Map<String, Object> sum = out.computeIfAbsent(start + "|" + group, k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", start);
                m.put("group", group);
                ReportStore.SUMS.forEach(s -> m.put(s, 0L));
                return m;
            });
            ReportStore.SUMS.forEach(s -> sum.put(s, number(sum.get(s)) + number(slot.get(s))));
        }
        return new ArrayList<>(out.values());
    }

    /** The sums of the figures over rows. */
    static Map<String, Object> sumOf(List<Map<String, Object>> rows) {
        Map<String, Object> total = new LinkedHashMap<>();
        ReportStore.SUMS.forEach(s -> total.put(s, 0L));
        for (Map<String, Object> row : rows) {
            ReportStore.SUMS.forEach(s -> total.put(s, number(total.get(s)) + number(row.get(s))));
        }
        return total;
    }

    /** The figures of a row, in the contract's order; minutes are talk time (total seconds / 60), two decimals. */
    static Map<String, Object> figures(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        long seconds = number(row.get("duration_seconds"));
        out.put("calls", number(row.get("calls")));
        out.put("answered", number(row.get("answered")));
        out.put("connected", number(row.get("connected")));
        out.put("minutes", BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(60), 2, RoundingMode.HALF_UP));
        out.put("duration_seconds", seconds);
        out.put("billable_seconds", number(row.get("billable_seconds")));
        out.put("conversions", number(row.get("conversions")));
        out.put("revenue_cents", number(row.get("revenue_cents")));
        out.put("telephony_cost_cents", number(row.get("telephony_cost_cents")));
        out.put("margin_cents", number(row.get("margin_cents")));
        return out;
    }

    /** A group's key: the catalog id, the local date of a day, or the local start of an hour with its offset. */
    static String key(Object value, String groupBy, ZoneId zone) {
        if (value == null) {
            return null;
        }
        if (value instanceof UUID id) {
            return id.toString();
        }
        Instant start = value instanceof Instant i ? i : io.dcx.hub.support.Times.instant(value);
        return "day".equals(groupBy) ? LocalDate.ofInstant(start, zone).toString()
                : OffsetDateTime.ofInstant(start, zone).toString();
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Instant instant(Map<String, String> params, String name) {
        String value = params.get(name);
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            throw ProblemException.validation(name, name + " must be an RFC 3339 date-time such as 2026-11-01T00:00:00Z");
        }
    }

    private static ZoneId zone(Map<String, String> params) {
        String tz = params.get("tz");
        if (tz == null || tz.isBlank()) {
            return ZoneId.of("UTC");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(tz.strip());
        } catch (DateTimeException e) {
            zone = null;
        }
        if (zone instanceof java.time.ZoneOffset offset) { // PostgreSQL reads "+05:00" the POSIX way (west of UTC)
            zone = offset.getTotalSeconds() == 0 ? ZoneId.of("UTC") : null;
        }
        if (zone == null) {
            throw ProblemException.validation("tz", "tz must be an IANA time zone such as America/New_York");
        }
        return zone;
    }
}
