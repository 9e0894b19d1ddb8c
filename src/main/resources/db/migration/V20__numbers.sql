-- Issue 22: phone numbers bought, synced and released through Twilio's API, and number pools (DNI).

-- RELEASED: given back to Twilio; the row stays for call history and can no longer be activated.
ALTER TABLE phone_numbers DROP CONSTRAINT phone_numbers_status_check;
ALTER TABLE phone_numbers ADD CONSTRAINT phone_numbers_status_check
    CHECK (status IN ('ACTIVE', 'INACTIVE', 'RELEASED'));
-- when the number was given back to Twilio
ALTER TABLE phone_numbers ADD COLUMN released_at timestamptz;
-- set by the sync when Twilio's account no longer has the number (cleared when it shows up again)
ALTER TABLE phone_numbers ADD COLUMN twilio_missing_since timestamptz;

CREATE FUNCTION dcx_released_number_stays_released() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- a new purchase of the same number (another IncomingPhoneNumber SID) takes the row over
    IF OLD.status = 'RELEASED' AND NEW.status <> 'RELEASED' AND NEW.twilio_sid = OLD.twilio_sid THEN
        RAISE EXCEPTION 'phone number % was released to Twilio and cannot be reactivated', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER phone_numbers_released_stays_released BEFORE UPDATE ON phone_numbers
    FOR EACH ROW EXECUTE FUNCTION dcx_released_number_stays_released();

-- A purchase is written before Twilio is asked: when the hub stops between Twilio's confirmation and storing the
-- number, the sync finds the number (FriendlyName 'dcx-purchase-<id>') and stores it with this purchase's assignment.
CREATE TABLE number_purchases (
    id              uuid PRIMARY KEY,
    requested_e164  text,
    area_code       text,
    campaign_id     uuid REFERENCES campaigns (id),
    supplier_id     uuid REFERENCES suppliers (id),
    pool            boolean     NOT NULL DEFAULT false,
    status          text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DONE', 'FAILED')),
    twilio_sid      text,
    phone_number_id uuid REFERENCES phone_numbers (id),
    failure         text,
    created_by      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX number_purchases_pending_idx ON number_purchases (created_at) WHERE status = 'PENDING';

-- What each sync did (manual or nightly).
CREATE TABLE number_sync_runs (
    id          uuid PRIMARY KEY,
    trigger     text        NOT NULL CHECK (trigger IN ('MANUAL', 'NIGHTLY')),
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    status      text        NOT NULL DEFAULT 'RUNNING' CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED')),
    report      jsonb
);
CREATE INDEX number_sync_runs_started_idx ON number_sync_runs (started_at DESC);

-- Number pools: a campaign's DYNAMIC numbers are leased per visitor session. A lease is active while
-- now() < expires_at; an expired lease frees its number. The rows stay as the attribution history.
CREATE TABLE number_leases (
    id              uuid PRIMARY KEY,
    phone_number_id uuid        NOT NULL REFERENCES phone_numbers (id),
    campaign_id     uuid        NOT NULL REFERENCES campaigns (id),
    session_id      text        NOT NULL,
    attributes      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    leased_at       timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    CHECK (expires_at > leased_at)
);
CREATE INDEX number_leases_number_idx ON number_leases (phone_number_id, expires_at DESC);
CREATE INDEX number_leases_session_idx ON number_leases (campaign_id, session_id, expires_at DESC);

-- the pool session's attributes (utm_*, source, session_id) of a call to a leased number
ALTER TABLE call_sessions ADD COLUMN attribution jsonb;
