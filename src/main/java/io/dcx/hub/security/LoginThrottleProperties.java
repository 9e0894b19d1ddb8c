package io.dcx.hub.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Failed-login limits of {@code POST /api/auth/token} ({@code dcx.security.login-throttle.*}): after
 * {@code maxFailuresPerAccount} failures for one username, or {@code maxFailuresPerIp} from one client address, within
 * {@code window}, further attempts get 429 until the window (counted from its first failure) has passed.
 */
@ConfigurationProperties("dcx.security.login-throttle")
public record LoginThrottleProperties(
        @DefaultValue("5") int maxFailuresPerAccount,
        @DefaultValue("50") int maxFailuresPerIp,
        @DefaultValue("PT15M") Duration window) {}
