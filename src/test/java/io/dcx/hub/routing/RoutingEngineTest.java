package io.dcx.hub.routing;

import io.dcx.hub.routing.RoutingDecision.Choice;
import io.dcx.hub.routing.RoutingDecision.Skip;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.random.RandomGeneratorFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RoutingEngineTest {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    /** Tuesday 2026-03-10 11:00 in New York (EDT), 00:00 Wednesday in Tokyo. */
    static final Instant TUESDAY_MORNING_NY = Instant.parse("2026-03-10T15:00:00Z");
    static final ScheduleRule WEEKDAYS_9_TO_5 = new ScheduleRule(
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(17, 0));

    final RoutingEngine engine = new RoutingEngine(new SplittableRandom(42));

    /** A builder over the 17 components with sensible defaults: active, always open, no caps, concurrency 10. */
    static final class C {
        UUID offerId = UUID.randomUUID();
        UUID buyerId = UUID.randomUUID();
        int priority = 1;
        int offerWeight = 1;
        int buyerWeight = 1;
        boolean offerActive = true;
        boolean buyerActive = true;
        ZoneId zone = NEW_YORK;
        List<ScheduleRule> schedule = List.of();
        Integer offerCap;
        Integer buyerCap;
        int concurrency = 10;

        C priority(int p) { priority = p; return this; }
        C weights(int offer, int buyer) { offerWeight = offer; buyerWeight = buyer; return this; }
        C offerInactive() { offerActive = false; return this; }
        C buyerInactive() { buyerActive = false; return this; }
        C zone(ZoneId z) { zone = z; return this; }
        C schedule(ScheduleRule... rules) { schedule = List.of(rules); return this; }
        C offerCap(Integer cap) { offerCap = cap; return this; }
        C buyerCap(Integer cap) { buyerCap = cap; return this; }
        C concurrency(int limit) { concurrency = limit; return this; }
        C buyer(UUID id) { buyerId = id; return this; }

        RoutingCandidate build() {
            return new RoutingCandidate(offerId, buyerId, "PHONE_NUMBER", "+1555" + (offerId.hashCode() & 0xffffff),
                    priority, offerWeight, buyerWeight, offerActive, buyerActive, zone, schedule, offerCap,
                    buyerCap, concurrency, 2500, 90, null);
        }
    }

    static C c() {
        return new C();
    }

    /** In-memory counters keyed like the PostgreSQL rows: (id, day). */
    static final class Counters implements CapacityView {
        final Map<UUID, Integer> active = new HashMap<>();
        final Map<String, Integer> used = new HashMap<>();
        final List<LocalDate> daysAsked = new ArrayList<>();

        Counters active(UUID buyer, int calls) { active.put(buyer, calls); return this; }
        Counters used(UUID id, LocalDate day, int n) { used.put(id + "/" + day, n); return this; }

        @Override public int activeCalls(UUID buyerId) { return active.getOrDefault(buyerId, 0); }
        @Override public int buyerUsed(UUID buyerId, LocalDate day) { daysAsked.add(day); return used.getOrDefault(buyerId + "/" + day, 0); }
        @Override public int offerUsed(UUID offerId, LocalDate day) { daysAsked.add(day); return used.getOrDefault(offerId + "/" + day, 0); }
    }

    static RoutingContext at(Instant now) {
        return RoutingContext.at(now);
    }

    static List<UUID> buyers(RoutingDecision d) {
        return d.stack().stream().map(ch -> ch.candidate().buyerId()).toList();
    }

    @Test
    void everySkipReasonIsRecordedWithItsBuyerAndOffer() {
        LocalDate nyDay = LocalDate.of(2026, 3, 10);
        RoutingCandidate inactiveOffer = c().offerInactive().build();
        RoutingCandidate inactiveBuyer = c().buyerInactive().build();
        RoutingCandidate duplicate = c().build();
        RoutingCandidate closed = c().schedule(new ScheduleRule(EnumSet.of(DayOfWeek.SATURDAY),
                LocalTime.of(9, 0), LocalTime.of(17, 0))).build();
        RoutingCandidate busy = c().concurrency(3).build();
        RoutingCandidate offerCapped = c().offerCap(20).build();
        RoutingCandidate buyerCapped = c().buyerCap(50).build();
        RoutingCandidate ok = c().schedule(WEEKDAYS_9_TO_5).offerCap(20).buyerCap(50).concurrency(3).build();
        Counters counters = new Counters()
                .active(busy.buyerId(), 3).active(ok.buyerId(), 2)
                .used(offerCapped.offerId(), nyDay, 20).used(buyerCapped.buyerId(), nyDay, 50)
                .used(ok.offerId(), nyDay, 19).used(ok.buyerId(), nyDay, 49);
        RoutingContext ctx = new RoutingContext(TUESDAY_MORNING_NY, null, null, Set.of(duplicate.buyerId()));

        RoutingDecision d = engine.decide(ctx,
                List.of(inactiveOffer, inactiveBuyer, duplicate, closed, busy, offerCapped, buyerCapped, ok), counters);

        assertThat(d.skipped()).containsExactly(
                new Skip(inactiveOffer.buyerId(), inactiveOffer.offerId(), SkipReason.INACTIVE),
                new Skip(inactiveBuyer.buyerId(), inactiveBuyer.offerId(), SkipReason.INACTIVE),
                new Skip(duplicate.buyerId(), duplicate.offerId(), SkipReason.DUPLICATE),
                new Skip(closed.buyerId(), closed.offerId(), SkipReason.SCHEDULE),
                new Skip(busy.buyerId(), busy.offerId(), SkipReason.CONCURRENCY),
                new Skip(offerCapped.buyerId(), offerCapped.offerId(), SkipReason.DAILY_CAP),
                new Skip(buyerCapped.buyerId(), buyerCapped.offerId(), SkipReason.DAILY_CAP));
        assertThat(d.stack()).containsExactly(new Choice(ok, nyDay));
        assertThat(d.primary()).contains(new Choice(ok, nyDay));
        assertThat(d.fallbacks()).isEmpty();
    }

    @Test
    void geoRestrictionIsCaseInsensitiveAndFailsClosed() {
        RoutingCandidate a = c().build();
        RoutingCandidate b = c().build();
        List<RoutingCandidate> both = List.of(a, b);
        Set<String> floridaTexas = Set.of("FL", "tx");

        RoutingDecision allowed = engine.decide(
                new RoutingContext(TUESDAY_MORNING_NY, "fl", floridaTexas, Set.of()), both, CapacityView.EMPTY);
        assertThat(allowed.skipped()).isEmpty();
        assertThat(engine.decide(new RoutingContext(TUESDAY_MORNING_NY, " TX ", floridaTexas, Set.of()), both,
                CapacityView.EMPTY).skipped()).isEmpty();

        for (String caller : new String[] {"CA", null, "", "  "}) {
            RoutingDecision refused = engine.decide(
                    new RoutingContext(TUESDAY_MORNING_NY, caller, floridaTexas, Set.of()), both, CapacityView.EMPTY);
            assertThat(refused.stack()).as("caller state %s", caller).isEmpty();
            assertThat(refused.primary()).isEmpty();
            assertThat(refused.skipped()).as("caller state %s", caller).containsExactly(
                    new Skip(a.buyerId(), a.offerId(), SkipReason.GEO),
                    new Skip(b.buyerId(), b.offerId(), SkipReason.GEO));
        }

        // no restriction: an unknown caller state routes
        assertThat(engine.decide(new RoutingContext(TUESDAY_MORNING_NY, null, Set.of(), Set.of()), both,
                CapacityView.EMPTY).stack()).hasSize(2);
        assertThat(engine.decide(new RoutingContext(TUESDAY_MORNING_NY, null, null, null), both,
                CapacityView.EMPTY).stack()).hasSize(2);
    }

    @Test
    void firstApplicableReasonWinsInTheDocumentedOrder() {
        ScheduleRule saturday = new ScheduleRule(EnumSet.of(DayOfWeek.SATURDAY), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);
        // every later reason also applies to each of these
        RoutingCandidate inactive = c().offerInactive().schedule(saturday).offerCap(0).concurrency(1).build();
        RoutingCandidate duplicate = c().schedule(saturday).offerCap(0).concurrency(1).build();
        RoutingCandidate schedule = c().schedule(saturday).offerCap(0).concurrency(1).build();
        RoutingCandidate concurrency = c().offerCap(0).concurrency(1).build();
        Counters counters = new Counters();
        for (RoutingCandidate x : List.of(inactive, duplicate, schedule, concurrency)) {
            counters.active(x.buyerId(), 1);
        }
        RoutingDecision d = engine.decide(
                new RoutingContext(TUESDAY_MORNING_NY, null, null, Set.of(inactive.buyerId(), duplicate.buyerId())),
                List.of(inactive, duplicate, schedule, concurrency), counters);
        assertThat(d.skipped()).extracting(Skip::reason).containsExactly(
                SkipReason.INACTIVE, SkipReason.DUPLICATE, SkipReason.SCHEDULE, SkipReason.CONCURRENCY);

        // GEO comes before DUPLICATE and after INACTIVE
        RoutingDecision geo = engine.decide(
                new RoutingContext(TUESDAY_MORNING_NY, "CA", Set.of("FL"), Set.of(duplicate.buyerId())),
                List.of(inactive, duplicate), counters);
        assertThat(geo.skipped()).extracting(Skip::reason).containsExactly(SkipReason.INACTIVE, SkipReason.GEO);
    }

    @Test
    void concurrencyLimitIsInclusive() {
        RoutingCandidate x = c().concurrency(2).build();
        assertThat(engine.decide(at(TUESDAY_MORNING_NY), List.of(x), new Counters().active(x.buyerId(), 1))
                .stack()).hasSize(1);
        assertThat(engine.decide(at(TUESDAY_MORNING_NY), List.of(x), new Counters().active(x.buyerId(), 2))
                .skipped()).extracting(Skip::reason).containsExactly(SkipReason.CONCURRENCY);
    }

    @Test
    void capOfZeroIsClosedAndNullIsUnlimited() {
        RoutingCandidate offerZero = c().offerCap(0).build();
        RoutingCandidate buyerZero = c().buyerCap(0).build();
        RoutingCandidate unlimited = c().build();
        Counters busyDay = new Counters()
                .used(unlimited.offerId(), LocalDate.of(2026, 3, 10), 1_000_000)
                .used(unlimited.buyerId(), LocalDate.of(2026, 3, 10), 1_000_000);

        RoutingDecision d = engine.decide(at(TUESDAY_MORNING_NY), List.of(offerZero, buyerZero, unlimited), busyDay);

        assertThat(d.skipped()).containsExactly(
                new Skip(offerZero.buyerId(), offerZero.offerId(), SkipReason.DAILY_CAP),
                new Skip(buyerZero.buyerId(), buyerZero.offerId(), SkipReason.DAILY_CAP));
        assertThat(buyers(d)).containsExactly(unlimited.buyerId());
    }

    @Test
    void capsAreCountedInTheBuyersLocalDay() {
        // 2026-03-10T16:30Z: still Tuesday the 10th in UTC and New York, already Wednesday the 11th in Tokyo
        Instant now = Instant.parse("2026-03-10T16:30:00Z");
        LocalDate utcDay = LocalDate.of(2026, 3, 10);
        LocalDate tokyoDay = LocalDate.of(2026, 3, 11);
        RoutingCandidate tokyo = c().zone(TOKYO).offerCap(10).buyerCap(10).build();
        RoutingCandidate newYork = c().zone(NEW_YORK).offerCap(10).build();

        // yesterday (in Tokyo) is full, today has room
        Counters counters = new Counters()
                .used(tokyo.offerId(), utcDay, 10).used(tokyo.buyerId(), utcDay, 10)
                .used(tokyo.offerId(), tokyoDay, 9).used(tokyo.buyerId(), tokyoDay, 9)
                .used(newYork.offerId(), utcDay, 10);
        RoutingDecision d = engine.decide(at(now), List.of(tokyo, newYork), counters);

        assertThat(d.stack()).containsExactly(new Choice(tokyo, tokyoDay));
        assertThat(d.skipped()).containsExactly(new Skip(newYork.buyerId(), newYork.offerId(), SkipReason.DAILY_CAP));
        assertThat(counters.daysAsked).containsExactly(tokyoDay, tokyoDay, utcDay);

        // Tokyo's own day full: capped although the UTC day has room
        Counters tokyoFull = new Counters().used(tokyo.buyerId(), tokyoDay, 10);
        assertThat(engine.decide(at(now), List.of(tokyo), tokyoFull).skipped())
                .containsExactly(new Skip(tokyo.buyerId(), tokyo.offerId(), SkipReason.DAILY_CAP));
    }

    @Test
    void schedulesAreCheckedInTheBuyersZone() {
        // 15:00Z Tuesday: 11:00 in New York (open 9-5), midnight Wednesday in Tokyo (closed 9-5)
        RoutingCandidate newYork = c().zone(NEW_YORK).schedule(WEEKDAYS_9_TO_5).build();
        RoutingCandidate tokyo = c().zone(TOKYO).schedule(WEEKDAYS_9_TO_5).build();
        RoutingCandidate tokyoNight = c().zone(TOKYO).schedule(new ScheduleRule(EnumSet.of(DayOfWeek.TUESDAY),
                LocalTime.of(22, 0), LocalTime.of(2, 0))).build();

        RoutingDecision d = engine.decide(at(TUESDAY_MORNING_NY), List.of(newYork, tokyo, tokyoNight), CapacityView.EMPTY);

        assertThat(d.skipped()).containsExactly(new Skip(tokyo.buyerId(), tokyo.offerId(), SkipReason.SCHEDULE));
        assertThat(d.stack()).extracting(Choice::candidate).containsExactlyInAnyOrder(newYork, tokyoNight);
        assertThat(d.stack()).filteredOn(ch -> ch.candidate() == tokyoNight)
                .extracting(Choice::buyerDay).containsExactly(LocalDate.of(2026, 3, 11));
    }

    @Test
    void schedulesAcrossDstChangesRoute() {
        ScheduleRule earlySunday = new ScheduleRule(EnumSet.of(DayOfWeek.SUNDAY), LocalTime.of(1, 30), LocalTime.of(3, 0));
        ScheduleRule saturdayNight = new ScheduleRule(EnumSet.of(DayOfWeek.SATURDAY), LocalTime.of(22, 0), LocalTime.of(2, 0));
        RoutingCandidate early = c().schedule(earlySunday).priority(1).build();
        RoutingCandidate night = c().schedule(saturdayNight).priority(2).build();
        RoutingCandidate always = c().priority(3).build();
        List<RoutingCandidate> all = List.of(early, night, always);

        // spring forward 2026-03-08: 01:45 EST, both open
        assertThat(engine.decide(at(Instant.parse("2026-03-08T06:45:00Z")), all, CapacityView.EMPTY).stack())
                .extracting(Choice::candidate).containsExactly(early, night, always);
        // 03:00 EDT: both closed (the clock skipped 02:00-03:00)
        RoutingDecision after = engine.decide(at(Instant.parse("2026-03-08T07:00:00Z")), all, CapacityView.EMPTY);
        assertThat(after.stack()).extracting(Choice::candidate).containsExactly(always);
        assertThat(after.skipped()).extracting(Skip::reason).containsExactly(SkipReason.SCHEDULE, SkipReason.SCHEDULE);

        // fall back 2026-11-01: 02:00 EDT (06:00Z) goes back to 01:00 EST. 01:45 EST is the second pass of the
        // repeated hour: both windows are still open (02:00 exists only as 02:00 EST)
        assertThat(engine.decide(at(Instant.parse("2026-11-01T06:45:00Z")), all, CapacityView.EMPTY).stack())
                .extracting(Choice::candidate).containsExactly(early, night, always);
        // 02:00 EST: the overnight window has closed, the 01:30-03:00 one has not
        RoutingDecision twoAm = engine.decide(at(Instant.parse("2026-11-01T07:00:00Z")), all, CapacityView.EMPTY);
        assertThat(twoAm.stack()).extracting(Choice::candidate).containsExactly(early, always);
        assertThat(twoAm.skipped()).containsExactly(new Skip(night.buyerId(), night.offerId(), SkipReason.SCHEDULE));
        // 03:00 EST: both closed
        assertThat(engine.decide(at(Instant.parse("2026-11-01T08:00:00Z")), all, CapacityView.EMPTY).stack())
                .extracting(Choice::candidate).containsExactly(always);
    }

    @Test
    void oneListDecidedAsTimeMovesOnMatchesTheReferenceSchedule() {
        // the engine keeps per-zone clocks between decisions on the same list; walk across midnights and both
        // 2026 DST changes of several zones and compare every schedule verdict and buyer day with java.time
        SplittableRandom rnd = new SplittableRandom(99);
        List<ZoneId> zones = List.of(NEW_YORK, TOKYO, ZoneId.of("Europe/London"), ZoneId.of("Australia/Lord_Howe"),
                ZoneId.of("America/Santiago"), ZoneId.of("Asia/Kolkata"));
        List<RoutingCandidate> candidates = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            List<ScheduleRule> rules = new ArrayList<>();
            for (int r = rnd.nextInt(1, 3); r > 0; r--) {
                EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
                for (DayOfWeek d : DayOfWeek.values()) {
                    if (rnd.nextBoolean()) {
                        days.add(d);
                    }
                }
                rules.add(new ScheduleRule(days, LocalTime.ofSecondOfDay(rnd.nextInt(96) * 900L),
                        LocalTime.ofSecondOfDay(rnd.nextInt(96) * 900L)));
            }
            candidates.add(c().zone(zones.get(i % zones.size())).schedule(rules.toArray(ScheduleRule[]::new)).build());
        }
        List<RoutingCandidate> list = List.copyOf(candidates);
        List<Instant> instants = new ArrayList<>();
        for (String from : List.of("2026-03-06T00:00:00Z", "2026-03-27T12:00:00Z", "2026-10-01T00:00:00Z",
                "2026-10-23T12:00:00Z", "2026-04-03T00:00:00Z")) {
            Instant now = Instant.parse(from);
            for (int step = 0; step < 400; step++) {
                now = now.plusSeconds(rnd.nextInt(60, 1800));
                instants.add(now);
                instants.add(now.plusSeconds(rnd.nextInt(1, 60)).plusNanos(rnd.nextInt(1_000_000_000)));
            }
        }
        // forwards, as calls arrive, then in random order (concurrent calls may present their instants out of order)
        List<Instant> shuffled = new ArrayList<>(instants);
        java.util.Collections.shuffle(shuffled, new java.util.Random(4));
        instants.addAll(shuffled);
        for (Instant now : instants) {
            RoutingDecision d = engine.decide(at(now), list, CapacityView.EMPTY);
            Set<UUID> closed = new HashSet<>();
            d.skipped().forEach(s -> {
                assertThat(s.reason()).isEqualTo(SkipReason.SCHEDULE);
                closed.add(s.offerId());
            });
            for (RoutingCandidate x : list) {
                boolean open = BuyerScheduleTest.referenceIsOpen(x.schedule(), x.buyerZone(), now);
                assertThat(!closed.contains(x.offerId())).as("%s in %s", now, x.buyerZone()).isEqualTo(open);
            }
            for (Choice ch : d.stack()) {
                assertThat(ch.buyerDay()).isEqualTo(LocalDate.ofInstant(now, ch.candidate().buyerZone()));
            }
        }
    }

    @Test
    void emptyScheduleIsAlwaysOpen() {
        RoutingCandidate always = c().zone(TOKYO).build();
        for (String t : List.of("2026-03-08T07:00:00Z", "2026-11-01T06:30:00Z", "2026-06-13T03:00:00Z")) {
            assertThat(engine.decide(at(Instant.parse(t)), List.of(always), CapacityView.EMPTY).stack()).hasSize(1);
        }
    }

    @Test
    void lowerPriorityRoutesFirstWhateverTheWeights() {
        RoutingCandidate p3 = c().priority(3).weights(1000, 1000).build();
        RoutingCandidate p0 = c().priority(0).weights(1, 1).build();
        RoutingCandidate p1 = c().priority(1).weights(1000, 1000).build();
        RoutingCandidate p2 = c().priority(2).weights(1, 1).build();
        for (int i = 0; i < 200; i++) {
            RoutingDecision d = engine.decide(at(TUESDAY_MORNING_NY), List.of(p3, p0, p1, p2), CapacityView.EMPTY);
            assertThat(d.stack()).extracting(Choice::candidate).containsExactly(p0, p1, p2, p3);
        }
    }

    @Test
    void priorityGroupsKeepTheirOrderAndShuffleWithin() {
        List<RoutingCandidate> candidates = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            for (int i = 0; i < 20; i++) {
                candidates.add(c().priority(p).weights(1 + i, 1).build());
            }
        }
        java.util.Collections.shuffle(candidates, new java.util.Random(3));
        Set<List<UUID>> orders = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            RoutingDecision d = engine.decide(at(TUESDAY_MORNING_NY), candidates, CapacityView.EMPTY);
            assertThat(d.stack()).hasSize(100);
            assertThat(d.stack()).extracting(ch -> ch.candidate().priority()).isSorted();
            assertThat(d.stack()).extracting(Choice::candidate).containsExactlyInAnyOrderElementsOf(candidates);
            orders.add(buyers(d));
        }
        assertThat(orders).hasSizeGreaterThan(15);
    }

    @Test
    void equalPriorityPrimarySplitFollowsWeights() {
        RoutingCandidate heavy = c().weights(3, 1).build();
        RoutingCandidate light = c().weights(1, 1).build();
        int trials = 40_000;
        int heavyFirst = 0;
        for (int i = 0; i < trials; i++) {
            if (engine.decide(at(TUESDAY_MORNING_NY), List.of(light, heavy), CapacityView.EMPTY)
                    .primary().orElseThrow().candidate() == heavy) {
                heavyFirst++;
            }
        }
        // sd = sqrt(.75 * .25 / 40000) = 0.0022; tolerance 0.01 is > 4.5 sd
        assertThat(heavyFirst / (double) trials).isCloseTo(0.75, within(0.01));
    }

    @Test
    void effectiveWeightIsOfferWeightTimesBuyerWeight() {
        RoutingCandidate a = c().weights(2, 3).build();  // 6
        RoutingCandidate b = c().weights(1, 2).build();  // 2
        RoutingCandidate z = c().weights(4, 1).build();  // 4
        Map<RoutingCandidate, Integer> first = new HashMap<>();
        int trials = 60_000;
        for (int i = 0; i < trials; i++) {
            first.merge(engine.decide(at(TUESDAY_MORNING_NY), List.of(a, b, z), CapacityView.EMPTY)
                    .primary().orElseThrow().candidate(), 1, Integer::sum);
        }
        assertThat(first.get(a) / (double) trials).isCloseTo(6 / 12.0, within(0.01));
        assertThat(first.get(z) / (double) trials).isCloseTo(4 / 12.0, within(0.01));
        assertThat(first.get(b) / (double) trials).isCloseTo(2 / 12.0, within(0.01));
    }

    @Test
    void fallbackOrderIsWeightedSamplingWithoutReplacement() {
        // weights 2, 1, 1: P(second = y | first = x) = 1/2, so P(order x, y, w) = 2/4 * 1/2 = 0.25
        RoutingCandidate x = c().weights(2, 1).build();
        RoutingCandidate y = c().weights(1, 1).build();
        RoutingCandidate w = c().weights(1, 1).build();
        int trials = 40_000;
        int xyw = 0;
        int yxw = 0;
        for (int i = 0; i < trials; i++) {
            List<RoutingCandidate> order = engine.decide(at(TUESDAY_MORNING_NY), List.of(w, y, x), CapacityView.EMPTY)
                    .stack().stream().map(Choice::candidate).toList();
            if (order.equals(List.of(x, y, w))) {
                xyw++;
            } else if (order.equals(List.of(y, x, w))) {
                yxw++; // 1/4 * 2/3 = 1/6
            }
        }
        assertThat(xyw / (double) trials).isCloseTo(0.25, within(0.01));
        assertThat(yxw / (double) trials).isCloseTo(1 / 6.0, within(0.01));
    }

    @Test
    void zeroWeightGoesAfterPositiveWeightsOfItsPriority() {
        RoutingCandidate zero = c().weights(0, 5).build();
        RoutingCandidate one = c().weights(1, 1).build();
        RoutingCandidate later = c().priority(2).build();
        for (int i = 0; i < 100; i++) {
            assertThat(engine.decide(at(TUESDAY_MORNING_NY), List.of(zero, later, one), CapacityView.EMPTY).stack())
                    .extracting(Choice::candidate).containsExactly(one, zero, later);
        }
    }

    @Test
    void extremePrioritiesStillSort() {
        // too wide to pack into one long: the engine falls back to an object sort with the same order
        RoutingCandidate max = c().priority(Integer.MAX_VALUE).build();
        RoutingCandidate min = c().priority(Integer.MIN_VALUE).build();
        RoutingCandidate zeroA = c().priority(0).weights(1000, 1000).build();
        RoutingCandidate zeroB = c().priority(0).weights(1, 1).build();
        int aFirst = 0;
        for (int i = 0; i < 2000; i++) {
            List<RoutingCandidate> order = engine.decide(at(TUESDAY_MORNING_NY), List.of(max, zeroB, zeroA, min),
                    CapacityView.EMPTY).stack().stream().map(Choice::candidate).toList();
            assertThat(order.get(0)).isEqualTo(min);
            assertThat(order.get(3)).isEqualTo(max);
            aFirst += order.get(1) == zeroA ? 1 : 0;
        }
        assertThat(aFirst).isGreaterThan(1990);
    }

    @Test
    void seededEnginesDecideIdentically() {
        List<RoutingCandidate> candidates = new ArrayList<>();
        SplittableRandom data = new SplittableRandom(11);
        for (int i = 0; i < 1000; i++) {
            candidates.add(c().priority(data.nextInt(4)).weights(1 + data.nextInt(10), 1 + data.nextInt(10))
                    .zone(i % 2 == 0 ? NEW_YORK : TOKYO).build());
        }
        RoutingEngine first = new RoutingEngine(RandomGeneratorFactory.of("L64X128MixRandom").create(2026));
        RoutingEngine second = new RoutingEngine(RandomGeneratorFactory.of("L64X128MixRandom").create(2026));
        RoutingEngine other = new RoutingEngine(RandomGeneratorFactory.of("L64X128MixRandom").create(2027));
        for (int i = 0; i < 5; i++) {
            RoutingDecision a = first.decide(at(TUESDAY_MORNING_NY), candidates, CapacityView.EMPTY);
            RoutingDecision b = second.decide(at(TUESDAY_MORNING_NY), candidates, CapacityView.EMPTY);
            RoutingDecision c = other.decide(at(TUESDAY_MORNING_NY), candidates, CapacityView.EMPTY);
            assertThat(a).isEqualTo(b);
            assertThat(a.stack()).hasSize(1000);
            assertThat(c.stack()).isNotEqualTo(a.stack());
        }
    }

    @Test
    void twoOffersOfOneBuyerAreJudgedIndependently() {
        UUID buyer = UUID.randomUUID();
        LocalDate day = LocalDate.of(2026, 3, 10);
        RoutingCandidate capped = c().buyer(buyer).offerCap(5).build();
        RoutingCandidate open = c().buyer(buyer).offerCap(5).build();
        Counters counters = new Counters().used(capped.offerId(), day, 5).used(open.offerId(), day, 4);

        RoutingDecision d = engine.decide(at(TUESDAY_MORNING_NY), List.of(capped, open), counters);

        assertThat(d.skipped()).containsExactly(new Skip(buyer, capped.offerId(), SkipReason.DAILY_CAP));
        assertThat(d.stack()).containsExactly(new Choice(open, day));
    }

    @Test
    void aListChangedInPlaceIsReadAgain() {
        RoutingCandidate open = c().build();
        RoutingCandidate inactive = c().offerInactive().build();
        List<RoutingCandidate> mutable = new ArrayList<>(List.of(open, inactive));
        assertThat(engine.decide(at(TUESDAY_MORNING_NY), mutable, CapacityView.EMPTY).stack())
                .extracting(Choice::candidate).containsExactly(open);
        // same list instance, same size, one element replaced: the engine's column-wise copy must not be reused
        RoutingCandidate reactivated = c().build();
        mutable.set(1, reactivated);
        RoutingDecision d = engine.decide(at(TUESDAY_MORNING_NY), mutable, CapacityView.EMPTY);
        assertThat(d.skipped()).isEmpty();
        assertThat(d.stack()).extracting(Choice::candidate).containsExactlyInAnyOrder(open, reactivated);
        mutable.remove(0);
        assertThat(engine.decide(at(TUESDAY_MORNING_NY), mutable, CapacityView.EMPTY).stack())
                .extracting(Choice::candidate).containsExactly(reactivated);
    }

    @Test
    void manyCampaignsTakeTurns() {
        // more lists than the engine keeps laid out: evicted ones are laid out again, never mixed up
        List<List<RoutingCandidate>> campaigns = new ArrayList<>();
        for (int k = 0; k < 400; k++) {
            campaigns.add(List.of(c().priority(1).build(), c().priority(2).build(), c().offerInactive().build()));
        }
        for (int round = 0; round < 3; round++) {
            for (List<RoutingCandidate> campaign : campaigns) {
                RoutingDecision d = engine.decide(at(TUESDAY_MORNING_NY), campaign, CapacityView.EMPTY);
                assertThat(d.stack()).extracting(Choice::candidate).containsExactly(campaign.get(0), campaign.get(1));
                assertThat(d.skipped()).extracting(Skip::offerId).containsExactly(campaign.get(2).offerId());
            }
        }
    }

    @Test
    void repeatedDecisionsOnOneListFollowTheLiveCounters() {
        RoutingCandidate x = c().concurrency(1).offerCap(2).build();
        List<RoutingCandidate> list = List.of(x);
        LocalDate day = LocalDate.of(2026, 3, 10);
        assertThat(engine.decide(at(TUESDAY_MORNING_NY), list, new Counters()).stack()).hasSize(1);
        assertThat(engine.decide(at(TUESDAY_MORNING_NY), list, new Counters().active(x.buyerId(), 1)).skipped())
                .extracting(Skip::reason).containsExactly(SkipReason.CONCURRENCY);
        assertThat(engine.decide(at(TUESDAY_MORNING_NY), list, new Counters().used(x.offerId(), day, 2)).skipped())
                .extracting(Skip::reason).containsExactly(SkipReason.DAILY_CAP);
        // the next buyer-local day starts from the counters of that day
        assertThat(engine.decide(at(Instant.parse("2026-03-11T15:00:00Z")), list,
                new Counters().used(x.offerId(), day, 2)).stack()).extracting(Choice::buyerDay)
                .containsExactly(LocalDate.of(2026, 3, 11));
    }

    @Test
    void nothingEligibleGivesAnEmptyStack() {
        RoutingDecision none = engine.decide(at(TUESDAY_MORNING_NY), List.of(), CapacityView.EMPTY);
        assertThat(none.stack()).isEmpty();
        assertThat(none.skipped()).isEmpty();
        assertThat(none.primary()).isEmpty();
        assertThat(none.fallbacks()).isEmpty();
    }

    @Test
    void resultListsAreUnmodifiable() {
        RoutingDecision d = engine.decide(at(TUESDAY_MORNING_NY), List.of(c().build(), c().offerInactive().build()),
                CapacityView.EMPTY);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.stack().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.skipped().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void defaultEngineIsSafeToShareBetweenThreads() throws Exception {
        RoutingEngine shared = new RoutingEngine();
        RoutingCandidate heavy = c().weights(3, 1).build();
        RoutingCandidate light = c().weights(1, 1).build();
        int threads = 4;
        int perThread = 10_000;
        int[] heavyFirst = new int[threads];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int slot = t;
            Thread worker = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    if (shared.decide(at(TUESDAY_MORNING_NY), List.of(heavy, light), CapacityView.EMPTY)
                            .primary().orElseThrow().candidate() == heavy) {
                        heavyFirst[slot]++;
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread w : workers) {
            w.join();
        }
        for (int count : heavyFirst) {
            assertThat(count / (double) perThread).isCloseTo(0.75, within(0.025));
        }
    }

    @Test
    void scheduleRuleCopiesItsDays() {
        EnumSet<DayOfWeek> days = EnumSet.of(DayOfWeek.MONDAY);
        ScheduleRule rule = new ScheduleRule(days, LocalTime.NOON, LocalTime.NOON);
        days.add(DayOfWeek.TUESDAY);
        assertThat(rule.days()).containsExactly(DayOfWeek.MONDAY);
        assertThat(rule.crossesMidnight()).isTrue();
    }
}
