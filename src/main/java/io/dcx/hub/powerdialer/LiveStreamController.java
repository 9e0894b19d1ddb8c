package io.dcx.hub.powerdialer;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.Problems;
import io.dcx.hub.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /agent/campaigns/{id}/live}: the campaign's live updates as Server-Sent Events (a {@code campaign}
 * snapshot first, then every {@code DIALER_*} event from the bus). A Spring MVC handler, not a contract operation:
 * Camel's contract routes answer once and a stream stays open, and the contract's consumer owns every path under
 * {@code /api/} (it answers 404 to one it does not know), so the stream lives next to the agent page. Same
 * authentication (bearer JWT, ADMIN or USER) and ownership as the campaign's operations.
 */
@RestController
class LiveStreamController {

    private final Campaigns campaigns;
    private final LiveUpdates live;

    LiveStreamController(Campaigns campaigns, LiveUpdates live) {
        this.campaigns = campaigns;
        this.live = live;
    }

    @GetMapping(path = "/agent/campaigns/{id}/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter live(@PathVariable("id") String id, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        CampaignStore.Campaign campaign;
        try {
            campaign = campaigns.visible(id, Caller.of(request));
        } catch (ProblemException p) {
            Problems.write(response, p);
            return null;
        }
        SseEmitter emitter = new SseEmitter(0L); // open until the agent leaves
        live.watch(campaign.id(), emitter);
        emitter.send(SseEmitter.event().name("campaign").data(campaigns.view(campaign), MediaType.APPLICATION_JSON));
        return emitter;
    }
}
