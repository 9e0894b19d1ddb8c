package io.dcx.hub.retention;

import java.util.Locale;

/** What a retention run deletes, one metric label and report key each. */
public enum RetentionKind {
    /** Call recordings: the provider's copy, the stored object and the call's link (and Vapi call logs' links). */
    RECORDING,
    /** Transcripts: rows and stored documents, the call's transcript text, summary and analysis, Vapi reports. */
    TRANSCRIPT,
    /** Finished AI jobs (transcription, QA) of calls past the transcript window. */
    AI_ARTIFACT,
    /** Personal data of call records (the consumer's number, names, prompts, provider payloads); economics stay. */
    CDR,
    /** RTB bid log rows ({@code rtb_bids}, which hold a hash of the caller's number) past the CDR window. */
    RTB_BID;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
