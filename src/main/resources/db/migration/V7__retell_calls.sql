-- Issue 6 (scheduled AI calls on Retell): the one thing V2 lacks.
-- A Retell webhook that the hub failed to apply (its own bug or an outage of the database while it answered) is
-- acknowledged all the same (a provider never gets a 5xx from us) and kept here, sealed with the PII key since it
-- carries phone numbers and the transcript, to be applied again by a background retry.
CREATE TABLE retell_webhook_failures (
    id               bigserial PRIMARY KEY,
    -- AES-GCM sealed raw body (io.dcx.hub.pii.PhoneNumberProtector#seal)
    body_sealed      bytea       NOT NULL,
    last_error       text,
    attempts         integer     NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    -- null = given up (logged at ERROR); the row stays for an operator
    next_attempt_at  timestamptz,
    received_at      timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX retell_webhook_failures_due_idx ON retell_webhook_failures (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
