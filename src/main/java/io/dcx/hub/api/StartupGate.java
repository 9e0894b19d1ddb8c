package io.dcx.hub.api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;

/**
 * Serves nothing until the hub is ready. Tomcat opens its port before Camel has started its routes (every path was
 * 404 for about two seconds) and before the routing snapshot was loaded (Twilio's first calls got the fallback
 * TwiML): until Spring reports {@link ReadinessState#ACCEPTING_TRAFFIC} with Camel started and the snapshot loaded,
 * every request — Twilio's webhooks included — is answered 503 problem+json with {@code Retry-After}; it closes
 * again when readiness goes to REFUSING_TRAFFIC (shutdown). Twilio treats a 503 as a failed webhook and uses the
 * number's fallback URL or retries, which is right for a hub that cannot route yet.
 */
@Configuration(proxyBeanMethods = false)
public class StartupGate {

    private static final Logger log = LoggerFactory.getLogger(StartupGate.class);

    // a provider: the filter is created when the web server starts, long before Camel exists
    private final ObjectProvider<CamelContext> camel;
    private volatile boolean accepting;
    private volatile boolean open;

    public StartupGate(ObjectProvider<CamelContext> camel) {
        this.camel = camel;
    }

    /**
     * Whether requests are served: Spring accepts traffic and Camel has started (in tests Camel may start after the
     * ready event, so Camel's state is looked at per request until the gate has opened).
     */
    public boolean isOpen() {
        if (!open && accepting && camel.getObject().getStatus().isStarted()) {
            open = true;
            log.info("Hub ready: serving requests");
        }
        return open;
    }

    @EventListener
    void onReadiness(AvailabilityChangeEvent<ReadinessState> event) {
        accepting = event.getState() == ReadinessState.ACCEPTING_TRAFFIC;
        if (!accepting && open) {
            open = false;
            log.info("Hub not ready ({}): answering 503", event.getState());
        }
    }

    @Bean
    FilterRegistrationBean<Filter> startupGateFilter() {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new Gate(this));
        registration.setName("startupGate");
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    static final class Gate implements Filter {
        private final StartupGate gate;

        Gate(StartupGate gate) {
            this.gate = gate;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (gate.isOpen()) {
                chain.doFilter(request, response);
                return;
            }
            HttpServletResponse http = (HttpServletResponse) response;
            http.setHeader("Retry-After", "2");
            http.setHeader("Connection", "close");
            Problems.write(http, new ProblemException(503, "NOT_READY",
                    "The hub is starting or stopping; retry shortly"));
        }
    }
}
