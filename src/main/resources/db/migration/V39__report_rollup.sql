-- Hourly rollup of the reports (issue 21): the summary and the dashboard read these sums for whole UTC hours that
-- have settled, and the calls themselves only for the rest of the range (docs/architecture.md, "Reports").
-- Built lazily by the report-rollup job (reports/ReportRollup), never here: startup stays fast on a big table.

-- The sums of exactly the figures the reports compute, per UTC hour and one dimension a report groups by: 'total'
-- (key null: every call of the hour; the day and hour summaries, today's KPIs) or 'campaign', 'supplier', 'buyer'
-- (key the id; null for the calls without one). Rows per hour add up over the dimensions (campaigns + suppliers +
-- buyers + 1) instead of multiplying as a (campaign, supplier, buyer) key would.
CREATE TABLE report_rollup (
    slot_start           timestamptz NOT NULL,
    dimension            text        NOT NULL CHECK (dimension IN ('total', 'campaign', 'supplier', 'buyer')),
    key                  uuid,
    calls                bigint      NOT NULL,
    answered             bigint      NOT NULL,
    connected            bigint      NOT NULL,
    duration_seconds     bigint      NOT NULL,
    billable_seconds     bigint      NOT NULL,
    conversions          bigint      NOT NULL,
    revenue_cents        bigint      NOT NULL,
    telephony_cost_cents bigint      NOT NULL,
    margin_cents         bigint      NOT NULL
);
CREATE INDEX report_rollup_dimension_idx ON report_rollup (dimension, slot_start); -- the reports
CREATE INDEX report_rollup_slot_idx ON report_rollup (slot_start);                 -- the job's delete of an hour

-- One row: every hour before the watermark is in report_rollup, except the hours listed in report_rollup_dirty.
CREATE TABLE report_rollup_state (
    id        boolean PRIMARY KEY DEFAULT true CHECK (id),
    watermark timestamptz
);
INSERT INTO report_rollup_state (id) VALUES (true);

-- Hours whose calls changed after they may have been rolled up: reports read their calls until the job recomputes
-- them. No unique key on purpose: a writer never waits for the job's delete of the same hour.
CREATE TABLE report_rollup_dirty (
    slot_start timestamptz NOT NULL
);
CREATE INDEX report_rollup_dirty_slot_idx ON report_rollup_dirty (slot_start);

-- Marks the hours of a changed call older than an hour. The job rolls up only hours older than its horizon (two
-- hours by default, never under 90 minutes), so a statement that does not fire here cannot change a rolled-up hour
-- unless its transaction commits more than half an hour after it ran.
CREATE FUNCTION report_rollup_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_slot timestamptz;
    new_slot timestamptz;
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.created_at < statement_timestamp() - interval '1 hour' THEN
        old_slot := date_bin('1 hour', OLD.created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00');
        INSERT INTO report_rollup_dirty (slot_start) VALUES (old_slot);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.created_at < statement_timestamp() - interval '1 hour' THEN
        new_slot := date_bin('1 hour', NEW.created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00');
        -- always a new row, never "if not there yet": a row the job is deleting is still seen until it commits,
        -- and the job may have read the hour before this change commits
        IF new_slot IS DISTINCT FROM old_slot THEN
            INSERT INTO report_rollup_dirty (slot_start) VALUES (new_slot);
        END IF;
    END IF;
    RETURN NULL;
END $$;

-- The WHEN clauses keep the voice path's rows (new calls, their status and economics minutes later) out of the
-- function: PostgreSQL evaluates them without calling it. UPDATE fires only for the columns the figures read.
CREATE TRIGGER call_sessions_rollup_insert AFTER INSERT ON call_sessions FOR EACH ROW
    WHEN (NEW.created_at < statement_timestamp() - interval '1 hour')
    EXECUTE FUNCTION report_rollup_mark_dirty();
CREATE TRIGGER call_sessions_rollup_update
    AFTER UPDATE OF created_at, campaign_id, supplier_id, buyer_id, answered_at, duration_seconds,
        billable_duration_seconds, converted, revenue_estimated_cents, revenue_effective_cents, telephony_cost_cents,
        supplier_payout_base_cents, supplier_revshare_percent
    ON call_sessions FOR EACH ROW
    WHEN (OLD.created_at < statement_timestamp() - interval '1 hour'
          OR NEW.created_at < statement_timestamp() - interval '1 hour')
    EXECUTE FUNCTION report_rollup_mark_dirty();
CREATE TRIGGER call_sessions_rollup_delete AFTER DELETE ON call_sessions FOR EACH ROW
    WHEN (OLD.created_at < statement_timestamp() - interval '1 hour')
    EXECUTE FUNCTION report_rollup_mark_dirty();

-- TRUNCATE fires no row trigger: start the rollup over (the job rebuilds it from the calls left).
CREATE FUNCTION report_rollup_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE report_rollup, report_rollup_dirty;
    UPDATE report_rollup_state SET watermark = NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER call_sessions_rollup_truncate AFTER TRUNCATE ON call_sessions FOR EACH STATEMENT
    EXECUTE FUNCTION report_rollup_reset();
