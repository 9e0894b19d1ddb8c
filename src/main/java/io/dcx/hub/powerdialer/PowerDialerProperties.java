package io.dcx.hub.powerdialer;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the power dialer ({@code dcx.power-dialer.*}).
 *
 * @param holdMusicUrl    played in a loop to an answered contact while answering-machine detection runs
 * @param apiKey          {@code TWILIO_API_KEY}: the API key SID that signs agents' Voice SDK access tokens
 * @param apiSecret       {@code TWILIO_API_SECRET}: its secret
 * @param twimlAppSid     {@code TWILIO_TWIML_APP_SID}: the TwiML App whose voice URL is {@code /twilio/dialer/agent}
 * @param tokenTtl        how long an agent's access token is valid
 * @param placeSchedule   the POST /Calls tries of one leg (wait before each); a retry after an unknown outcome first
 *                        asks Twilio whether the call exists
 * @param claimLease      a worker placing a leg holds it this long; after a crash another takes over (checking first)
 * @param pollIntervalMs  how often unplaced legs are looked for (dial-next wakes the workers at once)
 * @param concurrency     legs placed in parallel on this instance
 * @param liveSourceUri   where the live stream reads hub events; blank = derived (Kafka: the events topic in a
 *                        consumer group of this instance's own; in process: {@code dcx.events.subscribe-uri})
 */
@ConfigurationProperties("dcx.power-dialer")
public record PowerDialerProperties(
        @DefaultValue("https://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3") String holdMusicUrl,
        String apiKey,
        String apiSecret,
        String twimlAppSid,
        @DefaultValue("1h") Duration tokenTtl,
        @DefaultValue({"0s", "2s", "10s"}) List<Duration> placeSchedule,
        @DefaultValue("5m") Duration claimLease,
        @DefaultValue("1000") long pollIntervalMs,
        @DefaultValue("6") int concurrency,
        String liveSourceUri) {}
