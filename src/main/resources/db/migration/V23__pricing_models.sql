-- Pricing models (PRD FR-10, FR-14; issue 20 item 2) and the compliance facts of scheduled AI calls (item 1).
--
-- offers.pricing_model decides a call's revenue:
--   FIXED     payout_cents once the buyer stayed connected buffer_seconds (revenue_estimated_cents at completion)
--   CPC       payout_cents per started minute of connected time, once the buffer is reached (per-minute)
--   CPA       nothing at completion: revenue only from conversions (posted revenue_cents, else payout_cents)
--   REVSHARE  nothing at completion: revshare_percent (whole percent) of the revenue the buyer reports with each conversion
ALTER TABLE offers ADD COLUMN revshare_percent integer CHECK (revshare_percent BETWEEN 0 AND 100);

-- What the campaign pays its supplier for a call (per campaign):
--   NONE        nothing
--   FIXED       supplier_payout_cents once the caller's call lasted supplier_payout_buffer_seconds
--   PER_MINUTE  supplier_payout_cents per started minute of the call, once the buffer is reached
ALTER TABLE campaigns
    ADD COLUMN supplier_payout_model          text    NOT NULL DEFAULT 'NONE'
               CHECK (supplier_payout_model IN ('NONE', 'FIXED', 'PER_MINUTE')),
    ADD COLUMN supplier_payout_cents          bigint  NOT NULL DEFAULT 0 CHECK (supplier_payout_cents >= 0),
    ADD COLUMN supplier_payout_buffer_seconds integer NOT NULL DEFAULT 0 CHECK (supplier_payout_buffer_seconds >= 0);

-- profit = revenue - supplier payout - telephony cost; still derived, still never written
ALTER TABLE call_sessions
    ADD COLUMN supplier_payout_cents bigint NOT NULL DEFAULT 0 CHECK (supplier_payout_cents >= 0),
    DROP COLUMN profit_cents;
ALTER TABLE call_sessions
    ADD COLUMN profit_cents bigint GENERATED ALWAYS AS
        (coalesce(revenue_effective_cents, revenue_estimated_cents) - supplier_payout_cents - telephony_cost_cents) STORED;

-- Scheduled AI calls: the callee's time zone (the calling window's zone; null = from the number's area code) and the
-- compliance rule that refused the call at dispatch time (DNC, CONSENT, QUIET_HOURS, MAX_ATTEMPTS_24H)
ALTER TABLE call_sessions
    ADD COLUMN callee_timezone text,
    ADD COLUMN compliance_rule text CHECK (compliance_rule IN ('DNC', 'CONSENT', 'QUIET_HOURS', 'MAX_ATTEMPTS_24H'));
