package io.dcx.hub.compliance;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gate as a bean, from {@code dcx.compliance.*}; the clock is the context's {@link Clock} if one is defined. */
@Configuration(proxyBeanMethods = false)
class ComplianceConfig {

    @Bean
    ComplianceGate complianceGate(ComplianceProperties properties, ObjectProvider<Clock> clock) {
        return new ComplianceGate(properties.policy(), AreaCodeStates.bundled(properties.areaCodeStates()),
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    CalleeZones calleeZones(ComplianceProperties properties) {
        return new CalleeZones(AreaCodeStates.bundled(properties.areaCodeStates()),
                java.time.ZoneId.of(properties.defaultTimezone()));
    }
}
