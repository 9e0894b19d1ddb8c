package io.dcx.hub.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dcx.hub.events.EventSubscribers;
import io.dcx.hub.support.HubTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The feed's two ways to a subscriber, in the shared hub: a route on {{dcx.events.subscribe-uri}} (a YAML route's
 * way: the hub cannot know its filter) still gets every event, in bus order, with the three headers and the JSON
 * string body; a registered Java subscriber gets exactly the events it wants, in the same order and form; a failing
 * subscriber of either kind is counted and the others still get the event.
 */
class EventFeedDeliveryTest extends HubTestBase {

    @Autowired
    CamelContext camel;

    @Autowired
    EventSubscribers subscribers;

    @Autowired
    MeterRegistry meters;

    record Seen(String event, String eventId, String callPublicId, String body, boolean stringBody) {}

    @Test
    void yamlStyleSubscribersGetEveryEventAndJavaSubscribersTheirOwnInBusOrder() throws Exception {
        String run = UUID.randomUUID().toString();
        List<Seen> yaml = new CopyOnWriteArrayList<>();
        List<Seen> java = new CopyOnWriteArrayList<>();
        List<Seen> failing = new CopyOnWriteArrayList<>();
        String javaUri = subscribers.subscribe("test-feed-java", EventSubscribers.Interest.event("CUSTOM_FEED_B"));
        String failingUri = subscribers.subscribe("test-feed-failing", EventSubscribers.Interest.event("CUSTOM_FEED_A"));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("{{dcx.events.subscribe-uri}}").routeId("test-feed-yaml")
                        .filter(body().contains(run)).process(e -> yaml.add(seen(e)));
                from(javaUri).routeId("test-feed-java")
                        .filter(body().contains(run)).process(e -> java.add(seen(e)));
                // a YAML route that fails on one type: counted as a Java subscriber's failure is (SubscriberFailures)
                from("{{dcx.events.subscribe-uri}}").routeId("test-feed-yaml-failing")
                        .filter(body().contains(run)).filter(header("DcxEvent").isEqualTo("CUSTOM_FEED_C"))
                        .throwException(new IllegalStateException("test YAML subscriber fails"));
                from(failingUri).routeId("test-feed-failing")
                        .filter(body().contains(run)).process(e -> {
                            failing.add(seen(e));
                            throw new IllegalStateException("test subscriber fails");
                        });
            }
        });
        double errorsBefore = meters.counter("integration.subscriber.errors").count();
        try {
            ProducerTemplate producer = camel.createProducerTemplate();
            List<String> types = List.of("CUSTOM_FEED_A", "CUSTOM_FEED_B", "CUSTOM_FEED_C", "CUSTOM_FEED_B",
                    "CUSTOM_FEED_A", "CUSTOM_FEED_B");
            for (int i = 0; i < types.size(); i++) {
                producer.requestBody("direct:dcx.events.publish", "{\"event\":\"" + types.get(i) + "\",\"key\":\"lead-"
                        + run + "\",\"run\":\"" + run + "\",\"seq\":" + i + "}");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> yaml.size() == types.size() && java.size() == 3);

            assertThat(yaml).extracting(Seen::event).containsExactlyElementsOf(types);
            assertThat(yaml).extracting(s -> seq(s.body())).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(yaml).allSatisfy(s -> {
                assertThat(s.stringBody()).isTrue();
                assertThat(s.eventId()).isNotBlank();
                assertThat(s.body()).contains("\"event_id\":\"" + s.eventId() + "\"");
                assertThat(s.callPublicId()).isNull();
            });
            // the Java subscriber: its type only, in bus order, exactly as the YAML-style route saw those events
            assertThat(java).containsExactlyElementsOf(
                    yaml.stream().filter(s -> s.event().equals("CUSTOM_FEED_B")).toList());
            await().atMost(Duration.ofSeconds(5)).until(() -> failing.size() == 2);
            assertThat(failing).containsExactlyElementsOf(
                    yaml.stream().filter(s -> s.event().equals("CUSTOM_FEED_A")).toList());
            // two Java subscriber failures and the YAML route's one
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> meters.counter("integration.subscriber.errors").count() - errorsBefore == 3.0);
        } finally {
            for (String id : List.of("test-feed-yaml", "test-feed-yaml-failing", "test-feed-java", "test-feed-failing")) {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            }
        }
    }

    @Test
    void aStoppedJavaSubscriberIsSkippedNotWaitedFor() throws Exception {
        String run = UUID.randomUUID().toString();
        List<Seen> yaml = new CopyOnWriteArrayList<>();
        String stoppedUri = subscribers.subscribe("test-feed-stopped", (event, envelope) -> true);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("{{dcx.events.subscribe-uri}}").routeId("test-feed-yaml-2")
                        .filter(body().contains(run)).process(e -> yaml.add(seen(e)));
                from(stoppedUri).routeId("test-feed-stopped").autoStartup(false).log("never");
            }
        });
        double errorsBefore = meters.counter("integration.subscriber.errors").count();
        try {
            camel.createProducerTemplate().requestBody("direct:dcx.events.publish",
                    "{\"event\":\"CUSTOM_FEED_D\",\"key\":\"lead-" + run + "\",\"run\":\"" + run + "\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> yaml.size() == 1);
            assertThat(meters.counter("integration.subscriber.errors").count()).isEqualTo(errorsBefore);
        } finally {
            for (String id : List.of("test-feed-yaml-2", "test-feed-stopped")) {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            }
        }
    }

    private static Seen seen(Exchange e) {
        var m = e.getMessage();
        return new Seen(m.getHeader("DcxEvent", String.class), m.getHeader("DcxEventId", String.class),
                m.getHeader("DcxCallPublicId", String.class), m.getBody(String.class), m.getBody() instanceof String);
    }

    private static int seq(String body) {
        int at = body.indexOf("\"seq\":") + 6;
        int end = at;
        while (Character.isDigit(body.charAt(end))) {
            end++;
        }
        return Integer.parseInt(body.substring(at, end));
    }
}
