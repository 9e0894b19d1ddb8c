-- Power dialer (issue 19): the seed's in-memory campaign, queue and detection state as rows.

-- who owns a campaign (a USER sees only its own), what to do with machines, and the one leg bridged to the agent
ALTER TABLE dialer_campaigns
    ADD COLUMN owner_user_id        uuid,
    ADD COLUMN amd_machine_action   text NOT NULL DEFAULT 'HANGUP' CHECK (amd_machine_action IN ('HANGUP', 'VOICEMAIL')),
    ADD COLUMN voicemail_message    text,
    -- "first human wins": set once, by a single conditional UPDATE (... WHERE connected_attempt_id IS NULL)
    ADD COLUMN connected_attempt_id uuid REFERENCES dialer_attempts (id) ON DELETE SET NULL,
    ADD COLUMN connected_at         timestamptz;
CREATE INDEX dialer_campaigns_owner_idx ON dialer_campaigns (owner_user_id, created_at DESC);

-- the gate's facts for contacts given by number (a contact from a lead uses the lead's), and why one was refused
ALTER TABLE dialer_contacts
    ADD COLUMN timezone       text,
    ADD COLUMN consent        boolean NOT NULL DEFAULT false,
    ADD COLUMN blocked_rule   text,
    ADD COLUMN blocked_reason text;

-- a leg is also the placement's work item: claimed_at is the worker's lease, place_attempts counts POST /Calls
ALTER TABLE dialer_attempts
    ADD COLUMN claimed_at      timestamptz,
    ADD COLUMN place_attempts  integer NOT NULL DEFAULT 0,
    ADD COLUMN ringing_at      timestamptz,
    ADD COLUMN error           text;
ALTER TABLE dialer_attempts DROP CONSTRAINT dialer_attempts_status_check;
ALTER TABLE dialer_attempts ADD CONSTRAINT dialer_attempts_status_check
    CHECK (status IN ('DIALING', 'RINGING', 'QUEUED', 'CONNECTED', 'COMPLETED', 'MACHINE_HANGUP', 'VOICEMAIL',
                      'HUNG_UP', 'NO_ANSWER', 'BUSY', 'FAILED', 'CANCELED', 'BLOCKED'));
-- legs waiting for a worker (not yet placed)
CREATE INDEX dialer_attempts_unplaced_idx ON dialer_attempts (created_at) WHERE status = 'DIALING' AND twilio_call_sid IS NULL;
-- outbound attempts to a number in the last 24 hours (the gate's attempts rule; V10 indexes the number alone)
CREATE INDEX dialer_attempts_to_number_recent_idx ON dialer_attempts (to_number, created_at);
