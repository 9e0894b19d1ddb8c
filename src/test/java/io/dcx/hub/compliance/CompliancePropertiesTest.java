package io.dcx.hub.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The environment variables the README documents bind to the gate's policy. */
class CompliancePropertiesTest {

    @Test
    void stateWindowsAndAreaCodesComeFromEnvironmentVariables() {
        StandardEnvironment env = new StandardEnvironment();
        // the real environment's source name: only that one gets Spring's environment-variable name mapping
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                "DCX_COMPLIANCE_STATEWINDOWS_TX", "09:00-20:00",
                "DCX_COMPLIANCE_AREACODESTATES_212", "TX",
                "DCX_COMPLIANCE_CALLINGWINDOW", "08:30-21:00",
                "DCX_COMPLIANCE_MAXATTEMPTSPER24H", "5")));
        ComplianceProperties p = new Binder(ConfigurationPropertySources.from(env.getPropertySources()))
                .bindOrCreate("dcx.compliance", ComplianceProperties.class);

        CompliancePolicy policy = p.policy();
        assertThat(policy.stateWindows()).containsEntry("TX", CallingWindow.parse("09:00-20:00"));
        assertThat(policy.defaultWindow()).isEqualTo(CallingWindow.parse("08:30-21:00"));
        assertThat(policy.maxAttemptsPer24h()).isEqualTo(5);
        assertThat(AreaCodeStates.bundled(p.areaCodeStates()).stateOf("+12125550100")).contains("TX");
    }
}
