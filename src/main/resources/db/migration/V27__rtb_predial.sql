-- RTB ping/post and pre-dial hooks (issue 26 items 1-2, docs/rtb.md).
-- A buyer with an RTB endpoint is pinged for a bid before routing; a buyer with a before-dial URL accepts or rejects
-- each call before its leg is dialled. The campaign bounds the auction (deadline, ping cap per publisher); the offer
-- names the smallest bid it accepts.
ALTER TABLE buyers
    ADD COLUMN rtb_endpoint    text CHECK (rtb_endpoint IS NULL OR rtb_endpoint ~ '^https?://'),
    ADD COLUMN before_dial_url text CHECK (before_dial_url IS NULL OR before_dial_url ~ '^https?://');
ALTER TABLE campaigns
    ADD COLUMN rtb_deadline_ms         integer NOT NULL DEFAULT 300 CHECK (rtb_deadline_ms BETWEEN 50 AND 3000),
    ADD COLUMN rtb_ping_cap_per_minute integer CHECK (rtb_ping_cap_per_minute IS NULL OR rtb_ping_cap_per_minute >= 0);
ALTER TABLE offers
    ADD COLUMN rtb_floor_cents bigint NOT NULL DEFAULT 0 CHECK (rtb_floor_cents >= 0);

-- Every bid asked for, and what became of it. No foreign keys: a ping from the publisher API has no call yet, and
-- the voice path writes the log before the call row exists.
CREATE TABLE rtb_bids (
    id              bigserial PRIMARY KEY,
    ping_id         uuid        NOT NULL,
    call_session_id uuid,
    campaign_id     uuid        NOT NULL,
    supplier_id     uuid,
    buyer_id        uuid        NOT NULL,
    offer_id        uuid        NOT NULL,
    outcome         text        NOT NULL,
    bid_cents       bigint,
    floor_cents     bigint      NOT NULL,
    destination     text,
    expires_at      timestamptz,
    cached          boolean     NOT NULL DEFAULT false,
    elapsed_ms      integer,
    detail          text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rtb_bids_call_idx ON rtb_bids (call_session_id) WHERE call_session_id IS NOT NULL;
CREATE INDEX rtb_bids_ping_idx ON rtb_bids (ping_id);

-- Publisher (supplier) API keys: same table, role SUPPLIER, bound to one supplier.
ALTER TABLE api_keys ADD COLUMN supplier_id uuid REFERENCES suppliers (id);
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('ADMIN', 'USER', 'BUYER', 'SERVICE', 'SUPPLIER'));
ALTER TABLE api_keys ADD CONSTRAINT api_keys_supplier_only_for_suppliers CHECK (supplier_id IS NULL OR role = 'SUPPLIER');
CREATE INDEX api_keys_supplier_idx ON api_keys (supplier_id) WHERE supplier_id IS NOT NULL;
