package io.dcx.hub.routing;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.TUESDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.assertj.core.api.Assertions.assertThat;

class BuyerScheduleTest {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final ZoneId LORD_HOWE = ZoneId.of("Australia/Lord_Howe"); // 30-minute DST shift
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    static ScheduleRule rule(String start, String end, DayOfWeek... days) {
        return new ScheduleRule(EnumSet.copyOf(List.of(days)), LocalTime.parse(start), LocalTime.parse(end));
    }

    static boolean open(ZoneId zone, String instant, ScheduleRule... rules) {
        return BuyerSchedule.isOpen(List.of(rules), zone, Instant.parse(instant));
    }

    @Test
    void emptyScheduleIsAlwaysOpen() {
        assertThat(BuyerSchedule.isOpen(List.of(), NEW_YORK, Instant.parse("2026-03-08T07:30:00Z"))).isTrue();
        assertThat(BuyerSchedule.isOpen(List.of(), TOKYO, Instant.parse("2026-12-31T23:59:59Z"))).isTrue();
        assertThat(BuyerSchedule.isOpen(null, LONDON, Instant.parse("2026-06-01T00:00:00Z"))).isTrue();
    }

    @Test
    void ruleWithNoDaysNeverOpens() {
        ScheduleRule never = new ScheduleRule(EnumSet.noneOf(DayOfWeek.class), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);
        assertThat(open(NEW_YORK, "2026-03-10T15:00:00Z", never)).isFalse();
    }

    @Test
    void weekdayBusinessHoursInTheBuyersZone() {
        ScheduleRule nineToFive = rule("09:00", "17:00", MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY);
        // Tuesday 2026-03-10, New York is on EDT (UTC-4) since 2026-03-08
        assertThat(open(NEW_YORK, "2026-03-10T12:59:59Z", nineToFive)).isFalse(); // 08:59:59
        assertThat(open(NEW_YORK, "2026-03-10T13:00:00Z", nineToFive)).isTrue();  // 09:00 start inclusive
        assertThat(open(NEW_YORK, "2026-03-10T20:59:59Z", nineToFive)).isTrue();  // 16:59:59
        assertThat(open(NEW_YORK, "2026-03-10T21:00:00Z", nineToFive)).isFalse(); // 17:00 end exclusive
        // Saturday 2026-03-14 10:00 EDT
        assertThat(open(NEW_YORK, "2026-03-14T14:00:00Z", nineToFive)).isFalse();
        // Friday 2026-03-06 09:00 EST (UTC-5): 13:00Z is still 08:00 local
        assertThat(open(NEW_YORK, "2026-03-06T13:00:00Z", nineToFive)).isFalse();
        assertThat(open(NEW_YORK, "2026-03-06T14:00:00Z", nineToFive)).isTrue();
    }

    @Test
    void anyOfSeveralRulesOpens() {
        ScheduleRule morning = rule("08:00", "12:00", MONDAY);
        ScheduleRule evening = rule("18:00", "22:00", MONDAY);
        // Monday 2026-03-09 in Tokyo (UTC+9)
        assertThat(open(TOKYO, "2026-03-09T00:00:00Z", morning, evening)).isTrue();  // 09:00
        assertThat(open(TOKYO, "2026-03-09T05:00:00Z", morning, evening)).isFalse(); // 14:00
        assertThat(open(TOKYO, "2026-03-09T10:00:00Z", morning, evening)).isTrue();  // 19:00
    }

    @Nested
    class AcrossMidnight {

        final ScheduleRule fridayNight = rule("22:00", "02:00", FRIDAY);

        @Test
        void ruleBelongsToTheDayItStartsOn() {
            // Friday 2026-03-13 / Saturday 2026-03-14 in New York (EDT, UTC-4)
            assertThat(open(NEW_YORK, "2026-03-14T01:59:59Z", fridayNight)).isFalse(); // Fri 21:59:59
            assertThat(open(NEW_YORK, "2026-03-14T02:00:00Z", fridayNight)).isTrue();  // Fri 22:00
            assertThat(open(NEW_YORK, "2026-03-14T03:59:59Z", fridayNight)).isTrue();  // Fri 23:59:59
            assertThat(open(NEW_YORK, "2026-03-14T04:00:00Z", fridayNight)).isTrue();  // Sat 00:00
            assertThat(open(NEW_YORK, "2026-03-14T05:59:59Z", fridayNight)).isTrue();  // Sat 01:59:59
            assertThat(open(NEW_YORK, "2026-03-14T06:00:00Z", fridayNight)).isFalse(); // Sat 02:00
            // Friday 01:00 is the tail of a Thursday window, which does not exist
            assertThat(open(NEW_YORK, "2026-03-13T05:00:00Z", fridayNight)).isFalse();
            // Saturday 23:00 is not a start day
            assertThat(open(NEW_YORK, "2026-03-15T03:00:00Z", fridayNight)).isFalse();
        }

        @Test
        void endEqualToStartIsTwentyFourHours() {
            ScheduleRule mondayEight = rule("08:00", "08:00", MONDAY);
            // Monday 2026-03-09 08:00 EDT = 12:00Z, until Tuesday 08:00 EDT
            assertThat(open(NEW_YORK, "2026-03-09T11:59:59Z", mondayEight)).isFalse();
            assertThat(open(NEW_YORK, "2026-03-09T12:00:00Z", mondayEight)).isTrue();
            assertThat(open(NEW_YORK, "2026-03-10T11:59:59Z", mondayEight)).isTrue();
            assertThat(open(NEW_YORK, "2026-03-10T12:00:00Z", mondayEight)).isFalse();

            ScheduleRule allMonday = rule("00:00", "00:00", MONDAY);
            assertThat(open(NEW_YORK, "2026-03-09T04:00:00Z", allMonday)).isTrue();  // Mon 00:00
            assertThat(open(NEW_YORK, "2026-03-10T03:59:59Z", allMonday)).isTrue();  // Mon 23:59:59
            assertThat(open(NEW_YORK, "2026-03-10T04:00:00Z", allMonday)).isFalse(); // Tue 00:00
            assertThat(open(NEW_YORK, "2026-03-09T03:59:59Z", allMonday)).isFalse(); // Sun 23:59:59
        }
    }

    @Nested
    class NewYorkSpringForward {
        // Sunday 2026-03-08: 02:00 EST (07:00Z) jumps to 03:00 EDT; 02:00-02:59 does not exist.

        @Test
        void windowEndingAfterTheGapLastsThirtyMinutes() {
            ScheduleRule r = rule("01:30", "03:00", SUNDAY);
            assertThat(open(NEW_YORK, "2026-03-08T06:29:59Z", r)).isFalse(); // 01:29:59 EST
            assertThat(open(NEW_YORK, "2026-03-08T06:30:00Z", r)).isTrue();  // 01:30 EST
            assertThat(open(NEW_YORK, "2026-03-08T06:59:59Z", r)).isTrue();  // 01:59:59 EST
            assertThat(open(NEW_YORK, "2026-03-08T07:00:00Z", r)).isFalse(); // 03:00 EDT
        }

        @Test
        void windowStartingInTheGapOpensAtTheTransition() {
            ScheduleRule r = rule("02:30", "04:00", SUNDAY);
            assertThat(open(NEW_YORK, "2026-03-08T06:59:59Z", r)).isFalse(); // 01:59:59 EST
            assertThat(open(NEW_YORK, "2026-03-08T07:00:00Z", r)).isTrue();  // 03:00 EDT
            assertThat(open(NEW_YORK, "2026-03-08T07:59:59Z", r)).isTrue();  // 03:59:59 EDT
            assertThat(open(NEW_YORK, "2026-03-08T08:00:00Z", r)).isFalse(); // 04:00 EDT
        }

        @Test
        void overnightWindowEndingInTheGapClosesAtTheTransition() {
            ScheduleRule r = rule("22:00", "02:30", SATURDAY);
            assertThat(open(NEW_YORK, "2026-03-08T03:00:00Z", r)).isTrue();  // Sat 22:00 EST
            assertThat(open(NEW_YORK, "2026-03-08T06:59:59Z", r)).isTrue();  // Sun 01:59:59 EST
            assertThat(open(NEW_YORK, "2026-03-08T07:00:00Z", r)).isFalse(); // Sun 03:00 EDT
        }

        @Test
        void overnightWindowAcrossTheGap() {
            ScheduleRule r = rule("22:00", "06:00", SATURDAY);
            assertThat(open(NEW_YORK, "2026-03-08T07:00:00Z", r)).isTrue();  // 03:00 EDT
            assertThat(open(NEW_YORK, "2026-03-08T09:59:59Z", r)).isTrue();  // 05:59:59 EDT
            assertThat(open(NEW_YORK, "2026-03-08T10:00:00Z", r)).isFalse(); // 06:00 EDT (would be 05:00 in EST)
        }

        @Test
        void dayAfterUsesTheNewOffset() {
            ScheduleRule r = rule("09:00", "17:00", MONDAY);
            assertThat(open(NEW_YORK, "2026-03-09T12:59:59Z", r)).isFalse(); // 08:59:59 EDT
            assertThat(open(NEW_YORK, "2026-03-09T13:00:00Z", r)).isTrue();  // 09:00 EDT
        }
    }

    @Nested
    class NewYorkFallBack {
        // Sunday 2026-11-01: 02:00 EDT (06:00Z) goes back to 01:00 EST; 01:00-01:59 happens twice.

        @Test
        void repeatedHourIsOpenForBothPasses() {
            ScheduleRule r = rule("01:00", "02:00", SUNDAY);
            assertThat(open(NEW_YORK, "2026-11-01T04:59:59Z", r)).isFalse(); // 00:59:59 EDT
            assertThat(open(NEW_YORK, "2026-11-01T05:00:00Z", r)).isTrue();  // 01:00 EDT
            assertThat(open(NEW_YORK, "2026-11-01T05:59:59Z", r)).isTrue();  // 01:59:59 EDT
            assertThat(open(NEW_YORK, "2026-11-01T06:00:00Z", r)).isTrue();  // 01:00 EST (again)
            assertThat(open(NEW_YORK, "2026-11-01T06:59:59Z", r)).isTrue();  // 01:59:59 EST
            assertThat(open(NEW_YORK, "2026-11-01T07:00:00Z", r)).isFalse(); // 02:00 EST
        }

        @Test
        void windowEndingInsideTheRepeatedHourDoesNotReopen() {
            ScheduleRule r = rule("00:00", "01:30", SUNDAY);
            assertThat(open(NEW_YORK, "2026-11-01T05:29:59Z", r)).isTrue();  // 01:29:59 EDT
            assertThat(open(NEW_YORK, "2026-11-01T05:30:00Z", r)).isFalse(); // 01:30 EDT
            assertThat(open(NEW_YORK, "2026-11-01T06:15:00Z", r)).isFalse(); // 01:15 EST: the clock shows 01:15 again
        }

        @Test
        void windowStartingInsideTheRepeatedHourStaysOpen() {
            ScheduleRule r = rule("01:30", "05:00", SUNDAY);
            assertThat(open(NEW_YORK, "2026-11-01T05:29:59Z", r)).isFalse(); // 01:29:59 EDT
            assertThat(open(NEW_YORK, "2026-11-01T05:30:00Z", r)).isTrue();  // 01:30 EDT
            assertThat(open(NEW_YORK, "2026-11-01T06:15:00Z", r)).isTrue();  // 01:15 EST: already open since 01:30 EDT
            assertThat(open(NEW_YORK, "2026-11-01T09:59:59Z", r)).isTrue();  // 04:59:59 EST
            assertThat(open(NEW_YORK, "2026-11-01T10:00:00Z", r)).isFalse(); // 05:00 EST
        }

        @Test
        void overnightWindowAcrossTheOverlapIsOneHourLonger() {
            ScheduleRule r = rule("22:00", "06:00", SATURDAY);
            assertThat(open(NEW_YORK, "2026-11-01T02:00:00Z", r)).isTrue();  // Sat 22:00 EDT
            assertThat(open(NEW_YORK, "2026-11-01T10:59:59Z", r)).isTrue();  // Sun 05:59:59 EST
            assertThat(open(NEW_YORK, "2026-11-01T11:00:00Z", r)).isFalse(); // Sun 06:00 EST
        }

        @Test
        void dayAfterUsesTheNewOffset() {
            ScheduleRule r = rule("09:00", "17:00", MONDAY);
            assertThat(open(NEW_YORK, "2026-11-02T13:00:00Z", r)).isFalse(); // 08:00 EST
            assertThat(open(NEW_YORK, "2026-11-02T14:00:00Z", r)).isTrue();  // 09:00 EST
        }
    }

    @Nested
    class London {

        @Test
        void springForwardAtOneUtc() {
            // Sunday 2026-03-29: 01:00 GMT jumps to 02:00 BST
            ScheduleRule r = rule("00:30", "02:00", SUNDAY);
            assertThat(open(LONDON, "2026-03-29T00:30:00Z", r)).isTrue();  // 00:30 GMT
            assertThat(open(LONDON, "2026-03-29T00:59:59Z", r)).isTrue();  // 00:59:59 GMT
            assertThat(open(LONDON, "2026-03-29T01:00:00Z", r)).isFalse(); // 02:00 BST
            ScheduleRule morning = rule("08:00", "12:00", SUNDAY);
            assertThat(open(LONDON, "2026-03-29T07:00:00Z", morning)).isTrue();  // 08:00 BST
            assertThat(open(LONDON, "2026-03-29T06:59:59Z", morning)).isFalse();
        }

        @Test
        void fallBackAtOneUtc() {
            // Sunday 2026-10-25: 02:00 BST (01:00Z) goes back to 01:00 GMT
            ScheduleRule r = rule("01:00", "02:00", SUNDAY);
            assertThat(open(LONDON, "2026-10-25T00:00:00Z", r)).isTrue();  // 01:00 BST
            assertThat(open(LONDON, "2026-10-25T01:30:00Z", r)).isTrue();  // 01:30 GMT
            assertThat(open(LONDON, "2026-10-25T02:00:00Z", r)).isFalse(); // 02:00 GMT
            assertThat(open(LONDON, "2026-10-24T23:59:59Z", r)).isFalse(); // 00:59:59 BST
        }
    }

    @Nested
    class LordHoweThirtyMinuteShift {

        @Test
        void springForwardByThirtyMinutes() {
            // Sunday 2026-10-04: 02:00 +10:30 (15:30Z Saturday) jumps to 02:30 +11:00
            ScheduleRule r = rule("02:00", "03:00", SUNDAY);
            assertThat(open(LORD_HOWE, "2026-10-03T15:29:59Z", r)).isFalse(); // 01:59:59 +10:30
            assertThat(open(LORD_HOWE, "2026-10-03T15:30:00Z", r)).isTrue();  // 02:30 +11:00
            assertThat(open(LORD_HOWE, "2026-10-03T15:59:59Z", r)).isTrue();  // 02:59:59 +11:00
            assertThat(open(LORD_HOWE, "2026-10-03T16:00:00Z", r)).isFalse(); // 03:00 +11:00
        }

        @Test
        void fallBackByThirtyMinutes() {
            // Sunday 2026-04-05: 02:00 +11:00 (15:00Z Saturday) goes back to 01:30 +10:30
            ScheduleRule r = rule("01:30", "02:00", SUNDAY);
            assertThat(open(LORD_HOWE, "2026-04-04T14:29:59Z", r)).isFalse(); // 01:29:59 +11:00
            assertThat(open(LORD_HOWE, "2026-04-04T14:30:00Z", r)).isTrue();  // 01:30 +11:00
            assertThat(open(LORD_HOWE, "2026-04-04T15:15:00Z", r)).isTrue();  // 01:45 +10:30 (repeat)
            assertThat(open(LORD_HOWE, "2026-04-04T15:30:00Z", r)).isFalse(); // 02:00 +10:30
        }
    }

    /**
     * The engine's arithmetic (one offset, or a few transitions, cached per zone) against a straightforward
     * reference built on java.time for every rule and day, at random instants clustered around transitions.
     */
    @Test
    void agreesWithAReferenceImplementationAroundTransitions() {
        List<ZoneId> zones = List.of(NEW_YORK, LONDON, LORD_HOWE, TOKYO, ZoneId.of("America/Santiago"),
                ZoneId.of("Asia/Kolkata"), ZoneId.of("America/St_Johns"), ZoneId.of("Pacific/Chatham"),
                ZoneId.of("America/Havana"), ZoneId.of("Europe/Dublin"), ZoneId.of("UTC"));
        SplittableRandom rnd = new SplittableRandom(7);
        int checked = 0;
        for (ZoneId zone : zones) {
            Instant from = Instant.parse("2025-12-01T00:00:00Z");
            ZoneOffsetTransition t = zone.getRules().nextTransition(from);
            Instant centre = t == null ? from : t.getInstant();
            for (int i = 0; i < 4000; i++) {
                Instant now = centre.plusSeconds(rnd.nextLong(-3 * 86_400, 3 * 86_400) / 900 * 900
                        + (rnd.nextBoolean() ? 0 : rnd.nextInt(-1, 2)));
                List<ScheduleRule> rules = List.of(randomRule(rnd), randomRule(rnd));
                boolean expected = referenceIsOpen(rules, zone, now);
                assertThat(BuyerSchedule.isOpen(rules, zone, now))
                        .as("%s at %s (%s) with %s", zone, now, now.atZone(zone), rules)
                        .isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(zones.size() * 4000);
    }

    private static ScheduleRule randomRule(SplittableRandom rnd) {
        EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (rnd.nextInt(3) == 0) {
                days.add(d);
            }
        }
        LocalTime start = LocalTime.ofSecondOfDay(rnd.nextInt(96) * 900L);
        LocalTime end = LocalTime.ofSecondOfDay(rnd.nextInt(96) * 900L);
        return new ScheduleRule(days, start, end);
    }

    /** For each day a rule could start on, resolve start and end with java.time and test the interval. */
    static boolean referenceIsOpen(List<ScheduleRule> rules, ZoneId zone, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        for (ScheduleRule rule : rules) {
            for (int d = -2; d <= 1; d++) {
                LocalDate day = today.plusDays(d);
                if (!rule.days().contains(day.getDayOfWeek())) {
                    continue;
                }
                LocalDate endDay = rule.end().isAfter(rule.start()) ? day : day.plusDays(1);
                Instant start = resolve(LocalDateTime.of(day, rule.start()), zone);
                Instant end = resolve(LocalDateTime.of(endDay, rule.end()), zone);
                if (!now.isBefore(start) && now.isBefore(end)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Gap: the transition instant. Overlap: the earlier offset (java.time's default). */
    static Instant resolve(LocalDateTime local, ZoneId zone) {
        ZoneOffsetTransition t = zone.getRules().getTransition(local);
        if (t != null && t.isGap()) {
            return t.getInstant();
        }
        return local.atZone(zone).toInstant();
    }

    @Test
    void fixedOffsetZones() {
        ZoneId plusFiveThirty = ZoneOffset.ofHoursMinutes(5, 30);
        ScheduleRule r = rule("09:00", "18:00", TUESDAY);
        assertThat(open(plusFiveThirty, "2026-03-10T03:30:00Z", r)).isTrue();  // 09:00 +05:30
        assertThat(open(plusFiveThirty, "2026-03-10T03:29:59Z", r)).isFalse();
    }
}
