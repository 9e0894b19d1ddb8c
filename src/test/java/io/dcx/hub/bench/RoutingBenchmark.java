package io.dcx.hub.bench;

import io.dcx.hub.routing.CapacityView;
import io.dcx.hub.routing.RoutingCandidate;
import io.dcx.hub.routing.RoutingContext;
import io.dcx.hub.routing.RoutingDecision;
import io.dcx.hub.routing.RoutingEngine;
import io.dcx.hub.routing.ScheduleRule;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

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
import java.util.concurrent.TimeUnit;

/**
 * The routing decision for one call into a campaign of 1,000 offers (issue 3, item 8): 16 buyer time zones,
 * schedules (business hours, overnight windows, split shifts, always open), five priority levels, offer and
 * buyer weights, offer and buyer caps, concurrency limits, a few inactive offers and duplicate-caller buyers,
 * a geo rule the caller passes.
 *
 * <ul>
 *   <li>{@link #decide}: from Tuesday 2026-03-10 15:00Z, live counters in hash maps (about half the offers are
 *       eligible; the rest skipped for schedule, concurrency, caps, inactive, duplicate);</li>
 *   <li>{@link #decideWithoutCounters}: the same calls with {@link CapacityView#EMPTY}, as {@code /twilio/voice}
 *       makes them (capacity is reserved atomically in PostgreSQL right after the decision);</li>
 *   <li>{@link #decideOnDstMorning}: from Sunday 2026-03-08 07:30Z, minutes after the US spring-forward, when every
 *       US zone takes the engine's transition path (and most buyers are closed: it is the middle of the night).</li>
 * </ul>
 * Each call is 2 ms of simulated time after the previous one (500 calls/s, the voice target), so the decisions
 * cross schedule boundaries the way live traffic does instead of replaying one instant.
 *
 * <p>Not a test (surefire does not pick it up): run it with the command in docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 3)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
public class RoutingBenchmark {

    static final int OFFERS = 1_000;
    static final String[] ZONES = {
        "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
        "America/Anchorage", "Pacific/Honolulu", "America/Toronto", "America/Puerto_Rico", "Europe/London",
        "Europe/Berlin", "Asia/Kolkata", "Asia/Manila", "Asia/Tokyo", "Australia/Sydney", "UTC"};

    static final Instant TUESDAY = Instant.parse("2026-03-10T15:00:00Z");
    static final Instant DST_MORNING = Instant.parse("2026-03-08T07:30:00Z");
    static final long NANOS_BETWEEN_CALLS = 2_000_000;
    static final Set<String> ALLOWED_STATES = Set.of("FL", "GA", "TX");

    RoutingEngine engine;
    Set<UUID> duplicates;
    List<RoutingCandidate> candidates;
    CapacityView capacity;
    long calls;

    /** What the caller would hold: live counters in hash maps keyed by buyer and offer for one day. */
    static final class MapCapacity implements CapacityView {
        final Map<UUID, Integer> active = new HashMap<>(2048);
        final Map<UUID, Integer> buyerUsed = new HashMap<>(2048);
        final Map<UUID, Integer> offerUsed = new HashMap<>(2048);

        @Override
        public int activeCalls(UUID buyerId) {
            Integer n = active.get(buyerId);
            return n == null ? 0 : n;
        }

        @Override
        public int buyerUsed(UUID buyerId, LocalDate buyerDay) {
            Integer n = buyerUsed.get(buyerId);
            return n == null ? 0 : n;
        }

        @Override
        public int offerUsed(UUID offerId, LocalDate buyerDay) {
            Integer n = offerUsed.get(offerId);
            return n == null ? 0 : n;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(20_260_310L);
        EnumSet<DayOfWeek> weekdays = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        EnumSet<DayOfWeek> everyDay = EnumSet.allOf(DayOfWeek.class);
        MapCapacity counters = new MapCapacity();
        List<RoutingCandidate> list = new ArrayList<>(OFFERS);
        Set<UUID> duplicates = new HashSet<>();
        for (int i = 0; i < OFFERS; i++) {
            UUID offerId = new UUID(rnd.nextLong(), rnd.nextLong());
            UUID buyerId = new UUID(rnd.nextLong(), rnd.nextLong());
            // a separate ZoneId instance per buyer, as the catalog snapshot parses them row by row
            ZoneId zone = ZoneId.of(ZONES[rnd.nextInt(ZONES.length)]);
            List<ScheduleRule> schedule;
            int shape = rnd.nextInt(10);
            if (shape < 2) {
                schedule = List.of(); // always open
            } else if (shape < 6) {
                schedule = List.of(new ScheduleRule(weekdays, LocalTime.of(7 + rnd.nextInt(3), 0),
                        LocalTime.of(17 + rnd.nextInt(4), 0)));
            } else if (shape < 8) {
                schedule = List.of(new ScheduleRule(everyDay, LocalTime.of(18 + rnd.nextInt(4), 0),
                        LocalTime.of(1 + rnd.nextInt(4), 30)));
            } else {
                schedule = List.of(
                        new ScheduleRule(weekdays, LocalTime.of(8, 0), LocalTime.of(12, 0)),
                        new ScheduleRule(weekdays, LocalTime.of(13, 0), LocalTime.of(18, 0)),
                        new ScheduleRule(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), LocalTime.of(10, 0),
                                LocalTime.of(16, 0)));
            }
            Integer offerCap = rnd.nextInt(2) == 0 ? null : 20 + rnd.nextInt(200);
            Integer buyerCap = rnd.nextInt(3) == 0 ? 50 + rnd.nextInt(500) : null;
            int concurrency = 1 + rnd.nextInt(20);
            boolean offerActive = rnd.nextInt(100) >= 3;
            boolean buyerActive = rnd.nextInt(100) >= 2;
            list.add(new RoutingCandidate(offerId, buyerId, "PHONE_NUMBER", "+1555" + (1_000_000 + i),
                    rnd.nextInt(5), 1 + rnd.nextInt(100), 1 + rnd.nextInt(10), offerActive, buyerActive, zone,
                    schedule, offerCap, buyerCap, concurrency, 1_000 + rnd.nextInt(5_000), 60 + rnd.nextInt(120),
                    null));
            // live load: most buyers have room, ~8% are at their concurrency limit, ~6% have used a cap up
            int load = rnd.nextInt(100);
            counters.active.put(buyerId, load < 8 ? concurrency : rnd.nextInt(concurrency));
            if (offerCap != null) {
                counters.offerUsed.put(offerId, load >= 8 && load < 14 ? offerCap : rnd.nextInt(offerCap));
            }
            if (buyerCap != null) {
                counters.buyerUsed.put(buyerId, load >= 14 && load < 17 ? buyerCap : rnd.nextInt(buyerCap));
            }
            if (rnd.nextInt(200) == 0) {
                duplicates.add(buyerId);
            }
        }
        candidates = List.copyOf(list); // as the catalog snapshot holds them: one immutable list per campaign
        capacity = counters;
        this.duplicates = Set.copyOf(duplicates);
        engine = new RoutingEngine(); // the production configuration: ThreadLocalRandom, shareable

        for (Instant start : List.of(TUESDAY, DST_MORNING)) {
            RoutingContext ctx = new RoutingContext(start, "FL", ALLOWED_STATES, this.duplicates);
            RoutingDecision sample = engine.decide(ctx, candidates, capacity);
            System.out.printf("%n[setup] %s: %d eligible, %d skipped %s%n", ctx.now(), sample.stack().size(),
                    sample.skipped().size(), skipCounts(sample));
        }
    }

    private static Map<String, Integer> skipCounts(RoutingDecision d) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        d.skipped().forEach(s -> counts.merge(s.reason().name(), 1, Integer::sum));
        return counts;
    }

    /** The next call's context, as the voice route builds it: caller from Florida, the campaign's geo rule. */
    private RoutingContext call(Instant start) {
        return new RoutingContext(start.plusNanos(calls++ * NANOS_BETWEEN_CALLS), "FL", ALLOWED_STATES, duplicates);
    }

    @Benchmark
    public RoutingDecision decide() {
        return engine.decide(call(TUESDAY), candidates, capacity);
    }

    @Benchmark
    public RoutingDecision decideWithoutCounters() {
        return engine.decide(call(TUESDAY), candidates, CapacityView.EMPTY);
    }

    @Benchmark
    public RoutingDecision decideOnDstMorning() {
        return engine.decide(call(DST_MORNING), candidates, capacity);
    }
}
