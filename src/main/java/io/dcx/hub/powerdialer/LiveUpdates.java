package io.dcx.hub.powerdialer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The agents watching each campaign on this instance (Server-Sent Events), and the hand-over of a power-dialer event
 * from the bus to them: the event's name is the SSE event name, its envelope the data.
 */
@Component
class LiveUpdates {

    private final Map<UUID, Set<SseEmitter>> watchers = new ConcurrentHashMap<>();
    private final ObjectMapper json;

    LiveUpdates(ObjectMapper json) {
        this.json = json;
    }

    void watch(UUID campaignId, SseEmitter emitter) {
        watchers.computeIfAbsent(campaignId, k -> ConcurrentHashMap.newKeySet()).add(emitter);
        Runnable gone = () -> forget(campaignId, emitter);
        emitter.onCompletion(gone);
        emitter.onTimeout(gone);
        emitter.onError(t -> gone.run());
    }

    private void forget(UUID campaignId, SseEmitter emitter) {
        watchers.computeIfPresent(campaignId, (k, set) -> {
            set.remove(emitter);
            return set.isEmpty() ? null : set;
        });
    }

    /** An event from the bus (the envelope as JSON); power-dialer events go to their campaign's watchers. */
    void publish(String envelope) throws IOException {
        JsonNode event = json.readTree(envelope);
        String name = event.path("event").asText("");
        String campaign = event.path("dialer_campaign_id").asText(null);
        if (!name.startsWith(PowerDialerEvents.PREFIX) || campaign == null) {
            return;
        }
        Set<SseEmitter> set;
        try {
            set = watchers.get(UUID.fromString(campaign));
        } catch (IllegalArgumentException e) {
            return;
        }
        if (set == null) {
            return;
        }
        for (SseEmitter emitter : set) {
            try {
                emitter.send(SseEmitter.event().name(name).id(event.path("event_id").asText()).data(envelope));
            } catch (IOException | IllegalStateException e) {
                emitter.completeWithError(e); // the agent went away
            }
        }
    }

    int watching(UUID campaignId) {
        Set<SseEmitter> set = watchers.get(campaignId);
        return set == null ? 0 : set.size();
    }
}
