package io.dcx.hub.returns;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Buyer call returns ({@code dcx.returns.*}).
 *
 * @param window how long after a call ended its buyer may return it ({@code DCX_RETURNS_WINDOW}, 90 s as Retreaver)
 */
@ConfigurationProperties("dcx.returns")
public record ReturnProperties(@DefaultValue("90s") Duration window) {}
