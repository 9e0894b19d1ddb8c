package io.dcx.hub.dialer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.events.BackgroundErrorHandling;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Dialer v1:
 * <ul>
 *   <li>{@code createDial} ({@code POST /dial}): compliance gate, then queue; 202 with the DialResponse.</li>
 *   <li>{@code dial-place}: the worker, one dial per exchange from the {@link #QUEUE} (woken by each commit).</li>
 *   <li>{@code dial-queue-poll}: the safety net, queued dials and expired claims (a worker crashed).</li>
 * </ul>
 */
@Component
class DialRoutes extends ApiRouteBuilder {

    static final String QUEUE = "seda:dial-attempts?size=1000&concurrentConsumers={{dcx.dialer.concurrency}}"
            + "&blockWhenFull=true&offerTimeout=1000";

    private final DialService dials;
    private final DialPlacer placer;
    private final ObjectMapper json;
    private final ProducerTemplate producer;

    DialRoutes(DialService dials, DialPlacer placer, ObjectMapper json, ProducerTemplate producer) {
        super(json);
        this.dials = dials;
        this.placer = placer;
        this.json = json;
        this.producer = producer;
    }

    @Override
    public void configure() {
        operation("createDial")
                .process(e -> {
                    var request = e.getMessage().getHeader("CamelHttpServletRequest", HttpServletRequest.class);
                    Principal who = request == null ? null : request.getUserPrincipal();
                    e.getMessage().setBody(dials.dial(json.readTree(e.getMessage().getBody(String.class)),
                            who == null ? null : who.getName()));
                })
                .process(reply(202));

        from(QUEUE)
                .routeId("dial-place")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .bean(placer, "place");

        from("timer:dial-queue-poll?period={{dcx.dialer.poll-interval-ms}}&delay={{dcx.dialer.poll-interval-ms}}")
                .routeId("dial-queue-poll")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .bean(placer, "claimDue")
                .split(body())
                    .to(QUEUE);
    }

    /** Places a dial as soon as the transaction that queued it commits. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void onQueued(DialService.DialQueued queued) {
        producer.asyncSendBody(QUEUE, queued.dialId().toString());
    }
}
