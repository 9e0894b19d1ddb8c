-- A JWT user of role BUYER speaks for one buyer, like that buyer's API keys (docs/security.md). BUYER users created
-- before this column have none and may post no conversions until an admin recreates them with a buyer.
ALTER TABLE users ADD COLUMN buyer_id uuid REFERENCES buyers (id);
ALTER TABLE users ADD CONSTRAINT users_buyer_only_for_buyers CHECK (buyer_id IS NULL OR role = 'BUYER');

-- Failed-login throttling shared by every instance: one row per counted key (kind ACCOUNT: the username as typed,
-- kind IP: the client address) with the failures since window_start; a row whose window has passed starts over.
CREATE TABLE login_failures (
    kind         text        NOT NULL CHECK (kind IN ('ACCOUNT', 'IP')),
    key          text        NOT NULL,
    failures     integer     NOT NULL,
    window_start timestamptz NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX login_failures_window ON login_failures (window_start);
