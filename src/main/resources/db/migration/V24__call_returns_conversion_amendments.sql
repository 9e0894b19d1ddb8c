-- Buyer call returns and conversion amendments (issue 26 items 3 and 4).

-- A buyer returns a call within the return window after it ended: its revenue is reversed once. The call keeps when
-- and why (the audit row below holds who and the revenue reversed); conversions recorded later add no revenue to it.
ALTER TABLE call_sessions ADD COLUMN returned_at timestamptz;

CREATE TABLE call_returns (
    -- one return per call: the primary key is what makes the reversal happen once
    call_session_id        uuid        PRIMARY KEY REFERENCES call_sessions (id) ON DELETE CASCADE,
    buyer_id               uuid        NOT NULL,
    reason                 text        NOT NULL,
    -- "api-key <id>", "buyer-user of <buyer>" or the admin's subject
    returned_by            text        NOT NULL,
    -- what the call earned before the return (its effective or estimated revenue)
    revenue_reversed_cents bigint      NOT NULL,
    created_at             timestamptz NOT NULL DEFAULT now()
);

-- A conversion's status: CONFIRMED (counts) or REVERSED (earns nothing). Amendments change revenue_cents (as posted)
-- and status; every change is a row of conversion_amendments with who, when and why.
ALTER TABLE conversion_events
    ADD COLUMN status text NOT NULL DEFAULT 'CONFIRMED' CHECK (status IN ('CONFIRMED', 'REVERSED')),
    ADD COLUMN updated_at timestamptz;

CREATE TABLE conversion_amendments (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    conversion_id      uuid        NOT NULL REFERENCES conversion_events (id) ON DELETE CASCADE,
    amended_by         text        NOT NULL,
    reason             text        NOT NULL,
    old_revenue_cents  bigint,
    new_revenue_cents  bigint,
    -- what the conversion earned before and after (by the offer's pricing model; 0 when reversed)
    old_earned_cents   bigint      NOT NULL,
    new_earned_cents   bigint      NOT NULL,
    old_status         text        NOT NULL,
    new_status         text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversion_amendments_conversion_idx ON conversion_amendments (conversion_id, created_at, id);
