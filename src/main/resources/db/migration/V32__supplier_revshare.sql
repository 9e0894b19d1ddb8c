-- Supplier REVSHARE (issue 20 item 2): the campaign pays its supplier a whole percentage of the call's revenue.
--   campaigns.supplier_payout_model REVSHARE: supplier_revshare_percent of the call's revenue (effective, else
--   estimated), once the caller's call lasted supplier_payout_buffer_seconds.
ALTER TABLE campaigns DROP CONSTRAINT campaigns_supplier_payout_model_check;
ALTER TABLE campaigns ADD CONSTRAINT campaigns_supplier_payout_model_check
    CHECK (supplier_payout_model IN ('NONE', 'FIXED', 'PER_MINUTE', 'REVSHARE'));
ALTER TABLE campaigns ADD COLUMN supplier_revshare_percent integer
    CHECK (supplier_revshare_percent BETWEEN 0 AND 100);

-- A call's supplier payout follows its revenue: a conversion reported later (CPA, REVSHARE offers) changes what the
-- supplier earns. The hub writes the fixed part (FIXED, PER_MINUTE) and the percentage the campaign's rule gave the
-- call at completion; supplier_payout_cents and profit_cents are derived, never written.
DROP INDEX IF EXISTS call_sessions_list_idx;
ALTER TABLE call_sessions DROP COLUMN profit_cents;
ALTER TABLE call_sessions RENAME COLUMN supplier_payout_cents TO supplier_payout_base_cents;
ALTER TABLE call_sessions ADD COLUMN supplier_revshare_percent integer
    CHECK (supplier_revshare_percent BETWEEN 0 AND 100);
ALTER TABLE call_sessions
    ADD COLUMN supplier_payout_cents bigint GENERATED ALWAYS AS
        (supplier_payout_base_cents
         + coalesce(revenue_effective_cents, revenue_estimated_cents, 0) * coalesce(supplier_revshare_percent, 0) / 100)
        STORED,
    ADD COLUMN profit_cents bigint GENERATED ALWAYS AS
        (coalesce(revenue_effective_cents, revenue_estimated_cents) - supplier_payout_base_cents
         - coalesce(revenue_effective_cents, revenue_estimated_cents, 0) * coalesce(supplier_revshare_percent, 0) / 100
         - telephony_cost_cents) STORED;
-- as V21 made it (dropped with profit_cents)
CREATE INDEX call_sessions_list_idx ON call_sessions (created_at DESC, id DESC)
    INCLUDE (campaign_id, supplier_id, buyer_id, answered_at, duration_seconds, billable_duration_seconds,
             telephony_cost_cents, revenue_estimated_cents, revenue_effective_cents, profit_cents, converted);
