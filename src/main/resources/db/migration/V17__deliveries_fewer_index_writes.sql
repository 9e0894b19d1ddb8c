-- Fewer index entries written per webhook delivery (issue 4; docs/benchmarks.md). A delivery is inserted PENDING
-- and, in the common case, marked DELIVERED a few milliseconds later: an update that changes indexed columns, so it
-- adds an entry to every index of the table, and its attempt row adds two more.

-- The retry poll's index holds only what it looks for: deliveries still to be attempted. Before, every delivered or
-- dead delivery also got an entry, all with the same key ('DELIVERED', NULL): one ever-growing run of duplicates that
-- every success was appended to. The poll's condition (status IN ('PENDING', 'FAILED')) is the index's predicate.
DROP INDEX webhook_deliveries_due_idx;
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
    WHERE status IN ('PENDING', 'FAILED');

-- An attempt is identified by its delivery and number (the API never showed the surrogate id): one index, not two.
ALTER TABLE webhook_delivery_attempts DROP CONSTRAINT webhook_delivery_attempts_pkey;
ALTER TABLE webhook_delivery_attempts DROP COLUMN id;
ALTER TABLE webhook_delivery_attempts DROP CONSTRAINT webhook_delivery_attempts_key;
ALTER TABLE webhook_delivery_attempts ADD CONSTRAINT webhook_delivery_attempts_pkey PRIMARY KEY (delivery_id, attempt_number);
