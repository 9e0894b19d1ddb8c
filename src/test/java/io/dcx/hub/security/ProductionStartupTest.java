package io.dcx.hub.security;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcx.hub.HubApplication;
import io.dcx.hub.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The real application, started outside the dev profile without DCX_ADMIN_PASSWORD, stops with a clear message. */
class ProductionStartupTest {

    @Test
    void startupFailsWithoutAdminPasswordOutsideDev() {
        SpringApplicationBuilder app = new SpringApplicationBuilder(HubApplication.class)
                .profiles("prod");
        // command-line arguments: they outrank application.yaml, as the environment would
        String[] args = {
            "--server.port=0",
            "--spring.datasource.url=" + TestDatabase.URL,
            "--spring.datasource.username=" + TestDatabase.USERNAME,
            "--spring.datasource.password=" + TestDatabase.PASSWORD,
            "--dcx.security.jwt-secret=0123456789abcdef0123456789abcdef-long-enough",
            "--dcx.security.admin-password=",
            "--dcx.pii.encryption-key=dGVzdC1vbmx5LXBpaS1rZXktMDEyMzQ1Njc4OWFiY2Q=",
            "--logging.level.root=OFF"
        };
        assertThatThrownBy(() -> app.run(args)).rootCause().hasMessageContaining("DCX_ADMIN_PASSWORD is not set");
    }
}
