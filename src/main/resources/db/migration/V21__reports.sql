-- Calls list, export and reports at millions of calls (issue 21). Measured with EXPLAIN on 5 million call sessions
-- (docs/benchmarks.md, "Calls, export and reports at 5 million calls"); every change replaces an index or adds a
-- small one, so an inbound call writes no more index entries than before except outbox_aggregate_idx's one per event.

-- The newest-first list index also carries what the reports add up, so the summary and the dashboard read only the
-- index (an index-only scan of the range, no heap visit): same key as before, wider leaf entries.
DROP INDEX call_sessions_list_idx;
CREATE INDEX call_sessions_list_idx ON call_sessions (created_at DESC, id DESC)
    INCLUDE (campaign_id, supplier_id, buyer_id, answered_at, duration_seconds, billable_duration_seconds,
             telephony_cost_cents, revenue_estimated_cents, revenue_effective_cents, profit_cents, converted);

-- The caller filter (exact number) newest first. It replaces the inbound-only erase lookup index of V10, which an
-- equality on from_number without the direction could not use; the erase lookups use this one.
DROP INDEX call_sessions_inbound_from_idx;
CREATE INDEX call_sessions_from_idx ON call_sessions (from_number, created_at DESC, id DESC);

-- A call's timeline in its detail: the events announced for it, in publishing order.
CREATE INDEX outbox_aggregate_idx ON outbox (aggregate_key, id);
