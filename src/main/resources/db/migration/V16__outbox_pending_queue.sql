-- The relay's work queue: the ids of outbox rows not yet published. Before, the relay marked each published row with
-- published_at: an UPDATE of the whole row (envelope included) that could never be HOT (published_at is in the
-- partial index's predicate), so every event was written twice with all its index entries and left a dead tuple
-- behind (~0.8 KB of WAL per event, and the outbox needed vacuuming). Now an outbox row is written once and never
-- changed; publishing deletes its small queue row instead. The queue row is added by a trigger, so every writer of
-- the outbox (the Java code, single statements such as the inbound call's, the lead triggers of V8/V11) is covered.
CREATE TABLE outbox_pending (
    id bigint PRIMARY KEY   -- outbox.id
);

CREATE FUNCTION dcx_outbox_pending() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO outbox_pending (id) VALUES (NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_pending AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION dcx_outbox_pending();

INSERT INTO outbox_pending (id) SELECT id FROM outbox WHERE published_at IS NULL;

-- "published" is now "no longer pending"; the column and its partial index go
ALTER TABLE outbox DROP COLUMN published_at;
