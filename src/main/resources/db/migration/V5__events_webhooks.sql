-- Issue 4 (events, conversions, webhooks): the only schema change V2 lacks.
-- A manual retry or a replay starts a fresh retry schedule for a delivery, while its attempt log (numbered
-- 1, 2, 3 ... in webhook_delivery_attempts) keeps counting. schedule_start_attempt is the value of attempts when the
-- current round began, so the round's n-th attempt is attempts - schedule_start_attempt.
ALTER TABLE webhook_deliveries
    ADD COLUMN schedule_start_attempt integer NOT NULL DEFAULT 0 CHECK (schedule_start_attempt >= 0);
