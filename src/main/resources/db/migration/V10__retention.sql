-- Issue 9 (retention, delete on request, consent, DNC): what V2 lacks.

-- Retention runs (nightly on Quartz, or POST /api/retention/run): what was applied and what went, per kind.
CREATE TABLE retention_runs (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    trigger       text        NOT NULL CHECK (trigger IN ('SCHEDULED', 'MANUAL')),
    dry_run       boolean     NOT NULL DEFAULT false,
    -- ABANDONED: the instance running it died (the next run that takes the lock marks it)
    status        text        NOT NULL DEFAULT 'RUNNING'
                  CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED', 'ABANDONED')),
    -- the retention settings and the cut-off times the run applied
    settings      jsonb       NOT NULL,
    cutoffs       jsonb       NOT NULL,
    -- {"deleted": {"recording": n, ...}, "failed": {...}, "sample_call_public_ids": {...}}
    report        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    error         text,
    requested_by  text,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);
CREATE INDEX retention_runs_started_idx ON retention_runs (started_at DESC, id DESC);

-- Data-subject erase requests (POST /api/privacy/erase): who asked, when, and what was erased. Never the number.
CREATE TABLE privacy_erasures (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    requested_by  text,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    complete      boolean     NOT NULL,
    report        jsonb       NOT NULL
);
CREATE INDEX privacy_erasures_requested_idx ON privacy_erasures (requested_at DESC);

-- REQ-COM-4: how a campaign's recorded calls obtain consent (stored on each recorded call; NONE when not recorded).
ALTER TABLE campaigns ADD COLUMN recording_consent_source text NOT NULL DEFAULT 'IMPLICIT_IVR'
    CHECK (recording_consent_source IN ('IMPLICIT_IVR', 'AGENT_VERBAL'));

-- When the call's transcript text, summary and analysis were deleted (transcript window or erase);
-- recording_deleted_at and pii_scrubbed_at (V2) do the same for the recording and the CDR's personal data.
ALTER TABLE call_sessions ADD COLUMN transcript_deleted_at timestamptz;

-- Erasing a person nulls their number and name wherever they are kept; these columns were NOT NULL.
ALTER TABLE leads ALTER COLUMN phone DROP NOT NULL;
ALTER TABLE leads ALTER COLUMN contact_name DROP NOT NULL;
ALTER TABLE dial_attempts ALTER COLUMN to_number DROP NOT NULL;
ALTER TABLE dialer_contacts ALTER COLUMN phone_number DROP NOT NULL;
ALTER TABLE dialer_attempts ALTER COLUMN to_number DROP NOT NULL;

-- Retention scans: rows that still hold a transcript artifact, transcripts by age, CDRs not yet scrubbed.
CREATE INDEX call_sessions_transcript_text_idx ON call_sessions (created_at)
    WHERE transcription_text IS NOT NULL OR summary IS NOT NULL OR analysis IS NOT NULL;
CREATE INDEX call_sessions_unscrubbed_idx ON call_sessions (created_at) WHERE pii_scrubbed_at IS NULL;
CREATE INDEX transcripts_created_idx ON transcripts (created_at);
CREATE INDEX call_logs_created_idx ON call_logs (created_at);
CREATE INDEX dial_attempts_created_idx ON dial_attempts (created_at);
CREATE INDEX dialer_attempts_created_idx ON dialer_attempts (created_at);

-- Erase lookups by number: inbound callers and leads (outbound callees use call_sessions_outbound_to_idx and
-- dial_attempts_to_number_idx of V2).
CREATE INDEX call_sessions_inbound_from_idx ON call_sessions (from_number) WHERE direction = 'INBOUND';
CREATE INDEX leads_phone_idx ON leads (phone);
CREATE INDEX dialer_contacts_phone_idx ON dialer_contacts (phone_number);
CREATE INDEX dialer_attempts_to_number_idx ON dialer_attempts (to_number);
