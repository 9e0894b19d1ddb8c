package io.dcx.hub.support;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole hub on a random port against a real PostgreSQL database (fresh per test run, Flyway applied). Tests
 * talk HTTP to it like any client. Every subclass shares one Spring context, so keep their configuration equal.
 * Helpers are in {@link HubHttp}.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@AutoConfigureObservability // Boot tests switch metrics export off by default; the hub serves it
public abstract class HubTestBase extends HubHttp {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.URL);
        registry.add("spring.datasource.username", () -> TestDatabase.USERNAME);
        registry.add("spring.datasource.password", () -> TestDatabase.PASSWORD);
        // the shared hub dials AI calls through the JVM's one Retell stand-in
        registry.add("dcx.retell.base-url", () -> RetellStandIn.shared().baseUrl());
        // outside services the hub calls: local stand-ins speaking their documented APIs (one per test JVM)
        registry.add("dcx.twilio.api-base-url", () -> TwilioApiStandIn.shared().baseUrl());
        registry.add("dcx.ai.asr-base-url", () -> OpenAiStandIn.shared().baseUrl());
        registry.add("dcx.vapi.api-base-url", () -> VapiApiStandIn.shared().baseUrl());
        registry.add("dcx.calcom.api-base-url", () -> CalComStandIn.shared().baseUrl());
        registry.add("dcx.resend.api-base-url", () -> ResendStandIn.shared().baseUrl());
    }
}
