-- Issue 7 (Vapi lead batches on Quartz): what V2 lacks.

-- The end-of-call report's transcript and start time on the call log (V2 has the other report fields).
ALTER TABLE call_logs ADD COLUMN transcript text;
ALTER TABLE call_logs ADD COLUMN started_at timestamptz;

-- The batch's claim: pending leads due for a call, never-called first, then by last call (see LeadClaims).
CREATE INDEX leads_claim_idx ON leads (last_called_at ASC NULLS FIRST, created_at, id) WHERE status = 'pending';

-- One row per lead batch run, whichever instance ran it: the cron fire it served (scheduled_fire_time, null for
-- POST /api/cron) and what it did. Operators see the last runs; tests check that a fire ran once in the cluster.
CREATE TABLE lead_batch_runs (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    trigger              text        NOT NULL CHECK (trigger IN ('CRON', 'MANUAL')),
    -- the Quartz instance id of the hub that ran it
    instance_id          text,
    scheduled_fire_time  timestamptz,
    -- why nothing was claimed: AUTOMATION_DISABLED, VAPI_NOT_CONFIGURED, CONCURRENCY_LIMIT, NO_ELIGIBLE_LEADS
    skipped_reason       text,
    claimed              integer     NOT NULL DEFAULT 0 CHECK (claimed >= 0),
    blocked              integer     NOT NULL DEFAULT 0 CHECK (blocked >= 0),
    called               integer     NOT NULL DEFAULT 0 CHECK (called >= 0),
    failed               integer     NOT NULL DEFAULT 0 CHECK (failed >= 0),
    started_at           timestamptz NOT NULL DEFAULT now(),
    finished_at          timestamptz
);
CREATE INDEX lead_batch_runs_started_idx ON lead_batch_runs (started_at DESC);
