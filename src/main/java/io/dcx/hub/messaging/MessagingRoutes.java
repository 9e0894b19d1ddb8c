package io.dcx.hub.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.provider.twilio.Twiml;
import io.dcx.hub.provider.twilio.TwilioForm;
import io.dcx.hub.provider.twilio.TwilioSignatureVerifier;
import io.dcx.hub.resource.ResourceApi;
import io.dcx.hub.resource.ResourceRepository;
import io.dcx.hub.voice.TwilioWebhookErrors;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** {@code POST /twilio/sms} (opt-out keywords) and the messaging registrations API. */
@Component
class MessagingRoutes extends ApiRouteBuilder {

    private final SmsOptOuts optOuts;
    private final TwilioSignatureVerifier signatures;
    private final ResourceRepository repository;
    private final ObjectMapper json;

    MessagingRoutes(SmsOptOuts optOuts, TwilioSignatureVerifier signatures, ResourceRepository repository, ObjectMapper json) {
        super(json);
        this.optOuts = optOuts;
        this.signatures = signatures;
        this.repository = repository;
        this.json = json;
    }

    @Override
    public void configure() {
        from("platform-http:/twilio/sms?httpMethodRestrict=POST&populateBodyWithForm=false")
                .routeId("twilio-sms")
                .routeConfigurationId(TwilioWebhookErrors.ID)
                .setProperty(TwilioWebhookErrors.ON_ERROR_TWIML, constant(Twiml.empty()))
                .process(e -> {
                    TwilioForm form = TwilioForm.parse(e.getMessage().getBody(String.class));
                    String query = e.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
                    if (!signatures.isValid("/twilio/sms", query, form, e.getMessage().getHeader("X-Twilio-Signature", String.class))) {
                        throw new TwilioWebhookErrors.SignatureRejected();
                    }
                    String answer = form.get("From") == null ? Twiml.empty()
                            : optOuts.onInbound(form.get("From"), form.get("Body"), form.get("OptOutType"));
                    var m = e.getMessage();
                    m.removeHeaders("*");
                    m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                    m.setHeader(Exchange.CONTENT_TYPE, Twiml.CONTENT_TYPE);
                    m.setBody(answer);
                });

        ResourceApi.routes(this, new ResourceApi(MessagingResources.REGISTRATIONS, repository, json));
    }
}
