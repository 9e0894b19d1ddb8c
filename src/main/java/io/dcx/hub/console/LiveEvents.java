package io.dcx.hub.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.support.DaemonPools;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The console's live updates: every hub event, reduced to what a page needs to refresh itself (event type, ids and
 * time, never a phone number or a payload), pushed to the open console pages as server-sent events.
 *
 * <p>The events come from the subscriber feed ({@code console-live-events}, {@link ConsoleEventRoutes}), which is
 * started by the first page that opens the stream, so a hub nobody watches does not feed it. Pages are written on
 * one sender thread with a bounded queue: a slow browser delays only other browsers, never the event feed (when the
 * queue is full the oldest update is dropped; a page reloads its list on the next one anyway).
 */
@Component
class LiveEvents implements DisposableBean {

    static final String ROUTE_ID = "console-live-events";
    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
    private static final long STREAM_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(10); // the browser reconnects by itself
    private static final List<String> FIELDS = List.of("event", "event_id", "call_public_id", "occurred_at",
            "campaign_id", "buyer_id", "status");

    private final CamelContext camel;
    private final ObjectMapper json;
    private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1000), DaemonPools.named("console-live-events"),
            new ThreadPoolExecutor.DiscardOldestPolicy());

    LiveEvents(CamelContext camel, ObjectMapper json) {
        this.camel = camel;
        this.json = json;
    }

    SseEmitter subscribe() {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MS);
        emitter.onCompletion(() -> emitters.remove(emitter));
        emitter.onTimeout(() -> emitters.remove(emitter));
        emitter.onError(e -> emitters.remove(emitter));
        emitters.add(emitter);
        startFeed();
        try {
            // tells the page the stream is open (and flushes the headers through any proxy)
            emitter.send(SseEmitter.event().name("ready").data("{}"));
        } catch (IOException e) {
            emitters.remove(emitter);
        }
        return emitter;
    }

    private void startFeed() {
        if (camel.getRouteController().getRouteStatus(ROUTE_ID) != ServiceStatus.Started) {
            try {
                camel.getRouteController().startRoute(ROUTE_ID);
            } catch (Exception e) {
                log.warn("The console's live event feed did not start: {}", e.getMessage());
            }
        }
    }

    int listeners() {
        return emitters.size();
    }

    /** One hub event (the bus envelope as JSON) for every open page. */
    void publish(String envelope) throws IOException {
        if (emitters.isEmpty()) {
            return;
        }
        JsonNode event = json.readTree(envelope);
        Map<String, Object> update = new LinkedHashMap<>();
        for (String field : FIELDS) {
            JsonNode value = event.get(field);
            if (value != null && value.isValueNode() && !value.isNull()) {
                update.put(field, value.asText());
            }
        }
        String data = json.writeValueAsString(update);
        sender.execute(() -> {
            for (SseEmitter emitter : emitters) {
                try {
                    emitter.send(SseEmitter.event().name("hub-event").data(data));
                } catch (IOException | IllegalStateException e) {
                    emitters.remove(emitter);
                }
            }
        });
    }

    @Override
    public void destroy() {
        sender.shutdownNow();
        for (SseEmitter emitter : emitters) {
            emitter.complete();
        }
    }
}
