package io.dcx.hub.retention;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The retention windows (REQ-COM-5), in days, and what is past them. A recording is past its window when its call
 * was created more than {@code recording_retention_days} ago; a transcript when its own {@code expires_at} has passed
 * or it was created more than {@code transcript_retention_days} ago, whichever comes first (writers such as the
 * Retell webhook set {@code expires_at} from their own TTL); a CDR's personal data when its call was created more
 * than {@code cdr_retention_days} ago. The CDR window is the outer one: recordings and transcripts cannot outlive
 * the call record's personal data.
 */
public record RetentionSettings(int recordingRetentionDays, int transcriptRetentionDays, int cdrRetentionDays) {

    public static final RetentionSettings DEFAULTS = new RetentionSettings(90, 90, 365);
    public static final int MAX_DAYS = 36_500;

    public static final String RECORDING = "recording_retention_days";
    public static final String TRANSCRIPT = "transcript_retention_days";
    public static final String CDR = "cdr_retention_days";

    /** The instants before which data is past its window. */
    public record Cutoffs(Instant now, Instant recordings, Instant transcripts, Instant cdr) {

        public boolean recordingExpired(Instant callCreatedAt) {
            return callCreatedAt.isBefore(recordings);
        }

        public boolean transcriptExpired(Instant createdAt, Instant expiresAt) {
            return createdAt.isBefore(transcripts) || (expiresAt != null && !expiresAt.isAfter(now));
        }

        public boolean cdrExpired(Instant callCreatedAt) {
            return callCreatedAt.isBefore(cdr);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("now", now.toString());
            out.put("recordings_created_before", recordings.toString());
            out.put("transcripts_created_before", transcripts.toString());
            out.put("cdr_created_before", cdr.toString());
            return out;
        }
    }

    public Cutoffs cutoffs(Instant now) {
        return new Cutoffs(now, now.minus(Duration.ofDays(recordingRetentionDays)),
                now.minus(Duration.ofDays(transcriptRetentionDays)), now.minus(Duration.ofDays(cdrRetentionDays)));
    }

    /** A PUT body: all three windows, whole days from 1 to {@value #MAX_DAYS}, none longer than the CDR window. */
    public static RetentionSettings parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.validation(null, "The body must be a JSON object with the three retention windows");
        }
        RetentionSettings s = new RetentionSettings(days(body, RECORDING), days(body, TRANSCRIPT), days(body, CDR));
        if (s.recordingRetentionDays > s.cdrRetentionDays) {
            throw ProblemException.validation(RECORDING, RECORDING + " cannot be longer than " + CDR);
        }
        if (s.transcriptRetentionDays > s.cdrRetentionDays) {
            throw ProblemException.validation(TRANSCRIPT, TRANSCRIPT + " cannot be longer than " + CDR);
        }
        return s;
    }

    /** The stored document; a missing or unusable value falls back to its default. */
    public static RetentionSettings stored(JsonNode value) {
        return new RetentionSettings(storedDays(value, RECORDING, DEFAULTS.recordingRetentionDays),
                storedDays(value, TRANSCRIPT, DEFAULTS.transcriptRetentionDays), storedDays(value, CDR, DEFAULTS.cdrRetentionDays));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(RECORDING, recordingRetentionDays);
        out.put(TRANSCRIPT, transcriptRetentionDays);
        out.put(CDR, cdrRetentionDays);
        return out;
    }

    private static int days(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw ProblemException.validation(field, field + " is required");
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > MAX_DAYS) {
            throw ProblemException.validation(field, field + " must be a whole number of days from 1 to " + MAX_DAYS);
        }
        return v.asInt();
    }

    private static int storedDays(JsonNode value, String field, int fallback) {
        JsonNode v = value == null ? null : value.get(field);
        return v != null && v.isIntegralNumber() && v.asInt() >= 1 && v.asInt() <= MAX_DAYS ? v.asInt() : fallback;
    }
}
