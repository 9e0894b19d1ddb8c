-- A delivery refers to its event's outbox row (event_id) instead of carrying a copy of the envelope: the outbox
-- keeps every event (replay reads it) and is never purged, so the copy only doubled what each delivery writes. Each
-- event went into two or more delivery rows and was written again with every status change of those rows (the
-- status is indexed, so the update is never HOT): about 2 KB of WAL per conversion with two endpoints.
-- payload stays for an event that reaches the fan-out without an outbox row (none of the hub's own do).
ALTER TABLE webhook_deliveries ALTER COLUMN payload DROP NOT NULL;
COMMENT ON COLUMN webhook_deliveries.payload IS
    'the envelope, only when the event has no outbox row; otherwise read from outbox by event_id';
