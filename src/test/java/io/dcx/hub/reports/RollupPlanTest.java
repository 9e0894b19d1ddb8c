package io.dcx.hub.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.reports.RollupPlan.Interval;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which parts of a range a report reads from the rollup and which from the calls ({@link RollupPlan}). */
class RollupPlanTest {

    private static Instant t(String utc) {
        return Instant.parse(utc);
    }

    @Test
    void partialEdgeHoursAndHoursPastTheWatermarkAreReadFromTheCalls() {
        Instant from = t("2026-03-01T10:17:00Z");
        Instant to = t("2026-03-02T08:40:00Z");
        Interval rollable = RollupPlan.rollable(from, to, t("2026-03-02T06:00:00Z"));
        assertThat(rollable).isEqualTo(new Interval(t("2026-03-01T11:00:00Z"), t("2026-03-02T06:00:00Z")));
        RollupPlan plan = RollupPlan.of(from, to, rollable, List.of());
        assertThat(plan.raw()).containsExactly(new Interval(from, t("2026-03-01T11:00:00Z")),
                new Interval(t("2026-03-02T06:00:00Z"), to));
        assertThat(plan.rolledHours()).isEqualTo(19);
    }

    @Test
    void dirtyHoursAreReadFromTheCallsJoinedToTheirNeighbours() {
        Instant from = t("2026-03-01T00:00:00Z");
        Instant to = t("2026-03-01T12:00:00Z");
        Interval rollable = RollupPlan.rollable(from, to, t("2026-03-05T00:00:00Z"));
        assertThat(rollable).isEqualTo(new Interval(from, to));
        RollupPlan plan = RollupPlan.of(from, to, rollable, List.of(t("2026-03-01T00:00:00Z"),
                t("2026-03-01T01:00:00Z"), t("2026-03-01T05:00:00Z"), t("2026-03-01T11:00:00Z")));
        assertThat(plan.raw()).containsExactly(new Interval(from, t("2026-03-01T02:00:00Z")),
                new Interval(t("2026-03-01T05:00:00Z"), t("2026-03-01T06:00:00Z")),
                new Interval(t("2026-03-01T11:00:00Z"), to));
        assertThat(plan.rolledHours()).isEqualTo(8);
    }

    @Test
    void noWatermarkOrNoWholeHourMeansEveryCall() {
        Instant from = t("2026-03-01T10:17:00Z");
        assertThat(RollupPlan.rollable(from, t("2026-03-01T11:40:00Z"), t("2026-03-05T00:00:00Z"))).isNull();
        assertThat(RollupPlan.rollable(from, t("2026-03-01T20:00:00Z"), null)).isNull();
        assertThat(RollupPlan.rollable(from, t("2026-03-01T20:00:00Z"), t("2026-03-01T10:00:00Z"))).isNull();
        RollupPlan plan = RollupPlan.of(from, t("2026-03-01T11:40:00Z"), null, List.of());
        assertThat(plan.raw()).containsExactly(new Interval(from, t("2026-03-01T11:40:00Z")));
        assertThat(plan.rolledHours()).isZero();
    }

    @Test
    void slotsAreUtcHoursBeforeAndAfterTheOrigin() {
        assertThat(RollupPlan.floor(t("1999-12-31T23:59:59Z"))).isEqualTo(t("1999-12-31T23:00:00Z"));
        assertThat(RollupPlan.ceil(t("1999-12-31T23:00:00Z"))).isEqualTo(t("1999-12-31T23:00:00Z"));
        assertThat(RollupPlan.ceil(t("2026-12-06T10:00:01Z"))).isEqualTo(t("2026-12-06T11:00:00Z"));
    }

    @Test
    void onlyZonesWholeHoursFromUtcThroughoutTheRangeUseTheRollupForLocalHours() {
        Instant from = t("2026-01-01T00:00:00Z");
        Instant to = t("2026-12-31T00:00:00Z");
        assertThat(RollupPlan.wholeHours(ZoneId.of("UTC"), from, to)).isTrue();
        assertThat(RollupPlan.wholeHours(ZoneId.of("America/New_York"), from, to)).isTrue();
        assertThat(RollupPlan.wholeHours(ZoneId.of("Europe/Berlin"), from, to)).isTrue();
        assertThat(RollupPlan.wholeHours(ZoneId.of("Asia/Kolkata"), from, to)).isFalse();
        assertThat(RollupPlan.wholeHours(ZoneId.of("Asia/Kathmandu"), from, to)).isFalse();
        // Lord Howe: +10:30 in winter, +11 in summer (DST of half an hour)
        ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
        assertThat(RollupPlan.wholeHours(lordHowe, t("2026-01-01T00:00:00Z"), t("2026-02-01T00:00:00Z"))).isTrue();
        assertThat(RollupPlan.wholeHours(lordHowe, from, to)).isFalse();
    }
}
