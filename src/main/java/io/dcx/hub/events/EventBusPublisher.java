package io.dcx.hub.events;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.service.ServiceHelper;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Sends a batch of events to the bus endpoint ({@code {{dcx.events.bus-uri}}}) and returns when every one was
 * accepted. The sends are issued one after the other from the calling thread, so the order of the batch is the
 * order on the bus; on Kafka they are pipelined (one round trip for the batch, not one per event) and the record
 * key is the call's public id, so one call's events stay in one partition, in order.
 */
@Component
public class EventBusPublisher implements DisposableBean {

    static final String URI = "{{" + EventBusEnvironment.BUS_URI + "}}";
    private static final long ACK_TIMEOUT_SECONDS = 60;

    private final CamelContext camel;
    private Endpoint endpoint;
    private AsyncProducer producer;

    public EventBusPublisher(CamelContext camel) {
        this.camel = camel;
    }

    /** One event on its way to the bus: the canonical envelope and its partition key. */
    public record BusEvent(String key, String envelope) {}

    public synchronized void publish(List<BusEvent> events) throws Exception {
        if (events.isEmpty()) {
            return;
        }
        AsyncProducer out = producer();
        CountDownLatch acks = new CountDownLatch(events.size());
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (BusEvent event : events) {
            Exchange exchange = endpoint.createExchange(ExchangePattern.InOnly);
            exchange.getMessage().setBody(event.envelope());
            if (event.key() != null) {
                exchange.getMessage().setHeader(KafkaConstants.KEY, event.key());
            }
            out.process(exchange, doneSync -> {
                if (exchange.getException() != null) {
                    failure.compareAndSet(null, exchange.getException());
                }
                acks.countDown();
            });
        }
        if (!acks.await(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The event bus did not acknowledge " + acks.getCount() + " events in time");
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private AsyncProducer producer() throws Exception {
        if (producer == null) {
            endpoint = camel.getEndpoint(URI);
            producer = endpoint.createAsyncProducer();
            ServiceHelper.startService(producer);
        }
        return producer;
    }

    @Override
    public synchronized void destroy() {
        ServiceHelper.stopService(producer);
        producer = null;
    }
}
