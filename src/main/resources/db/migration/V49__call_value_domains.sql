-- The value checks of the call rows as domains (issue 24: no per-request work that can be done once).
-- PostgreSQL 15-17 re-reads every CHECK constraint of a table from its stored text (stringToNode) and plans it again
-- (expression_planner) at the start of each statement that inserts or updates a row of that table: with call_sessions'
-- 17 checks (14 KB of node text) that was ~0.03-0.04 ms of PostgreSQL CPU on every call's insert and on every status
-- update, 8-14 % of a call's PostgreSQL time (docs/benchmarks.md). A domain's constraints are parsed once per backend
-- and kept in its type cache, so the same checks cost almost nothing per statement.
-- The same values are allowed and the same SQLSTATE (23514, check_violation) is raised for any other.
--
-- How, without rewriting the tables: a domain without constraints is binary-compatible with its base type, so ALTER
-- COLUMN TYPE changes only the catalog (the partial indexes that name a changed column are rebuilt: dispatch,
-- outbound_to, user_upcoming, provider_call_key); the constraints are then added NOT VALID, i.e. enforced for every
-- value written from now on without scanning the existing rows, which the table checks dropped below already held to
-- the same predicates. The rollup trigger (V39) names the durations in its column list, so it is dropped and created
-- again around the change. Columns that a generated column names (V32: the money columns) cannot change type without
-- a rewrite of the table: their five checks stay on it.

CREATE DOMAIN dcx_call_status AS text;
CREATE DOMAIN dcx_call_provider AS text;
CREATE DOMAIN dcx_call_direction AS text;
CREATE DOMAIN dcx_consent_source AS text;
CREATE DOMAIN dcx_transcription_status AS text;
CREATE DOMAIN dcx_compliance_rule AS text;
CREATE DOMAIN dcx_leg_kind AS text;
CREATE DOMAIN dcx_count AS integer;
CREATE DOMAIN dcx_sentiment AS numeric(4, 3);
CREATE DOMAIN dcx_qa_score AS numeric(5, 2);

DROP TRIGGER call_sessions_rollup_update ON call_sessions;

ALTER TABLE call_sessions
    ALTER COLUMN status TYPE dcx_call_status,
    ALTER COLUMN provider TYPE dcx_call_provider,
    ALTER COLUMN direction TYPE dcx_call_direction,
    ALTER COLUMN recording_consent_source TYPE dcx_consent_source,
    ALTER COLUMN transcription_status TYPE dcx_transcription_status,
    ALTER COLUMN compliance_rule TYPE dcx_compliance_rule,
    ALTER COLUMN duration_seconds TYPE dcx_count,
    ALTER COLUMN billable_duration_seconds TYPE dcx_count,
    ALTER COLUMN dispatch_attempts TYPE dcx_count,
    ALTER COLUMN recording_duration_seconds TYPE dcx_count,
    ALTER COLUMN sentiment_score TYPE dcx_sentiment,
    ALTER COLUMN llm_qa_score TYPE dcx_qa_score;

ALTER TABLE call_legs
    ALTER COLUMN kind TYPE dcx_leg_kind,
    ALTER COLUMN duration_seconds TYPE dcx_count;

-- as in V39
CREATE TRIGGER call_sessions_rollup_update
    AFTER UPDATE OF created_at, campaign_id, supplier_id, buyer_id, answered_at, duration_seconds,
        billable_duration_seconds, converted, revenue_estimated_cents, revenue_effective_cents, telephony_cost_cents,
        supplier_payout_base_cents, supplier_revshare_percent
    ON call_sessions FOR EACH ROW
    WHEN (OLD.created_at < statement_timestamp() - interval '1 hour'
          OR NEW.created_at < statement_timestamp() - interval '1 hour')
    EXECUTE FUNCTION report_rollup_mark_dirty();

-- the predicates of the table checks dropped below (V2, V22, V23)
ALTER DOMAIN dcx_call_status ADD CONSTRAINT dcx_call_status_check CHECK (VALUE IN (
    'INITIATED', 'RINGING', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'BUSY', 'NO_ANSWER', 'CANCELED', 'SCHEDULED', 'NO_SHOW'))
    NOT VALID;
ALTER DOMAIN dcx_call_provider ADD CONSTRAINT dcx_call_provider_check CHECK (VALUE IN ('TWILIO', 'RETELL', 'VAPI')) NOT VALID;
ALTER DOMAIN dcx_call_direction ADD CONSTRAINT dcx_call_direction_check CHECK (VALUE IN ('INBOUND', 'OUTBOUND')) NOT VALID;
ALTER DOMAIN dcx_consent_source ADD CONSTRAINT dcx_consent_source_check
    CHECK (VALUE IN ('IMPLICIT_IVR', 'AGENT_VERBAL', 'NONE')) NOT VALID;
ALTER DOMAIN dcx_transcription_status ADD CONSTRAINT dcx_transcription_status_check
    CHECK (VALUE IN ('NONE', 'PENDING', 'COMPLETED', 'FAILED')) NOT VALID;
ALTER DOMAIN dcx_compliance_rule ADD CONSTRAINT dcx_compliance_rule_check
    CHECK (VALUE IN ('DNC', 'CONSENT', 'QUIET_HOURS', 'MAX_ATTEMPTS_24H')) NOT VALID;
ALTER DOMAIN dcx_leg_kind ADD CONSTRAINT dcx_leg_kind_check CHECK (VALUE IN ('BUYER', 'FALLBACK')) NOT VALID;
ALTER DOMAIN dcx_count ADD CONSTRAINT dcx_count_check CHECK (VALUE >= 0) NOT VALID;
ALTER DOMAIN dcx_sentiment ADD CONSTRAINT dcx_sentiment_check CHECK (VALUE BETWEEN -1 AND 1) NOT VALID;
ALTER DOMAIN dcx_qa_score ADD CONSTRAINT dcx_qa_score_check CHECK (VALUE BETWEEN 0 AND 100) NOT VALID;

ALTER TABLE call_sessions
    DROP CONSTRAINT call_sessions_status_check,
    DROP CONSTRAINT call_sessions_provider_check,
    DROP CONSTRAINT call_sessions_direction_check,
    DROP CONSTRAINT call_sessions_recording_consent_source_check,
    DROP CONSTRAINT call_sessions_transcription_status_check,
    DROP CONSTRAINT call_sessions_compliance_rule_check,
    DROP CONSTRAINT call_sessions_duration_seconds_check,
    DROP CONSTRAINT call_sessions_billable_duration_seconds_check,
    DROP CONSTRAINT call_sessions_dispatch_attempts_check,
    DROP CONSTRAINT call_sessions_recording_duration_seconds_check,
    DROP CONSTRAINT call_sessions_sentiment_score_check,
    DROP CONSTRAINT call_sessions_llm_qa_score_check;

ALTER TABLE call_legs
    DROP CONSTRAINT call_legs_kind_check,
    DROP CONSTRAINT call_legs_duration_seconds_check;
