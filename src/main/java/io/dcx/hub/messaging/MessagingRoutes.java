package io.dcx.hub.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.provider.twilio.Twiml;
import io.dcx.hub.provider.twilio.TwilioForm;
import io.dcx.hub.resource.ResourceApi;
import io.dcx.hub.resource.ResourceRepository;
import io.dcx.hub.twilio.TwilioWebhooks;
import org.springframework.stereotype.Component;

/** {@code POST /twilio/sms} (opt-out keywords) and the messaging registrations API. */
@Component
class MessagingRoutes extends ApiRouteBuilder {

    private final SmsOptOuts optOuts;
    private final TwilioWebhooks webhooks;
    private final ResourceRepository repository;
    private final ObjectMapper json;

    MessagingRoutes(SmsOptOuts optOuts, TwilioWebhooks webhooks, ResourceRepository repository, ObjectMapper json) {
        super(json);
        this.optOuts = optOuts;
        this.webhooks = webhooks;
        this.repository = repository;
        this.json = json;
    }

    @Override
    public void configure() {
        webhooks.verified(this, "/twilio/sms", "twilio-sms", Twiml.empty())
                .process(e -> {
                    TwilioForm form = TwilioWebhooks.form(e);
                    TwilioWebhooks.answer(e, form.get("From") == null ? Twiml.empty()
                            : optOuts.onInbound(form.get("From"), form.get("Body"), form.get("OptOutType")));
                });

        ResourceApi.routes(this, new ResourceApi(MessagingResources.REGISTRATIONS, repository, json));
    }
}
