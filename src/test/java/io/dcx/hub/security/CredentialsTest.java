package io.dcx.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcx.hub.config.HubProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-long-enough";

    @Test
    void productionWithoutAdminPasswordRefusesToStart() {
        var config = new HubProperties.Security(SECRET, Duration.ofHours(1), "admin", null);
        assertThatThrownBy(() -> Credentials.resolve(config, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DCX_ADMIN_PASSWORD is not set");
    }

    @Test
    void productionWithoutJwtSecretRefusesToStart() {
        var config = new HubProperties.Security("", Duration.ofHours(1), "admin", "pw");
        assertThatThrownBy(() -> Credentials.resolve(config, false)).hasMessageContaining("DCX_JWT_SECRET is not set");
    }

    @Test
    void shortJwtSecretIsRefusedEvenInDev() {
        var config = new HubProperties.Security("short", Duration.ofHours(1), "admin", "pw");
        assertThatThrownBy(() -> Credentials.resolve(config, true)).hasMessageContaining("at least 32 bytes");
    }

    @Test
    void devProfileGeneratesMissingSecrets() {
        var config = new HubProperties.Security(null, Duration.ofHours(1), "admin", null);
        Credentials credentials = Credentials.resolve(config, true);
        assertThat(credentials.adminPassword()).hasSizeGreaterThanOrEqualTo(12);
        assertThat(credentials.jwtSecret().length).isGreaterThanOrEqualTo(32);
    }
}
