package io.dcx.hub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.HubTestBase;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The fan-out's in-memory index of subscribed event types follows endpoint changes as soon as they commit. */
class WebhookSubscriptionsTest extends HubTestBase {

    @Autowired
    WebhookSubscriptions subscriptions;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aNewEndpointsFilterIsSeenRightAfterItsCreationAndEveryChange() {
        String typeA = "TEST_A_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String typeB = "TEST_B_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        boolean someEndpointTakesEverything = Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE cardinality(event_types) = 0)", Boolean.class));

        Reply created = post("/api/webhook-endpoints", "{\"url\":\"http://127.0.0.1:9/hook\",\"event_types\":[\"" + typeA + "\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(subscriptions.anyEndpointWants(typeA)).isTrue();
        assertThat(subscriptions.anyEndpointWants(typeB)).isEqualTo(someEndpointTakesEverything);

        Reply patched = patch("/api/webhook-endpoints/" + created.text("id"), "{\"event_types\":[\"" + typeB + "\"],\"enabled\":false}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        // a disabled endpoint still subscribes: its events are kept for when it is enabled again
        assertThat(subscriptions.anyEndpointWants(typeB)).isTrue();
    }
}
