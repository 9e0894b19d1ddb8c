package io.dcx.hub.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ProblemException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What is past its window, and which windows are acceptable. */
class RetentionSettingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-21T03:30:00Z");

    private static Instant daysAgo(long days) {
        return NOW.minus(Duration.ofDays(days));
    }

    @Test
    void aRecordingIsPastItsWindowOnceItsCallIsOlderThanTheWindow() {
        RetentionSettings.Cutoffs c = new RetentionSettings(30, 60, 365).cutoffs(NOW);
        assertThat(c.recordings()).isEqualTo(daysAgo(30));
        assertThat(c.recordingExpired(daysAgo(31))).isTrue();
        assertThat(c.recordingExpired(daysAgo(30).plusSeconds(1))).isFalse();
        assertThat(c.recordingExpired(daysAgo(29))).isFalse();
        assertThat(c.cdrExpired(daysAgo(366))).isTrue();
        assertThat(c.cdrExpired(daysAgo(364))).isFalse();
    }

    @Test
    void aTranscriptGoesAtItsOwnExpiryOrAtTheWindowWhicheverComesFirst() {
        RetentionSettings.Cutoffs c = new RetentionSettings(30, 60, 365).cutoffs(NOW);
        assertThat(c.transcriptExpired(daysAgo(61), NOW.plusSeconds(3600))).isTrue();   // the window
        assertThat(c.transcriptExpired(daysAgo(10), NOW.minusSeconds(1))).isTrue();     // its own expiry (e.g. Retell TTL)
        assertThat(c.transcriptExpired(daysAgo(10), NOW)).isTrue();                     // expires_at <= now
        assertThat(c.transcriptExpired(daysAgo(10), NOW.plusSeconds(1))).isFalse();
        assertThat(c.transcriptExpired(daysAgo(59), null)).isFalse();
    }

    @Test
    void windowsAreWholeDaysAndNoneOutlivesTheCdrWindow() throws Exception {
        assertThat(RetentionSettings.parse(JSON.readTree(
                "{\"recording_retention_days\":30,\"transcript_retention_days\":90,\"cdr_retention_days\":90}")))
                .isEqualTo(new RetentionSettings(30, 90, 90));
        assertField("{\"recording_retention_days\":91,\"transcript_retention_days\":30,\"cdr_retention_days\":90}",
                "recording_retention_days");
        assertField("{\"recording_retention_days\":30,\"transcript_retention_days\":91,\"cdr_retention_days\":90}",
                "transcript_retention_days");
        assertField("{\"recording_retention_days\":0,\"transcript_retention_days\":30,\"cdr_retention_days\":90}",
                "recording_retention_days");
        assertField("{\"recording_retention_days\":1.5,\"transcript_retention_days\":30,\"cdr_retention_days\":90}",
                "recording_retention_days");
        assertField("{\"recording_retention_days\":30,\"transcript_retention_days\":30}", "cdr_retention_days");
        assertField("{\"recording_retention_days\":30,\"transcript_retention_days\":30,\"cdr_retention_days\":36501}",
                "cdr_retention_days");
    }

    @Test
    void aDamagedStoredValueFallsBackToTheDefaults() throws Exception {
        assertThat(RetentionSettings.stored(null)).isEqualTo(RetentionSettings.DEFAULTS);
        assertThat(RetentionSettings.stored(JSON.readTree("{\"recording_retention_days\":\"x\",\"cdr_retention_days\":400}")))
                .isEqualTo(new RetentionSettings(90, 90, 400));
    }

    private static void assertField(String body, String field) {
        assertThatThrownBy(() -> RetentionSettings.parse(JSON.readTree(body)))
                .isInstanceOfSatisfying(ProblemException.class, p -> {
                    assertThat(p.status()).isEqualTo(400);
                    assertThat(p.field()).isEqualTo(field);
                });
    }
}
