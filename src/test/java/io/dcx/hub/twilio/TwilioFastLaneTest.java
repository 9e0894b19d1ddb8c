package io.dcx.hub.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.GenericServlet;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class TwilioFastLaneTest {

    private final List<String> calls = new ArrayList<>();
    private final FilterChain rest = (req, res) -> calls.add("rest of the chain");

    @Test
    void twilioWebhooksGoStraightToTheNamedServlet() throws Exception {
        TwilioFastLane.FastLane lane = new TwilioFastLane.FastLane(provider(
                Map.of("other", registration("SomeOtherServlet", "other servlet"),
                        "twilio", registration("DcxTwilio-1234", "twilio servlet"))), "DcxTwilio-1234");

        lane.doFilter(new MockHttpServletRequest("POST", "/twilio/voice"), new MockHttpServletResponse(), rest);
        lane.doFilter(new MockHttpServletRequest("POST", "/twilio/status"), new MockHttpServletResponse(), rest);

        assertThat(calls).containsExactly("twilio servlet", "twilio servlet");
    }

    @Test
    void withoutTheServletTheNormalChainRuns() throws Exception {
        TwilioFastLane.FastLane lane = new TwilioFastLane.FastLane(provider(
                Map.of("other", registration("SomeOtherServlet", "other servlet"))), "DcxTwilio-1234");

        lane.doFilter(new MockHttpServletRequest("POST", "/twilio/voice"), new MockHttpServletResponse(), rest);

        assertThat(calls).containsExactly("rest of the chain");
    }

    private ServletRegistrationBean<GenericServlet> registration(String name, String label) {
        ServletRegistrationBean<GenericServlet> registration = new ServletRegistrationBean<>(new GenericServlet() {
            @Override
            public void service(ServletRequest req, ServletResponse res) {
                calls.add(label);
            }
        });
        registration.setName(name);
        return registration;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ObjectProvider<ServletRegistrationBean<?>> provider(Map<String, ServletRegistrationBean<?>> beans) {
        StaticListableBeanFactory factory = new StaticListableBeanFactory((Map) beans);
        return (ObjectProvider) factory.getBeanProvider(ServletRegistrationBean.class);
    }
}
