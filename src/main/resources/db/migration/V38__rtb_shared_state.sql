-- RTB state shared by every hub instance (docs/rtb.md): the bid cache and the publishers' reservations are rows of
-- rtb_bids, found by campaign and caller; ping caps are counter rows per campaign, publisher and minute.
-- caller_key: SHA-256 (hex) of the caller's E.164 number, set on bids that hold (expires_at), never the number itself.
-- reserved: the winner of a publisher's ping held for that caller until expires_at or until a call takes it.
ALTER TABLE rtb_bids
    ADD COLUMN caller_key text,
    ADD COLUMN reserved   boolean NOT NULL DEFAULT false;
CREATE INDEX rtb_bids_caller_idx ON rtb_bids (campaign_id, caller_key, expires_at) WHERE caller_key IS NOT NULL;
-- the retention job deletes bids past the call-data (CDR) window
CREATE INDEX rtb_bids_created_idx ON rtb_bids (created_at);

-- Auctions per campaign, publisher (the nil uuid when none) and calendar minute, counted by a conditional upsert.
CREATE TABLE rtb_ping_counts (
    campaign_id  uuid        NOT NULL,
    publisher_id uuid        NOT NULL,
    minute       timestamptz NOT NULL,
    pings        integer     NOT NULL,
    PRIMARY KEY (campaign_id, publisher_id, minute)
);
CREATE INDEX rtb_ping_counts_minute_idx ON rtb_ping_counts (minute);
