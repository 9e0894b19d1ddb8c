package io.dcx.hub.followups;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * Error handling of a follow-up e-mail, declared once: a send the API did not confirm is a durable retry on
 * {@code dcx.follow-ups.retry-schedule}; a refused e-mail, or the last try, is FAILED with the reason.
 */
@Component
class FollowUpErrors extends RouteConfigurationBuilder {

    static final String ID = "follow-up-email-errors";

    private final FollowUps followUps;

    FollowUpErrors(FollowUps followUps) {
        this.followUps = followUps;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class).handled(true)
                    .process(followUps::failed)
                .end();
    }
}
