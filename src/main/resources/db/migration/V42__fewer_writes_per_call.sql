-- Issue 24: less written per inbound call (docs/benchmarks.md, "Deterministic cost of a call"). Each index below took
-- one entry per call on the voice path's single statement; no query needs it.

-- The duplicate-caller check (campaign, caller, recent) is served by call_sessions_from_idx (V21: caller, newest
-- first): a caller has few calls, so filtering those by campaign costs what this index's lookup did.
DROP INDEX call_sessions_dup_caller_idx;
-- No query looks calls up by trace id (a trace names the call by its public id); it was written on every call.
DROP INDEX call_sessions_trace_idx;
-- No query reads the outbox by time: the relay reads its queue, the timeline reads by aggregate key.
DROP INDEX outbox_created_idx;

-- A leg's Dial CallSid is unknown when the leg is inserted: the unique index held a NULL entry for every new leg.
-- Only set values need to be unique (NULLs never conflicted); lookups always name a value.
ALTER TABLE call_legs DROP CONSTRAINT call_legs_dial_call_sid_key;
CREATE UNIQUE INDEX call_legs_dial_call_sid_key ON call_legs (dial_call_sid) WHERE dial_call_sid IS NOT NULL;

-- Counting a buyer's or offer's day without a cap (every routed call, for reporting) was an INSERT … ON CONFLICT DO
-- UPDATE: it locks the conflicting row first, one more WAL record per counter (two per call). A plain UPDATE of the
-- shard's existing row writes only the (HOT) update; the insert remains for the day's first unit in that shard.
-- Capped counters keep V36's function unchanged under its new name.
ALTER FUNCTION dcx_take_cap_unit(text, uuid, date, integer) RENAME TO dcx_take_capped_unit;

CREATE FUNCTION dcx_take_cap_unit(p_scope_type text, p_scope uuid, p_day date, p_cap integer) RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    v_shard integer;
BEGIN
    IF p_cap IS NOT NULL THEN
        RETURN dcx_take_capped_unit(p_scope_type, p_scope, p_day, p_cap);
    END IF;
    v_shard := floor(random() * dcx_capacity_shards())::integer;
    UPDATE daily_cap_usage_shards SET used = used + 1, limit_seen = NULL
    WHERE scope_type = p_scope_type AND scope_id = p_scope AND day = p_day AND shard = v_shard;
    IF NOT FOUND THEN
        INSERT INTO daily_cap_usage_shards AS u (scope_type, scope_id, day, shard, used)
        VALUES (p_scope_type, p_scope, p_day, v_shard, 1)
        ON CONFLICT (scope_type, scope_id, day, shard) DO UPDATE SET used = u.used + 1, limit_seen = NULL;
    END IF;
    RETURN v_shard;
END
$$;
