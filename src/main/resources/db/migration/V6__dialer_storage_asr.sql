-- Issue 5 (Dialer v1, recordings, ASR): the only schema change V2 lacks.
-- The dial worker claims an attempt before it calls Twilio (queued -> in_progress, claimed_at = now()); a claim
-- older than the lease whose call was never confirmed is taken over by another worker, which first asks Twilio
-- whether the call exists (so a crash between POST /Calls and the commit cannot place a second call).
ALTER TABLE dial_attempts ADD COLUMN claimed_at timestamptz;
-- POST /Calls tries made for this attempt (the hub's own retry; the SDK's automatic retry is off for POST)
ALTER TABLE dial_attempts ADD COLUMN place_attempts integer NOT NULL DEFAULT 0 CHECK (place_attempts >= 0);
CREATE INDEX dial_attempts_queue_idx ON dial_attempts (status, claimed_at) WHERE status IN ('queued', 'in_progress');
