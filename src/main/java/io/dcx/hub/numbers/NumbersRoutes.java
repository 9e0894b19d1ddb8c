package io.dcx.hub.numbers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiErrorHandling;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.QueryParameters;
import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.events.EventSubscribers;
import io.dcx.hub.numbers.NumberPurchases.Bought;
import io.dcx.hub.numbers.NumberPurchases.Order;
import io.dcx.hub.security.Callers;
import org.apache.camel.model.RouteDefinition;
import org.springframework.stereotype.Component;

/**
 * Numbers through Twilio's API (issue 22): search, purchase, sync (and its nightly run), release, and pool
 * leases with the attribution of calls to leased numbers. Registration by hand ({@code POST /api/numbers}) and
 * {@code PATCH /api/numbers/{id}} (assign, (de)activate) are the catalog's.
 */
@Component
class NumbersRoutes extends ApiRouteBuilder {

    static final String CALL_STARTED = "CALL_STARTED";

    private final AvailableNumbers available;
    private final NumberPurchases purchases;
    private final NumberSync sync;
    private final NumberReleases releases;
    private final NumberPools pools;
    private final EventSubscribers subscribers;

    NumbersRoutes(AvailableNumbers available, NumberPurchases purchases, NumberSync sync, NumberReleases releases,
            NumberPools pools, EventSubscribers subscribers, ObjectMapper json) {
        super(json);
        this.available = available;
        this.purchases = purchases;
        this.sync = sync;
        this.releases = releases;
        this.pools = pools;
        this.subscribers = subscribers;
    }

    @Override
    public void configure() {
        numbersOperation("searchAvailableNumbers")
                .process(e -> e.getMessage().setBody(available.find(QueryParameters.of(e))))
                .process(reply(200));

        // check + write the purchase → buy at Twilio → store (routes at once) → answer
        numbersOperation("purchaseNumber")
                .process(e -> e.getMessage().setBody(purchases.prepare(e.getMessage().getBody(String.class), Callers.name(e))))
                .process(e -> e.getMessage().setBody(purchases.buy(e.getMessage().getBody(Order.class))))
                .process(e -> e.getMessage().setBody(purchases.store(e.getMessage().getBody(Bought.class))))
                .process(reply(201));

        numbersOperation("syncNumbers")
                .process(e -> e.getMessage().setBody(sync.run("MANUAL")))
                .process(reply(200));

        numbersOperation("releaseNumber")
                .process(e -> e.getMessage().setBody(releases.release(e.getMessage().getHeader("id", String.class),
                        QueryParameters.of(e).get("confirm"))))
                .process(reply(200));

        operation("leasePoolNumber")
                .process(e -> e.getMessage().setBody(pools.lease(e.getMessage().getHeader("id", String.class),
                        e.getMessage().getBody(String.class))))
                .process(reply(200));

        // nightly on the clustered Quartz scheduler: one run across instances; recovered on another if one dies
        from("quartz://dcx/number-sync-nightly?cron={{dcx.numbers.sync-cron:0 30 3 * * ?}}"
                + "&trigger.timeZone={{dcx.numbers.sync-time-zone:UTC}}"
                + "&stateful=true&recoverableJob=true&usingFixedCamelContextName=true")
                .routeId("number-sync-nightly")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .autoStartup("{{dcx.numbers.sync-enabled:true}}")
                .process(e -> sync.runNightly());

        // a hub event subscriber (CALL_STARTED only): a started call to a leased pool number takes the lease's attributes
        from(subscribers.subscribe("number-pool-attribution", EventSubscribers.Interest.event(CALL_STARTED)))
                .routeId("number-pool-attribution")
                .filter(header("DcxEvent").isEqualTo(CALL_STARTED))
                    .process(e -> pools.attribute(e.getMessage().getHeader("DcxCallPublicId", String.class)));
    }

    /** An operation that talks to Twilio: the API's error handling plus the Twilio failures' answers. */
    private RouteDefinition numbersOperation(String operationId) {
        return from("direct:" + operationId)
                .routeId(operationId.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase())
                .routeConfigurationId(ApiErrorHandling.ID + "," + NumbersTwilioErrors.ID);
    }
}
