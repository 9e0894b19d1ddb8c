package io.dcx.hub.events;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The hub's own Java subscribers of hub events, each with the events it wants. The feed
 * ({@code io.dcx.hub.integrations.IntegrationEventRoutes}) hands an event to such a subscriber's route (a
 * {@code direct:} endpoint of its own, called from the feed's thread, in bus order, before the feed moves on) only
 * when the subscriber wants it, instead of copying every event to every route on
 * {@code {{dcx.events.subscribe-uri}}} for most of them to filter it out. Subscribers whose filter the hub cannot
 * know (integrators' YAML routes, the console's live stream) keep consuming {@code {{dcx.events.subscribe-uri}}}
 * and get every event as before.
 *
 * <p>An {@link Interest} must say yes to every event the route would act on (the route may keep its own filter);
 * it sees the event type (header {@code DcxEvent}) and the envelope (the JSON string body).
 */
@Component
public class EventSubscribers {

    static final String URI_PREFIX = "direct:dcx.events.subscriber.";

    /** Which events a subscriber wants. */
    @FunctionalInterface
    public interface Interest {
        boolean wants(String event, String envelope);

        /** The events of one type. */
        static Interest event(String type) {
            return (event, envelope) -> type.equals(event);
        }
    }

    /** One subscriber: its route, the endpoint the route consumes, and what it wants. */
    public record Subscriber(String routeId, String uri, Interest interest) {}

    private volatile List<Subscriber> all = List.of();

    /**
     * Registers the route {@code routeId} as a subscriber and returns the endpoint it consumes ({@code from(…)}).
     * Registering the same route again (a route builder configured twice) replaces its entry.
     */
    public synchronized String subscribe(String routeId, Interest interest) {
        // block=false: a stopped subscriber is skipped by the feed, never waited for
        String uri = URI_PREFIX + routeId + "?block=false";
        List<Subscriber> next = new ArrayList<>(all.size() + 1);
        for (Subscriber s : all) {
            if (!s.routeId().equals(routeId)) {
                next.add(s);
            }
        }
        next.add(new Subscriber(routeId, uri, interest));
        all = List.copyOf(next);
        return uri;
    }

    /** Every registered subscriber, in registration order (an immutable snapshot: a new list after each change). */
    public List<Subscriber> all() {
        return all;
    }
}
