-- Catalog of the exchange (PRD §5), the AI dialer's leads (ai-dialer-vapi seed) and the hub's own accounts.
-- Conventions: internal UUID keys, money in integer cents, times as timestamptz, enums as checked text
-- (so adding a value is a one-line migration, not an ALTER TYPE).

CREATE TABLE suppliers (
    id            uuid PRIMARY KEY,
    name          text        NOT NULL,
    type          text        NOT NULL CHECK (type IN ('INTERNAL_CALL_CENTER', 'EXTERNAL_PUBLISHER', 'NETWORK')),
    contact_email text,
    contact_phone text,
    status        text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suppliers_list_idx ON suppliers (created_at DESC, id DESC);

CREATE TABLE buyers (
    id                 uuid PRIMARY KEY,
    name               text        NOT NULL,
    endpoint_type      text        NOT NULL DEFAULT 'PHONE_NUMBER' CHECK (endpoint_type IN ('PHONE_NUMBER', 'SIP')),
    endpoint_value     text        NOT NULL,
    status             text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE')),
    concurrency_limit  integer     NOT NULL DEFAULT 10 CHECK (concurrency_limit >= 1),
    daily_cap          integer     CHECK (daily_cap >= 0),
    weight             integer     NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 1000),
    schedule_timezone  text        NOT NULL DEFAULT 'UTC',
    -- [{"days":["MON",...],"start":"HH:MM","end":"HH:MM"}]; null or [] = always open
    schedule_rules     jsonb,
    -- per-buyer recording override: null follows the campaign default, false = restricted buyer
    recording_enabled  boolean,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX buyers_list_idx ON buyers (created_at DESC, id DESC);

CREATE TABLE campaigns (
    id                              uuid PRIMARY KEY,
    name                            text        NOT NULL,
    vertical                        text        NOT NULL,
    -- {"allowed_states":["FL","TX"]}; null = no geo restriction
    geo_rules                       jsonb,
    supplier_id                     uuid REFERENCES suppliers (id),
    status                          text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE')),
    recording_default_enabled       boolean     NOT NULL DEFAULT false,
    max_ring_seconds                integer     NOT NULL DEFAULT 30 CHECK (max_ring_seconds BETWEEN 5 AND 600),
    duplicate_caller_window_seconds integer     NOT NULL DEFAULT 0 CHECK (duplicate_caller_window_seconds >= 0),
    fallback_number                 text,
    fallback_message                text,
    created_at                      timestamptz NOT NULL DEFAULT now(),
    updated_at                      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_list_idx ON campaigns (created_at DESC, id DESC);
CREATE INDEX campaigns_supplier_idx ON campaigns (supplier_id);

CREATE TABLE offers (
    id                      uuid PRIMARY KEY,
    campaign_id             uuid        NOT NULL REFERENCES campaigns (id),
    buyer_id                uuid        NOT NULL REFERENCES buyers (id),
    pricing_model           text        NOT NULL DEFAULT 'FIXED' CHECK (pricing_model IN ('CPA', 'FIXED', 'CPC', 'REVSHARE')),
    payout_cents            bigint      NOT NULL CHECK (payout_cents >= 0),
    buffer_seconds          integer     NOT NULL DEFAULT 60 CHECK (buffer_seconds >= 0),
    attribution_window_days integer     NOT NULL DEFAULT 30 CHECK (attribution_window_days >= 0),
    daily_cap               integer     CHECK (daily_cap >= 0),
    priority                integer     NOT NULL DEFAULT 1 CHECK (priority >= 0),
    weight                  integer     NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 1000),
    is_active               boolean     NOT NULL DEFAULT true,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT offers_campaign_buyer_key UNIQUE (campaign_id, buyer_id)
);
CREATE INDEX offers_list_idx ON offers (created_at DESC, id DESC);
CREATE INDEX offers_buyer_idx ON offers (buyer_id);

CREATE TABLE phone_numbers (
    id                      uuid PRIMARY KEY,
    twilio_sid              text        NOT NULL,
    e164                    text        NOT NULL,
    campaign_id             uuid REFERENCES campaigns (id),
    supplier_id             uuid REFERENCES suppliers (id),
    pool_type               text        NOT NULL DEFAULT 'STATIC' CHECK (pool_type IN ('STATIC', 'DYNAMIC')),
    status                  text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE')),
    trust_profile_id        text,
    stir_shaken_attestation text        NOT NULL DEFAULT 'UNKNOWN' CHECK (stir_shaken_attestation IN ('A', 'B', 'C', 'UNKNOWN')),
    a2p_brand_id            text,
    a2p_campaign_id         text,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT phone_numbers_twilio_sid_key UNIQUE (twilio_sid),
    CONSTRAINT phone_numbers_e164_key UNIQUE (e164)
);
CREATE INDEX phone_numbers_list_idx ON phone_numbers (created_at DESC, id DESC);
CREATE INDEX phone_numbers_campaign_idx ON phone_numbers (campaign_id);
CREATE INDEX phone_numbers_supplier_idx ON phone_numbers (supplier_id);

CREATE TABLE leads (
    id                   uuid PRIMARY KEY,
    campaign_id          uuid REFERENCES campaigns (id),
    company_name         text,
    contact_name         text        NOT NULL,
    phone                text        NOT NULL,
    email                text,
    status               text        NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'calling', 'no_answer', 'scheduled', 'not_interested', 'error')),
    call_attempts        integer     NOT NULL DEFAULT 0 CHECK (call_attempts >= 0),
    last_called_at       timestamptz,
    timezone             text        NOT NULL DEFAULT 'America/Los_Angeles',
    consent              boolean     NOT NULL DEFAULT false,
    consent_source       text,
    consent_at           timestamptz,
    consent_text         text,
    consent_url          text,
    cal_booking_uid      text UNIQUE,
    follow_up_email_sent boolean     NOT NULL DEFAULT false,
    status_reason        text,
    next_attempt_at      timestamptz,
    transcript_url       text,
    summary              text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX leads_list_idx ON leads (created_at DESC, id DESC);
CREATE INDEX leads_status_idx ON leads (status);
CREATE INDEX leads_last_called_at_idx ON leads (last_called_at);
CREATE INDEX leads_campaign_idx ON leads (campaign_id);
-- one lead per phone per campaign (leads without a campaign share one namespace)
CREATE UNIQUE INDEX leads_campaign_phone_key
    ON leads (coalesce(campaign_id, '00000000-0000-0000-0000-000000000000'::uuid), phone);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    username      text        NOT NULL UNIQUE,
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('ADMIN', 'USER', 'BUYER', 'SERVICE')),
    enabled       boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- API keys are stored as SHA-256 hashes; the clear key is shown once at creation.
CREATE TABLE api_keys (
    id          uuid PRIMARY KEY,
    key_prefix  text        NOT NULL,
    key_hash    text        NOT NULL UNIQUE,
    role        text        NOT NULL CHECK (role IN ('ADMIN', 'USER', 'BUYER', 'SERVICE')),
    buyer_id    uuid REFERENCES buyers (id),
    user_id     uuid REFERENCES users (id),
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX api_keys_buyer_idx ON api_keys (buyer_id);
