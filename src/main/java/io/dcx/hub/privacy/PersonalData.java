package io.dcx.hub.privacy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What counts as personal data in the hub's tables, and so what retention and erase requests remove. The rule: the
 * consumer's number (the caller of an inbound call, the callee of an outbound one; the other side is the hub's own
 * DID and stays, since it ties the call to its number's trust profile), names, free text about the person, and
 * provider payloads that carry any of these. What stays for reporting: economics, timeline, routing, statuses,
 * scores, dispositions and every id.
 *
 * <p>Three groups, one per retention window: the recording (call recording URLs), the transcript (text, summary,
 * analysis, provider reports that embed the transcript) and the CDR (numbers, names, prompts, provider payloads).
 * An erase request applies all three to the person's rows at once.
 */
public final class PersonalData {

    private PersonalData() {}

    /** The window a column's data belongs to. */
    public enum Window { RECORDING, TRANSCRIPT, CDR }

    /** Personal-data columns of one table, with the window each goes in. */
    public record Table(String name, Map<String, Window> columns) {

        public List<String> columns(Window window) {
            return columns.entrySet().stream().filter(e -> e.getValue() == window).map(Map.Entry::getKey).toList();
        }

        /** {@code a = NULL, b = NULL} for the window's columns. */
        public String nullAssignments(Window window) {
            return columns(window).stream().map(c -> c + " = NULL").collect(Collectors.joining(", "));
        }

        /** {@code (a IS NOT NULL OR b IS NOT NULL)}: the row still holds data of this window. */
        public String holdsData(Window window) {
            return columns(window).stream().map(c -> c + " IS NOT NULL").collect(Collectors.joining(" OR ", "(", ")"));
        }

        /** Every personal column of the table, all windows. */
        public String nullAssignments() {
            return columns.keySet().stream().map(c -> c + " = NULL").collect(Collectors.joining(", "));
        }
    }

    /** The table's columns, window by window ({@link #recording}, {@link #transcript}, {@link #cdr}). */
    @SafeVarargs
    private static Table table(String name, Map<String, Window>... windows) {
        Map<String, Window> out = new LinkedHashMap<>();
        for (Map<String, Window> w : windows) {
            out.putAll(w);
        }
        return new Table(name, out);
    }

    private static Map<String, Window> recording(String... columns) {
        return in(Window.RECORDING, columns);
    }

    private static Map<String, Window> transcript(String... columns) {
        return in(Window.TRANSCRIPT, columns);
    }

    private static Map<String, Window> cdr(String... columns) {
        return in(Window.CDR, columns);
    }

    private static Map<String, Window> in(Window window, String... columns) {
        Map<String, Window> out = new LinkedHashMap<>();
        for (String c : columns) {
            out.put(c, window);
        }
        return out;
    }

    /**
     * Call sessions, besides the consumer's number ({@link #consumerNumberScrub()}) and the recording, which is an
     * object to delete, not a column to clear (recording_url, recording_storage_key: {@code CallArtifacts}).
     */
    public static final Table CALL_SESSIONS = table("call_sessions",
            transcript("transcription_text", "summary", "analysis"),
            cdr("provider_payload", "callee_name", "subject", "prompt", "phone_number_encrypted", "phone_number_hash"));

    /** Dialer v1 attempts: the number dialled and the caller's free-form metadata. */
    public static final Table DIAL_ATTEMPTS = table("dial_attempts", cdr("to_number", "metadata"));

    /** Vapi call logs: recording links, the end-of-call report (transcript, messages, the customer's number). */
    public static final Table CALL_LOGS = table("call_logs",
            recording("recording_url", "stereo_recording_url"),
            transcript("report", "summary", "structured_data"),
            cdr("initial_response"));

    /** Power-dialer attempts: the number dialled and the agent's notes. */
    public static final Table DIALER_ATTEMPTS = table("dialer_attempts", cdr("to_number", "notes"));

    /** Leads are not CDRs (retention leaves them); an erase request clears these. */
    public static final Table LEADS = table("leads",
            cdr("phone", "contact_name", "company_name", "email", "consent_text", "consent_url"),
            transcript("transcript_url", "summary"),
            cdr("cal_booking_uid"));

    /** Power-dialer contacts (like leads): an erase request clears them. */
    public static final Table DIALER_CONTACTS = table("dialer_contacts", cdr("phone_number", "name"));

    /** Columns a scrub must never touch: what reporting needs after the personal data is gone. */
    public static final Set<String> CALL_REPORTING_COLUMNS = Set.of(
            "id", "public_id", "trace_id", "direction", "provider", "twilio_call_sid", "provider_call_id",
            "campaign_id", "supplier_id", "buyer_id", "offer_id", "lead_id", "user_id", "status", "started_at",
            "answered_at", "ended_at", "completed_at", "duration_seconds", "billable_duration_seconds",
            "telephony_cost_cents", "revenue_estimated_cents", "revenue_effective_cents", "profit_cents", "converted",
            "converted_at", "routing_skips", "fallback_reason", "recording_enabled", "recording_consent_source",
            "recording_sid", "recording_duration_seconds", "transcription_status", "sentiment_score", "sentiment_label",
            "llm_qa_score", "call_successful", "disposition", "number_type", "created_at");

    /** The column with the consumer's number: the caller of an inbound call, the callee of an outbound call. */
    public static String consumerNumberColumn(String direction) {
        return "OUTBOUND".equals(direction) ? "to_number" : "from_number";
    }

    /**
     * SQL assignments that clear the consumer's number of a call whatever its direction, leaving the hub's own DID
     * on the other side.
     */
    public static String consumerNumberScrub() {
        return "from_number = CASE WHEN direction = 'OUTBOUND' THEN from_number END, "
                + "to_number = CASE WHEN direction = 'OUTBOUND' THEN NULL ELSE to_number END";
    }

    /** SQL condition: the call still holds its consumer's number. */
    public static String holdsConsumerNumber() {
        return "(CASE WHEN direction = 'OUTBOUND' THEN to_number ELSE from_number END) IS NOT NULL";
    }
}
