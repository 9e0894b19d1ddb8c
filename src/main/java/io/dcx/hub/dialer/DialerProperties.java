package io.dcx.hub.dialer;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of Dialer v1 ({@code dcx.dialer.*}); docs/configuration.md lists each with its environment variable.
 *
 * @param answerUrl         TwiML URL Twilio runs when the callee answers (an agent bridge, an AI assistant, ...)
 * @param answerMessage     said when no answerUrl is set (inline TwiML)
 * @param machineDetection  Twilio answering-machine detection for dials: blank (off), Enable or DetectMessageEnd
 * @param placeSchedule     the POST /Calls tries of one dial: the wait before each (the first is normally 0s); a try
 *                          after an unknown outcome (5xx, timeout) first asks Twilio whether the call exists
 * @param claimLease        a worker placing a dial holds it this long; after a crash another takes it over (checking
 *                          Twilio first). Must exceed the whole place schedule plus request timeouts
 * @param pollIntervalMs    how often queued dials are looked for (each POST /dial also wakes the worker at once)
 * @param concurrency       dials placed in parallel
 */
@ConfigurationProperties("dcx.dialer")
public record DialerProperties(
        String answerUrl,
        @DefaultValue("Hello, this is a call from DCX. Please hold.") String answerMessage,
        String machineDetection,
        @DefaultValue({"0s", "2s", "10s"}) List<Duration> placeSchedule,
        @DefaultValue("5m") Duration claimLease,
        @DefaultValue("1000") long pollIntervalMs,
        @DefaultValue("4") int concurrency) {}
