package io.dcx.hub.integrations;

import io.dcx.hub.conversions.ConversionService;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The hub operations integrators' routes may call, as public {@code direct:} endpoints (documented in
 * routes/README.md). Thin: each hands the body to {@link HubOperations}. A refused input throws a
 * {@link io.dcx.hub.api.ProblemException} (status 400/404/409/422, code, field) back to the calling route, whose own
 * error handling (its {@code routeConfiguration}, or a {@code doTry}) decides what to do.
 * <ul>
 *   <li>{@code direct:dcx.leads.ingest}: a lead (JSON text, Map or JsonNode; dataformats/lead.schema.json) → the
 *       created lead as a Map.</li>
 *   <li>{@code direct:dcx.conversions.record}: a conversion (dataformats/conversion.schema.json, with buyer_id) →
 *       the conversion as a Map; header {@code DcxConversionCreated} is false for a repeat.</li>
 *   <li>{@code direct:dcx.events.publish}: a custom event (dataformats/custom-event.schema.json, type CUSTOM_…) →
 *       the envelope as a Map; it reaches the event bus, webhook endpoints and subscribers after the commit.</li>
 * </ul>
 */
@Component
class IntegrationEntryPoints extends RouteBuilder {

    static final String INGEST_LEAD = "direct:dcx.leads.ingest";
    static final String RECORD_CONVERSION = "direct:dcx.conversions.record";
    static final String PUBLISH_EVENT = "direct:dcx.events.publish";
    static final String CONVERSION_CREATED = "DcxConversionCreated";

    private final HubOperations hub;

    IntegrationEntryPoints(HubOperations hub) {
        this.hub = hub;
    }

    @Override
    public void configure() {
        from(INGEST_LEAD)
                .routeId("integration-ingest-lead")
                .errorHandler(noErrorHandler()) // the caller's error handling decides
                .process(e -> e.getMessage().setBody(hub.ingestLead(e.getMessage().getBody())));

        from(RECORD_CONVERSION)
                .routeId("integration-record-conversion")
                .errorHandler(noErrorHandler()) // the caller's error handling decides
                .process(e -> {
                    ConversionService.Recorded recorded = hub.recordConversion(e.getMessage().getBody());
                    e.getMessage().setHeader(CONVERSION_CREATED, recorded.created());
                    e.getMessage().setBody(recorded.body());
                });

        from(PUBLISH_EVENT)
                .routeId("integration-publish-event")
                .errorHandler(noErrorHandler()) // the caller's error handling decides
                .process(e -> e.getMessage().setBody(hub.publishEvent(e.getMessage().getBody())));
    }
}
