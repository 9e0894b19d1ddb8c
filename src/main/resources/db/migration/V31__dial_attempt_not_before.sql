-- Dialer v1: a queued dial the compliance gate refused at dial time for a time rule (QUIET_HOURS,
-- MAX_ATTEMPTS_24H) waits until the next allowed minute in the callee's zone instead of failing.
ALTER TABLE dial_attempts ADD COLUMN not_before timestamptz;
