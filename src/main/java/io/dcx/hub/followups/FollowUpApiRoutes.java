package io.dcx.hub.followups;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import org.springframework.stereotype.Component;

/** The follow-up e-mail templates, ADMIN only: {@code GET/PUT /api/settings/email-templates}. */
@Component
class FollowUpApiRoutes extends ApiRouteBuilder {

    private final FollowUps followUps;
    private final ObjectMapper json;

    FollowUpApiRoutes(FollowUps followUps, ObjectMapper json) {
        super(json);
        this.followUps = followUps;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("getEmailTemplates")
                .process(e -> e.getMessage().setBody(followUps.templates()))
                .process(reply(200));
        operation("updateEmailTemplates")
                .process(e -> e.getMessage().setBody(followUps.saveTemplates(json.readTree(e.getMessage().getBody(String.class)))))
                .process(reply(200));
    }
}
