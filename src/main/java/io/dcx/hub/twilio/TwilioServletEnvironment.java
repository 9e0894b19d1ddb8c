package io.dcx.hub.twilio;

import java.util.Map;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Names Camel's servlet for Twilio's webhooks once per application context ({@code dcx.twilio.servlet-name}). Camel
 * keeps servlets in a registry shared by the whole JVM and refuses a second servlet of the same name, so two hubs in
 * one JVM (tests that restart the hub or run two instances) need different names; the routes look their servlet up
 * by this name.
 */
public class TwilioServletEnvironment implements EnvironmentPostProcessor {

    public static final String SERVLET_NAME = "dcx.twilio.servlet-name";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.containsProperty(SERVLET_NAME)) {
            environment.getPropertySources().addLast(new MapPropertySource("dcxTwilioServlet",
                    Map.of(SERVLET_NAME, "DcxTwilio-" + UUID.randomUUID().toString().substring(0, 8))));
        }
    }
}
