-- Calls, events and compliance: the rest of the domain model of the seeds.
--   * PRD §5: CallSession, call legs, ConversionEvent, CallAIJob, MessagingRegistration, SmsOptOut
--   * issue 3: atomic cap / concurrency counters, routing skips, failover stack
--   * issue 4: outbox, webhook endpoints, deliveries and their attempts
--   * issues 5-9: Dialer v1 attempts, transcripts (TTL), Retell/Vapi provider data, Vapi call logs,
--     settings, lead CSV imports, DNC, processed provider webhooks, power dialer (sales-dialer-amd seed)
-- Conventions as in V1: uuid keys (a gen_random_uuid() default is added for SQL-side inserts; the hub
-- may still generate its own), money in integer cents (bigint), timestamptz, checked text enums in
-- UPPER_CASE for the hub's own values. Values that are a seed's wire format keep the seed's spelling
-- (dial_attempts.status like DialResponse.status); raw provider values (Twilio DialCallStatus,
-- AnsweredBy, Vapi status, Retell disconnection_reason) are stored unchecked, as received.

-- ---------------------------------------------------------------------------------------------
-- Call sessions: inbound exchange calls (Twilio), Dialer v1 outbound calls (Twilio),
-- scheduled AI calls (Retell, CallCat seed) and lead-batch calls (Vapi).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE call_sessions (
    id                          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- safe external id, 'call_' + random suffix; the CallCat callId and the event's call_public_id
    public_id                   text        NOT NULL,
    trace_id                    uuid        NOT NULL DEFAULT gen_random_uuid(),
    direction                   text        NOT NULL DEFAULT 'INBOUND' CHECK (direction IN ('INBOUND', 'OUTBOUND')),
    provider                    text        NOT NULL DEFAULT 'TWILIO' CHECK (provider IN ('TWILIO', 'RETELL', 'VAPI')),
    -- Twilio CallSid of the parent (consumer) call; also filled for Retell calls carried by Twilio
    twilio_call_sid             text,
    -- the provider's own call id: Twilio CallSid, Retell call_id, Vapi call.id
    provider_call_id            text,
    -- nullable: the retention job scrubs caller numbers; encrypted user calls keep them below instead
    from_number                 text,
    to_number                   text,
    campaign_id                 uuid REFERENCES campaigns (id),
    supplier_id                 uuid REFERENCES suppliers (id),
    buyer_id                    uuid REFERENCES buyers (id),
    offer_id                    uuid REFERENCES offers (id),
    lead_id                     uuid REFERENCES leads (id),
    -- owner of a user-scoped outbound AI call (CallCat); null for exchange calls
    user_id                     uuid REFERENCES users (id),
    status                      text        NOT NULL DEFAULT 'INITIATED'
                                CHECK (status IN ('INITIATED', 'RINGING', 'IN_PROGRESS', 'COMPLETED', 'FAILED',
                                                  'BUSY', 'NO_ANSWER', 'CANCELED', 'SCHEDULED')),
    -- status-callback ordering (Twilio SequenceNumber / Timestamp) for the monotonic state machine
    last_sequence_number        integer,
    last_status_at              timestamptz,
    -- timeline
    scheduled_at                timestamptz,
    started_at                  timestamptz,
    answered_at                 timestamptz,
    ended_at                    timestamptz,
    -- CallCat completedAt: when the call reached a final state (sort key of the completed list)
    completed_at                timestamptz,
    duration_seconds            integer     NOT NULL DEFAULT 0 CHECK (duration_seconds >= 0),
    billable_duration_seconds   integer     NOT NULL DEFAULT 0 CHECK (billable_duration_seconds >= 0),
    -- economics (integer cents); profit is derived and read-only
    telephony_cost_cents        bigint      NOT NULL DEFAULT 0 CHECK (telephony_cost_cents >= 0),
    revenue_estimated_cents     bigint      NOT NULL DEFAULT 0 CHECK (revenue_estimated_cents >= 0),
    revenue_effective_cents     bigint      CHECK (revenue_effective_cents >= 0),
    profit_cents                bigint      GENERATED ALWAYS AS
                                (coalesce(revenue_effective_cents, revenue_estimated_cents) - telephony_cost_cents) STORED,
    converted                   boolean     NOT NULL DEFAULT false,
    converted_at                timestamptz,
    -- routing (issue 3): buyers skipped with reasons [{"buyer_id","offer_id","reason":"SCHEDULE|DAILY_CAP|..."}],
    -- and the remaining ordered failover stack [{"buyer_id","offer_id","destination"}] so any instance
    -- can serve the <Dial action> callback
    routing_skips               jsonb       NOT NULL DEFAULT '[]'::jsonb,
    routing_stack               jsonb       NOT NULL DEFAULT '[]'::jsonb,
    -- why the call went to the fallback (UNKNOWN_DID, CAMPAIGN_INACTIVE, NO_ELIGIBLE_BUYER, STACK_EXHAUSTED,
    -- MAX_RING_TIME, INTERNAL_ERROR, ...)
    fallback_reason             text,
    -- provider error or dial failure explanation (Retell create-phone-call errors, Twilio errors)
    failure_reason              text,
    disconnection_reason        text,
    -- Twilio AMD AnsweredBy on outbound calls (raw value)
    answered_by                 text,
    -- recording (REQ-COM-4, issue 5, issue 9)
    recording_enabled           boolean     NOT NULL DEFAULT false,
    recording_consent_source    text        NOT NULL DEFAULT 'NONE'
                                CHECK (recording_consent_source IN ('IMPLICIT_IVR', 'AGENT_VERBAL', 'NONE')),
    recording_url               text,
    recording_sid               text,
    recording_duration_seconds  integer     CHECK (recording_duration_seconds >= 0),
    recording_storage_key       text,
    recording_deleted_at        timestamptz,
    -- AI (REQ-AI-1) and provider analysis (Retell call_analysis, Vapi analysis)
    transcription_status        text        NOT NULL DEFAULT 'NONE'
                                CHECK (transcription_status IN ('NONE', 'PENDING', 'COMPLETED', 'FAILED')),
    transcription_text          text,
    summary                     text,
    sentiment_score             numeric(4, 3) CHECK (sentiment_score BETWEEN -1 AND 1),
    -- provider's label as sent (Retell user_sentiment: Positive|Negative|Neutral|Unknown)
    sentiment_label             text,
    llm_qa_score                numeric(5, 2) CHECK (llm_qa_score BETWEEN 0 AND 100),
    call_successful             boolean,
    analysis                    jsonb,
    disposition                 text,
    -- AI call set-up (CallCat seed)
    callee_name                 text,
    subject                     text,
    prompt                      text,
    voice_id                    text,
    ai_language                 text,
    agent_id                    text,
    -- user-call numbers encrypted at rest (issue 6): AES-GCM blob + keyed hash (HMAC) for lookups
    phone_number_encrypted      bytea,
    phone_number_hash           text,
    -- dispatch claim for scheduled Retell calls: set in the claiming transaction, never dispatched twice
    dispatched_at               timestamptz,
    dispatch_attempts           integer     NOT NULL DEFAULT 0 CHECK (dispatch_attempts >= 0),
    -- full provider payload (Retell retellCallData, Vapi end-of-call report, last Twilio params)
    provider_payload            jsonb,
    -- retention: CDR personal data scrubbed (from/to numbers, transcript text) at this time
    pii_scrubbed_at             timestamptz,
    created_by                  text,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT call_sessions_public_id_key UNIQUE (public_id),
    -- plain UNIQUE constraints allow any number of NULLs (PostgreSQL's default NULLS DISTINCT), so these
    -- are "unique where not null" and usable as ON CONFLICT (twilio_call_sid) / (provider, provider_call_id)
    CONSTRAINT call_sessions_twilio_call_sid_key UNIQUE (twilio_call_sid),
    CONSTRAINT call_sessions_provider_call_key UNIQUE (provider, provider_call_id)
);
-- admin list: newest first, keyset pagination on (created_at, id); the filtered variants lead with the filter
CREATE INDEX call_sessions_list_idx ON call_sessions (created_at DESC, id DESC);
CREATE INDEX call_sessions_campaign_idx ON call_sessions (campaign_id, created_at DESC, id DESC);
CREATE INDEX call_sessions_supplier_idx ON call_sessions (supplier_id, created_at DESC, id DESC);
CREATE INDEX call_sessions_buyer_idx ON call_sessions (buyer_id, created_at DESC, id DESC);
CREATE INDEX call_sessions_status_idx ON call_sessions (status, created_at DESC, id DESC);
CREATE INDEX call_sessions_offer_idx ON call_sessions (offer_id);
CREATE INDEX call_sessions_lead_idx ON call_sessions (lead_id);
-- CallCat lists: upcoming (SCHEDULED/IN_PROGRESS by scheduled_at asc) and completed (completed_at desc)
CREATE INDEX call_sessions_user_upcoming_idx ON call_sessions (user_id, status, scheduled_at, id);
CREATE INDEX call_sessions_user_completed_idx ON call_sessions (user_id, completed_at DESC, id DESC);
CREATE INDEX call_sessions_user_created_idx ON call_sessions (user_id, created_at DESC, id DESC);
-- due scheduled calls for the Retell dispatcher
CREATE INDEX call_sessions_dispatch_idx ON call_sessions (scheduled_at) WHERE status = 'SCHEDULED';
-- duplicate-caller window per campaign (issue 3)
CREATE INDEX call_sessions_dup_caller_idx ON call_sessions (campaign_id, from_number, created_at DESC);
-- rolling 24 h attempts per number for every outbound flow (compliance gate), clear and hashed numbers
CREATE INDEX call_sessions_outbound_to_idx ON call_sessions (to_number, created_at) WHERE direction = 'OUTBOUND';
CREATE INDEX call_sessions_phone_hash_idx ON call_sessions (phone_number_hash, created_at)
    WHERE phone_number_hash IS NOT NULL;
-- retention scans
CREATE INDEX call_sessions_recording_idx ON call_sessions (created_at)
    WHERE recording_storage_key IS NOT NULL OR recording_url IS NOT NULL;
CREATE INDEX call_sessions_trace_idx ON call_sessions (trace_id);

-- One row per buyer (or fallback number) tried for a call.
CREATE TABLE call_legs (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    call_session_id   uuid        NOT NULL REFERENCES call_sessions (id) ON DELETE CASCADE,
    sequence          integer     NOT NULL CHECK (sequence >= 1),
    kind              text        NOT NULL DEFAULT 'BUYER' CHECK (kind IN ('BUYER', 'FALLBACK')),
    buyer_id          uuid REFERENCES buyers (id),
    offer_id          uuid REFERENCES offers (id),
    destination       text        NOT NULL,
    dial_call_sid     text,
    -- Twilio DialCallStatus as received: completed, answered, busy, no-answer, failed, canceled
    dial_call_status  text,
    duration_seconds  integer     CHECK (duration_seconds >= 0),
    started_at        timestamptz NOT NULL DEFAULT now(),
    answered_at       timestamptz,
    ended_at          timestamptz,
    -- why this leg ended without a connect / why we moved on (BUSY, NO_ANSWER, FAILED, RING_TIMEOUT, ...)
    reason            text,
    -- capacity bookkeeping: the leg holds a concurrency slot from reservation until slot_released_at;
    -- release with "UPDATE call_legs SET slot_released_at = now() WHERE id = ? AND slot_released_at IS NULL"
    -- and decrement buyer_capacity only when that update hit a row (idempotent under duplicate callbacks)
    slot_held         boolean     NOT NULL DEFAULT false,
    slot_released_at  timestamptz,
    -- the buyer-local day whose daily-cap unit(s) this leg consumed; cap_released_at if refunded
    cap_day           date,
    cap_released_at   timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT call_legs_session_sequence_key UNIQUE (call_session_id, sequence),
    CONSTRAINT call_legs_dial_call_sid_key UNIQUE (dial_call_sid)
);
CREATE INDEX call_legs_buyer_idx ON call_legs (buyer_id, started_at DESC);
CREATE INDEX call_legs_offer_idx ON call_legs (offer_id);
-- reconciliation of buyer_capacity: legs still holding a slot
CREATE INDEX call_legs_open_slots_idx ON call_legs (buyer_id) WHERE slot_held AND slot_released_at IS NULL;

-- ---------------------------------------------------------------------------------------------
-- Caps that hold under concurrency (issue 3): reserve with one conditional upsert per counter, e.g.
--   INSERT INTO buyer_capacity (buyer_id, active_calls) VALUES (:buyer, 1)
--   ON CONFLICT (buyer_id) DO UPDATE SET active_calls = buyer_capacity.active_calls + 1, updated_at = now()
--   WHERE buyer_capacity.active_calls < :concurrency_limit RETURNING active_calls;   -- no row = full
--   INSERT INTO daily_cap_usage (scope_type, scope_id, day, used) VALUES ('OFFER', :offer, :buyer_day, 1)
--   ON CONFLICT (scope_type, scope_id, day) DO UPDATE SET used = daily_cap_usage.used + 1, updated_at = now()
--   WHERE daily_cap_usage.used < :daily_cap RETURNING used;                            -- no row = capped
-- (a cap of 0 must be refused before the upsert, since the INSERT branch would take the first unit)
-- Release: UPDATE ... SET active_calls = active_calls - 1 WHERE buyer_id = ? AND active_calls > 0.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE buyer_capacity (
    buyer_id      uuid PRIMARY KEY REFERENCES buyers (id) ON DELETE CASCADE,
    active_calls  integer     NOT NULL DEFAULT 0 CHECK (active_calls >= 0),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE daily_cap_usage (
    scope_type  text        NOT NULL CHECK (scope_type IN ('BUYER', 'OFFER')),
    -- buyers.id or offers.id depending on scope_type
    scope_id    uuid        NOT NULL,
    -- the calendar day in the buyer's schedule_timezone
    day         date        NOT NULL,
    used        integer     NOT NULL DEFAULT 0 CHECK (used >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope_type, scope_id, day)
);
CREATE INDEX daily_cap_usage_day_idx ON daily_cap_usage (day);

-- ---------------------------------------------------------------------------------------------
-- CPA conversions (PRD §6.5, §13.4)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE conversion_events (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    call_session_id  uuid        NOT NULL REFERENCES call_sessions (id),
    buyer_id         uuid        NOT NULL REFERENCES buyers (id),
    event_type       text        NOT NULL,
    event_time       timestamptz NOT NULL,
    -- as posted; null = the offer's payout applies (the call's revenue_effective_cents holds the result)
    revenue_cents    bigint      CHECK (revenue_cents >= 0),
    source           text        NOT NULL DEFAULT 'BUYER_WEBHOOK'
                     CHECK (source IN ('BUYER_WEBHOOK', 'MANUAL_IMPORT', 'INTERNAL')),
    api_key_id       uuid REFERENCES api_keys (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT conversion_events_call_type_buyer_key UNIQUE (call_session_id, event_type, buyer_id)
);
CREATE INDEX conversion_events_buyer_time_idx ON conversion_events (buyer_id, event_time DESC);
CREATE INDEX conversion_events_time_idx ON conversion_events (event_time DESC);

-- ---------------------------------------------------------------------------------------------
-- AI jobs (REQ-AI-2) and transcripts
-- ---------------------------------------------------------------------------------------------
CREATE TABLE call_ai_jobs (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    call_session_id  uuid        NOT NULL REFERENCES call_sessions (id) ON DELETE CASCADE,
    job_type         text        NOT NULL CHECK (job_type IN ('TRANSCRIBE', 'QA_EVAL')),
    status           text        NOT NULL DEFAULT 'PENDING'
                     CHECK (status IN ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    locked_at        timestamptz,
    last_error       text,
    -- e.g. {"recording_url":…,"storage_key":…}
    payload          jsonb,
    started_at       timestamptz,
    completed_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- one job of a kind per call: a repeated recording callback does not enqueue twice
    CONSTRAINT call_ai_jobs_call_type_key UNIQUE (call_session_id, job_type)
);
CREATE INDEX call_ai_jobs_due_idx ON call_ai_jobs (status, next_attempt_at);

CREATE TABLE transcripts (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    call_session_id    uuid REFERENCES call_sessions (id) ON DELETE CASCADE,
    -- Retell call_id / Vapi call id / Twilio CallSid (the CallCat transcripts table's key)
    provider_call_id   text,
    transcript_text    text,
    -- structured transcript (Retell transcript_object, ASR words, Vapi messages)
    transcript_object  jsonb,
    -- transcripts/<id>.json in object storage, when stored there
    storage_key        text,
    expires_at         timestamptz NOT NULL DEFAULT (now() + interval '90 days'),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    -- one transcript per call: upsert with ON CONFLICT (call_session_id)
    CONSTRAINT transcripts_call_session_key UNIQUE (call_session_id)
);
CREATE INDEX transcripts_provider_call_idx ON transcripts (provider_call_id);
CREATE INDEX transcripts_expires_at_idx ON transcripts (expires_at);

-- Vapi call log (ai-dialer-vapi seed), linked to the hub's call session when there is one.
CREATE TABLE call_logs (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    lead_id             uuid REFERENCES leads (id),
    call_session_id     uuid REFERENCES call_sessions (id),
    vapi_call_id        text        NOT NULL,
    initial_response    jsonb,
    report              jsonb,
    -- Vapi call status as received: scheduled queued ringing in-progress forwarding ended ...
    status              text,
    initiated_at        timestamptz,
    ended_at            timestamptz,
    ended_reason        text,
    recording_url       text,
    stereo_recording_url text,
    summary             text,
    structured_data     jsonb,
    success_evaluation  text,
    duration_seconds    integer     CHECK (duration_seconds >= 0),
    -- Vapi reports cost in USD (fractional); kept as sent
    cost                numeric,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_call_logs_lead_id ON call_logs (lead_id);
-- the seed's index, unique so a duplicate report cannot create a second log
CREATE UNIQUE INDEX idx_call_logs_vapi_call_id ON call_logs (vapi_call_id);
CREATE INDEX call_logs_call_session_idx ON call_logs (call_session_id);
CREATE INDEX call_logs_list_idx ON call_logs (created_at DESC, id DESC);

-- ---------------------------------------------------------------------------------------------
-- Settings: one JSON document per key
-- ---------------------------------------------------------------------------------------------
CREATE TABLE settings (
    key         text PRIMARY KEY,
    value       jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO settings (key, value) VALUES
    ('automation', '{"automation_enabled": false, "max_calls_batch": 10, "retry_interval": 15, "max_attempts": 3, "provider_concurrency_limit": 10, "cron": "0 0/5 * * * ?"}'::jsonb),
    ('retention',  '{"recording_retention_days": 90, "transcript_retention_days": 90, "cdr_retention_days": 365}'::jsonb)
ON CONFLICT (key) DO NOTHING;

-- ---------------------------------------------------------------------------------------------
-- Outbound webhooks (issue 4)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE webhook_endpoints (
    id                          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    url                         text        NOT NULL,
    description                 text,
    -- event types this endpoint receives; empty = all
    event_types                 text[]      NOT NULL DEFAULT '{}',
    enabled                     boolean     NOT NULL DEFAULT true,
    -- Standard Webhooks signing secret 'whsec_<base64>' (kept in clear: needed to sign)
    secret                      text        NOT NULL,
    -- the rotated-out secret, still signed with until previous_secret_expires_at
    previous_secret             text,
    previous_secret_expires_at  timestamptz,
    -- optional per-endpoint throttle
    rate_limit_per_second       integer     CHECK (rate_limit_per_second >= 1),
    disabled_reason             text,
    disabled_at                 timestamptz,
    -- first failure of the current run of consecutive failures; null after any success
    failing_since               timestamptz,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_list_idx ON webhook_endpoints (created_at DESC, id DESC);

CREATE TABLE webhook_deliveries (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    endpoint_id         uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    -- = outbox.event_id = the webhook-id header, stable across retries and replays
    event_id            uuid        NOT NULL,
    event_type          text        NOT NULL,
    payload             jsonb       NOT NULL,
    status              text        NOT NULL DEFAULT 'PENDING'
                        CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED', 'DEAD')),
    attempts            integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- null once DELIVERED or DEAD
    next_attempt_at     timestamptz DEFAULT now(),
    last_response_code  integer,
    last_attempt_at     timestamptz,
    last_error          text,
    delivered_at        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_deliveries_event_endpoint_key UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);

-- every attempt, for the delivery log
CREATE TABLE webhook_delivery_attempts (
    id              bigserial PRIMARY KEY,
    delivery_id     uuid        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt_number  integer     NOT NULL CHECK (attempt_number >= 1),
    attempted_at    timestamptz NOT NULL DEFAULT now(),
    response_code   integer,
    duration_ms     integer     CHECK (duration_ms >= 0),
    error           text,
    CONSTRAINT webhook_delivery_attempts_key UNIQUE (delivery_id, attempt_number)
);

-- ---------------------------------------------------------------------------------------------
-- Transactional outbox (issue 4). id gives the publishing order; see the notes at the end of the file.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE outbox (
    id             bigserial PRIMARY KEY,
    event_id       uuid        NOT NULL,
    event_type     text        NOT NULL,
    -- Kafka record key: the call's public id (or the lead id for lead events)
    aggregate_key  text,
    -- the full event envelope as published
    payload        jsonb       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    published_at   timestamptz,
    CONSTRAINT outbox_event_id_key UNIQUE (event_id)
);
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
-- replay since a time
CREATE INDEX outbox_created_idx ON outbox (created_at);

-- ---------------------------------------------------------------------------------------------
-- Compliance: DNC, SMS opt-outs, A2P messaging registrations (PRD §10)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE dnc_numbers (
    phone_number  text PRIMARY KEY,
    source        text        NOT NULL DEFAULT 'API'
                  CHECK (source IN ('API', 'ADMIN', 'IMPORT', 'SMS_STOP', 'CALL_DISPOSITION', 'CONSUMER_REQUEST')),
    reason        text,
    added_by      text,
    added_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dnc_numbers_added_at_idx ON dnc_numbers (added_at DESC);

CREATE TABLE sms_opt_outs (
    phone_number  text PRIMARY KEY,
    opted_out_at  timestamptz NOT NULL DEFAULT now(),
    source        text        NOT NULL DEFAULT 'STOP' CHECK (source IN ('STOP', 'ADMIN', 'IMPORT')),
    -- the keyword received (STOP, UNSUBSCRIBE, ...) when source = STOP
    keyword       text
);

CREATE TABLE messaging_registrations (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    phone_number_id  uuid        NOT NULL REFERENCES phone_numbers (id),
    a2p_brand_id     text,
    a2p_campaign_id  text,
    channel          text        NOT NULL
                     CHECK (channel IN ('SUPPLIER_ALERTS', 'BUYER_ALERTS', 'CONSUMER_NOTIFICATIONS')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT messaging_registrations_number_channel_key UNIQUE (phone_number_id, channel)
);
CREATE INDEX messaging_registrations_list_idx ON messaging_registrations (created_at DESC, id DESC);

-- Provider webhook dedupe: INSERT ... ON CONFLICT DO NOTHING; no row inserted = already processed.
-- dedupe_key e.g. 'call_ended:<retell call_id>', '<CallSid>:<SequenceNumber>', '<RecordingSid>'.
CREATE TABLE processed_webhooks (
    provider     text        NOT NULL CHECK (provider IN ('TWILIO', 'RETELL', 'VAPI')),
    dedupe_key   text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, dedupe_key)
);
CREATE INDEX processed_webhooks_received_idx ON processed_webhooks (received_at);

-- ---------------------------------------------------------------------------------------------
-- Dialer v1 (dialer-v1-design seed). id is the seed's dialId.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE dial_attempts (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    lead_id           uuid        NOT NULL REFERENCES leads (id),
    to_number         text        NOT NULL,
    from_number       text        NOT NULL,
    record            boolean     NOT NULL DEFAULT true,
    metadata          jsonb,
    provider          text        NOT NULL DEFAULT 'twilio' CHECK (provider IN ('twilio')),
    -- DialResponse.status values plus the outcomes; 'blocked' = refused by the compliance gate
    -- (not counted as an attempt by the rolling 24 h rule)
    status            text        NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'in_progress', 'completed', 'failed', 'blocked')),
    -- compliance rule that refused the dial (QUIET_HOURS, DNC, CONSENT, MAX_ATTEMPTS_24H)
    blocked_rule      text,
    call_session_id   uuid REFERENCES call_sessions (id),
    -- Twilio CallSid once placed
    provider_call_id  text,
    -- guard against a duplicate POST /Calls: the worker claims the row (queued -> in_progress) before calling
    idempotency_key   text,
    error             text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dial_attempts_idempotency_key UNIQUE (idempotency_key),
    CONSTRAINT dial_attempts_provider_call_key UNIQUE (provider_call_id)
);
-- rolling 24 h attempts per number
CREATE INDEX dial_attempts_to_number_idx ON dial_attempts (to_number, created_at);
CREATE INDEX dial_attempts_lead_idx ON dial_attempts (lead_id, created_at DESC);
CREATE INDEX dial_attempts_call_session_idx ON dial_attempts (call_session_id);
CREATE INDEX dial_attempts_list_idx ON dial_attempts (created_at DESC, id DESC);

-- ---------------------------------------------------------------------------------------------
-- Lead CSV imports (issue 7): job progress plus a per-row report
-- ---------------------------------------------------------------------------------------------
CREATE TABLE lead_import_jobs (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id    uuid REFERENCES campaigns (id),
    filename       text,
    status         text        NOT NULL DEFAULT 'PENDING'
                   CHECK (status IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED')),
    -- null while unknown (streaming); set when the input has been counted or fully read
    rows_total     integer     CHECK (rows_total >= 0),
    rows_done      integer     NOT NULL DEFAULT 0 CHECK (rows_done >= 0),
    rows_accepted  integer     NOT NULL DEFAULT 0 CHECK (rows_accepted >= 0),
    rows_rejected  integer     NOT NULL DEFAULT 0 CHECK (rows_rejected >= 0),
    error          text,
    created_by     text,
    started_at     timestamptz,
    finished_at    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lead_import_jobs_list_idx ON lead_import_jobs (created_at DESC, id DESC);

CREATE TABLE lead_import_rows (
    job_id      uuid    NOT NULL REFERENCES lead_import_jobs (id) ON DELETE CASCADE,
    -- 1-based data row number (header excluded)
    row_number  integer NOT NULL CHECK (row_number >= 1),
    status      text    NOT NULL CHECK (status IN ('ACCEPTED', 'REJECTED')),
    -- INVALID_E164, UNKNOWN_TIMEZONE, DUPLICATE_PHONE, MISSING_FIELD, ... (with detail after ': ')
    reason      text,
    field       text,
    lead_id     uuid REFERENCES leads (id) ON DELETE SET NULL,
    PRIMARY KEY (job_id, row_number)
);
CREATE INDEX lead_import_rows_rejected_idx ON lead_import_rows (job_id, row_number) WHERE status = 'REJECTED';

-- ---------------------------------------------------------------------------------------------
-- Power dialer with async AMD (sales-dialer-amd seed): an agent runs a campaign of contacts, the hub
-- dials several in parallel, answered calls wait in a hold queue until AMD says human, then the first
-- human joins the agent's conference and the other dials are hung up.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE dialer_agents (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid REFERENCES users (id),
    name             text        NOT NULL,
    -- Twilio Client identity used for the access token and the agent's conference leg
    client_identity  text        NOT NULL,
    status           text        NOT NULL DEFAULT 'OFFLINE'
                     CHECK (status IN ('OFFLINE', 'AVAILABLE', 'IN_CALL', 'WRAP_UP')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dialer_agents_client_identity_key UNIQUE (client_identity)
);

CREATE TABLE dialer_campaigns (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                text        NOT NULL,
    agent_id            uuid REFERENCES dialer_agents (id),
    -- the seed's lifecycle: created, dialing, a human connected to the agent, ended
    status              text        NOT NULL DEFAULT 'CREATED'
                        CHECK (status IN ('CREATED', 'DIALING', 'CONNECTED', 'PAUSED', 'ENDED')),
    from_number         text        NOT NULL,
    conference_name     text        NOT NULL,
    -- how many contacts are dialed in parallel per "dial next"
    parallel_lines      integer     NOT NULL DEFAULT 3 CHECK (parallel_lines BETWEEN 1 AND 50),
    machine_detection   text        NOT NULL DEFAULT 'Enable' CHECK (machine_detection IN ('Enable', 'DetectMessageEnd')),
    -- what to do when AMD answers 'unknown' (the seed: connect, configurable)
    amd_unknown_action  text        NOT NULL DEFAULT 'CONNECT' CHECK (amd_unknown_action IN ('CONNECT', 'HANGUP')),
    started_at          timestamptz,
    ended_at            timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dialer_campaigns_list_idx ON dialer_campaigns (created_at DESC, id DESC);
CREATE INDEX dialer_campaigns_agent_idx ON dialer_campaigns (agent_id);

-- the campaign's contact rotation
CREATE TABLE dialer_contacts (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id   uuid        NOT NULL REFERENCES dialer_campaigns (id) ON DELETE CASCADE,
    position      integer     NOT NULL CHECK (position >= 0),
    lead_id       uuid REFERENCES leads (id),
    name          text,
    phone_number  text        NOT NULL,
    status        text        NOT NULL DEFAULT 'PENDING'
                  CHECK (status IN ('PENDING', 'DIALING', 'CONNECTED', 'DONE', 'SKIPPED')),
    attempts      integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    disposition   text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dialer_contacts_campaign_position_key UNIQUE (campaign_id, position)
);
CREATE INDEX dialer_contacts_next_idx ON dialer_contacts (campaign_id, status, position);

-- one row per dial of a contact
CREATE TABLE dialer_attempts (
    id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id               uuid        NOT NULL REFERENCES dialer_campaigns (id) ON DELETE CASCADE,
    contact_id                uuid        NOT NULL REFERENCES dialer_contacts (id) ON DELETE CASCADE,
    agent_id                  uuid REFERENCES dialer_agents (id),
    call_session_id           uuid REFERENCES call_sessions (id),
    twilio_call_sid           text,
    to_number                 text        NOT NULL,
    -- DIALING -> QUEUED (answered, on hold awaiting AMD) -> CONNECTED (in the agent's conference) -> COMPLETED;
    -- MACHINE_HANGUP / HUNG_UP (another contact won) / NO_ANSWER / BUSY / FAILED / CANCELED
    status                    text        NOT NULL DEFAULT 'DIALING'
                              CHECK (status IN ('DIALING', 'QUEUED', 'CONNECTED', 'COMPLETED', 'MACHINE_HANGUP',
                                                'HUNG_UP', 'NO_ANSWER', 'BUSY', 'FAILED', 'CANCELED')),
    -- Twilio AMD callback values as received (AnsweredBy: human, machine_start, ..., fax, unknown)
    answered_by               text,
    machine_detection_status  text,
    machine_detection_ms      integer     CHECK (machine_detection_ms >= 0),
    dialed_at                 timestamptz NOT NULL DEFAULT now(),
    queued_at                 timestamptz,
    detected_at               timestamptz,
    connected_at              timestamptz,
    ended_at                  timestamptz,
    disposition               text,
    notes                     text,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dialer_attempts_twilio_call_sid_key UNIQUE (twilio_call_sid)
);
-- hold queue of a campaign, oldest first
CREATE INDEX dialer_attempts_queue_idx ON dialer_attempts (campaign_id, status, queued_at);
CREATE INDEX dialer_attempts_contact_idx ON dialer_attempts (contact_id);

-- ---------------------------------------------------------------------------------------------
-- Notes for the Java side
-- * Outbox ordering: bigserial ids are taken at INSERT, not at COMMIT, so a relay must not remember
--   "last id published"; it selects "WHERE published_at IS NULL ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED"
--   and marks published_at after the send. To keep one call's events in order with several relays,
--   serialise relay batches (e.g. pg_try_advisory_xact_lock) instead of relying on SKIP LOCKED alone.
-- * call_sessions.profit_cents is GENERATED: never INSERT/UPDATE it.
-- ---------------------------------------------------------------------------------------------
