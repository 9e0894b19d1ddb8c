package io.dcx.hub.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The 15-minute UTC slots added up into local days and hours ({@link Reports#local}), without the database. */
class LocalGroupsTest {

    private static Map<String, Object> slot(String utc, long calls, long revenue) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("slot", Timestamp.from(Instant.parse(utc)));
        row.put("calls", calls);
        row.put("revenue_cents", revenue);
        return row;
    }

    private static List<String> keys(List<Map<String, Object>> groups, String unit, ZoneId zone) {
        return groups.stream().map(g -> Reports.key(g.get("key"), unit, zone)).toList();
    }

    @Test
    void halfHourZonesCutHoursAtTheirOwnBoundaries() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata"); // UTC+05:30: a local hour is two UTC half hours
        List<Map<String, Object>> slots = List.of(slot("2041-03-01T00:00:00Z", 1, 10), slot("2041-03-01T00:15:00Z", 2, 20),
                slot("2041-03-01T00:30:00Z", 4, 40), slot("2041-03-01T01:15:00Z", 8, 80));
        List<Map<String, Object>> hours = Reports.local(slots, "hour", kolkata, r -> "");
        assertThat(keys(hours, "hour", kolkata)).containsExactly("2041-03-01T05:00+05:30", "2041-03-01T06:00+05:30");
        assertThat(hours).extracting(h -> h.get("calls")).containsExactly(3L, 12L);
        assertThat(hours).extracting(h -> h.get("revenue_cents")).containsExactly(30L, 120L);
    }

    @Test
    void theFallBackHourIsTwoGroupsAndTheDayOne() {
        ZoneId newYork = ZoneId.of("America/New_York"); // 2041-11-03 02:00 EDT -> 01:00 EST
        List<Map<String, Object>> slots = List.of(slot("2041-11-03T05:15:00Z", 1, 1), slot("2041-11-03T06:15:00Z", 2, 2),
                slot("2041-11-04T03:45:00Z", 4, 4), slot("2041-11-04T05:00:00Z", 8, 8));
        assertThat(keys(Reports.local(slots, "hour", newYork, r -> ""), "hour", newYork)).containsExactly(
                "2041-11-03T01:00-04:00", "2041-11-03T01:00-05:00", "2041-11-03T22:00-05:00", "2041-11-04T00:00-05:00");
        List<Map<String, Object>> days = Reports.local(slots, "day", newYork, r -> "");
        assertThat(keys(days, "day", newYork)).containsExactly("2041-11-03", "2041-11-04");
        assertThat(days).extracting(d -> d.get("calls")).containsExactly(7L, 8L);
    }

    @Test
    void subGroupsStaySeparateWithinAnHour() {
        ZoneId utc = ZoneId.of("UTC");
        Map<String, Object> a = slot("2041-03-01T10:00:00Z", 1, 5);
        a.put("campaign_id", "a");
        Map<String, Object> b = slot("2041-03-01T10:30:00Z", 2, 7);
        b.put("campaign_id", "b");
        Map<String, Object> a2 = slot("2041-03-01T10:45:00Z", 3, 9);
        a2.put("campaign_id", "a");
        List<Map<String, Object>> hours = Reports.local(List.of(a, b, a2), "hour", utc, r -> (String) r.get("campaign_id"));
        assertThat(hours).extracting(h -> h.get("group") + "=" + h.get("calls")).containsExactly("a=4", "b=2");
    }
}
