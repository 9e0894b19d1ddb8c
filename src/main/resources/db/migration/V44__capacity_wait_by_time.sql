-- The sharded counters of V36 could refuse a call for CONCURRENCY while its buyer had room (seen in CI). Two calls
-- kept each other out until one gave up: a call rebalancing the counter waited, holding the shards it had locked so
-- far (in shard order), for a shard held by a second call; that second call held the shard only because it had
-- locked it while looking for room and found it full just then (a row locked by FOR UPDATE stays locked even when
-- the recheck drops it), and it kept looking for room among the shards the first one held, for its 500 looks.
-- Now:
-- - a rebalance never waits long: it takes its locks in a sub-transaction under a 50 ms lock_timeout and, when that
--   passes, rolls the sub-transaction back (every lock it took goes) and the call looks again a moment later;
-- - a call that finds the counter already rebalanced by another lets all its rows go at once the same way, so only
--   one call per limit change holds every row;
-- - the looks are bounded by time (dcx_capacity_wait(), 3 s), not by a count that a slow machine makes shorter.
-- A call still answers 'CONCURRENCY' as soon as the committed units reach the limit.

CREATE FUNCTION dcx_capacity_wait() RETURNS interval LANGUAGE sql IMMUTABLE AS $$ SELECT interval '3 seconds' $$;

-- V36's dcx_rebalance_slots(uuid, integer) returned void; callers now need to know whether it got through.
DROP FUNCTION dcx_rebalance_slots(uuid, integer);

-- Rebalance a buyer's concurrency counter for p_limit. True when the counter is balanced for p_limit on return (by
-- this call or by another one before it); false when the rows were busy for the lock_timeout, with nothing held.
CREATE FUNCTION dcx_rebalance_slots(p_buyer uuid, p_limit integer) RETURNS boolean LANGUAGE plpgsql
    SET lock_timeout = '50ms' AS
$$
DECLARE
    v_total    integer;
    v_balanced integer;
BEGIN
    BEGIN
        INSERT INTO buyer_capacity_shards (buyer_id, shard)
        SELECT p_buyer, g FROM generate_series(0, dcx_capacity_shards() - 1) g ON CONFLICT DO NOTHING;
        -- every shard locked, always in shard order
        SELECT sum(active_calls), count(*) FILTER (WHERE limit_seen = p_limit) INTO v_total, v_balanced
        FROM (SELECT active_calls, limit_seen FROM buyer_capacity_shards WHERE buyer_id = p_buyer
              ORDER BY shard FOR UPDATE) locked;
        IF v_balanced = dcx_capacity_shards() THEN
            RAISE EXCEPTION USING ERRCODE = 'DCX01'; -- another call rebalanced it meanwhile: let the rows go
        END IF;
        UPDATE buyer_capacity_shards SET active_calls = dcx_rebalanced_part(v_total, p_limit, shard), limit_seen = p_limit
        WHERE buyer_id = p_buyer;
        RETURN true;
    EXCEPTION
        WHEN SQLSTATE 'DCX01' THEN
            RETURN true;
        WHEN lock_not_available THEN
            RETURN false;
    END;
END
$$;

CREATE OR REPLACE FUNCTION dcx_take_slot(p_buyer uuid, p_limit integer) RETURNS integer LANGUAGE plpgsql AS
$$
DECLARE
    v_shard    integer := floor(random() * least(dcx_capacity_shards(), p_limit))::integer;
    v_taken    integer;
    v_deadline timestamptz := clock_timestamp() + dcx_capacity_wait();
BEGIN
    -- the shard picked at random, unless another call is updating it right now
    UPDATE buyer_capacity_shards c SET active_calls = c.active_calls + 1
    WHERE (c.buyer_id, c.shard) = (SELECT buyer_id, shard FROM buyer_capacity_shards
                                   WHERE buyer_id = p_buyer AND shard = v_shard AND limit_seen = p_limit
                                     AND active_calls < dcx_shard_limit(p_limit, v_shard)
                                   FOR UPDATE SKIP LOCKED)
      AND c.active_calls < dcx_shard_limit(p_limit, c.shard)
    RETURNING c.shard INTO v_taken;
    IF FOUND THEN
        RETURN v_taken;
    END IF;
    LOOP
        IF (SELECT count(*) FILTER (WHERE limit_seen = p_limit) < dcx_capacity_shards()
            FROM buyer_capacity_shards WHERE buyer_id = p_buyer) THEN
            PERFORM dcx_rebalance_slots(p_buyer, p_limit);
        END IF;
        UPDATE buyer_capacity_shards c SET active_calls = c.active_calls + 1
        WHERE (c.buyer_id, c.shard) = (SELECT buyer_id, shard FROM buyer_capacity_shards
                                       WHERE buyer_id = p_buyer AND limit_seen = p_limit
                                         AND active_calls < dcx_shard_limit(p_limit, shard)
                                       ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED)
          AND c.limit_seen = p_limit AND c.active_calls < dcx_shard_limit(p_limit, c.shard)
        RETURNING c.shard INTO v_taken;
        IF FOUND THEN
            RETURN v_taken;
        END IF;
        IF (SELECT coalesce(sum(active_calls), 0) FROM buyer_capacity_shards WHERE buyer_id = p_buyer) >= p_limit
           OR clock_timestamp() > v_deadline THEN
            RETURN -1;
        END IF;
        PERFORM pg_sleep(0.001);
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION dcx_give_slot(p_buyer uuid) RETURNS void LANGUAGE plpgsql AS
$$
DECLARE
    v_deadline timestamptz := clock_timestamp() + dcx_capacity_wait();
BEGIN
    LOOP
        IF EXISTS (SELECT 1 FROM buyer_capacity_shards
                   WHERE buyer_id = p_buyer AND active_calls > dcx_shard_limit(limit_seen, shard)) THEN
            UPDATE buyer_capacity_shards c SET active_calls = c.active_calls - 1
            WHERE (c.buyer_id, c.shard) = (SELECT buyer_id, shard FROM buyer_capacity_shards
                                           WHERE buyer_id = p_buyer AND active_calls > dcx_shard_limit(limit_seen, shard)
                                           LIMIT 1 FOR UPDATE SKIP LOCKED)
              AND c.active_calls > dcx_shard_limit(c.limit_seen, c.shard);
        ELSE
            UPDATE buyer_capacity_shards c SET active_calls = c.active_calls - 1
            WHERE (c.buyer_id, c.shard) = (SELECT buyer_id, shard FROM buyer_capacity_shards
                                           WHERE buyer_id = p_buyer AND active_calls > 0
                                           ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED)
              AND c.active_calls > 0;
        END IF;
        IF FOUND THEN
            RETURN;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM buyer_capacity_shards WHERE buyer_id = p_buyer AND active_calls > 0) THEN
            RETURN; -- nothing held (counters reset by hand): nothing to give back
        END IF;
        IF clock_timestamp() > v_deadline THEN
            RAISE EXCEPTION 'could not give back a concurrency slot of buyer % in %', p_buyer, dcx_capacity_wait();
        END IF;
        PERFORM pg_sleep(0.001);
    END LOOP;
END
$$;

-- The same for a daily-cap counter of a buyer or offer.
CREATE FUNCTION dcx_rebalance_cap_units(p_scope_type text, p_scope uuid, p_day date, p_cap integer) RETURNS boolean
    LANGUAGE plpgsql SET lock_timeout = '50ms' AS
$$
DECLARE
    v_total    integer;
    v_balanced integer;
BEGIN
    BEGIN
        INSERT INTO daily_cap_usage_shards (scope_type, scope_id, day, shard)
        SELECT p_scope_type, p_scope, p_day, g FROM generate_series(0, dcx_capacity_shards() - 1) g ON CONFLICT DO NOTHING;
        SELECT sum(used), count(*) FILTER (WHERE limit_seen = p_cap) INTO v_total, v_balanced
        FROM (SELECT used, limit_seen FROM daily_cap_usage_shards
              WHERE scope_type = p_scope_type AND scope_id = p_scope AND day = p_day
              ORDER BY shard FOR UPDATE) locked;
        IF v_balanced = dcx_capacity_shards() THEN
            RAISE EXCEPTION USING ERRCODE = 'DCX01';
        END IF;
        UPDATE daily_cap_usage_shards SET used = dcx_rebalanced_part(v_total, p_cap, shard), limit_seen = p_cap
        WHERE scope_type = p_scope_type AND scope_id = p_scope AND day = p_day;
        RETURN true;
    EXCEPTION
        WHEN SQLSTATE 'DCX01' THEN
            RETURN true;
        WHEN lock_not_available THEN
            RETURN false;
    END;
END
$$;

CREATE OR REPLACE FUNCTION dcx_take_capped_unit(p_scope_type text, p_scope uuid, p_day date, p_cap integer) RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    v_shard    integer;
    v_deadline timestamptz := clock_timestamp() + dcx_capacity_wait();
BEGIN
    LOOP
        IF (SELECT count(*) FILTER (WHERE limit_seen = p_cap) < dcx_capacity_shards() FROM daily_cap_usage_shards
            WHERE scope_type = p_scope_type AND scope_id = p_scope AND day = p_day) THEN
            PERFORM dcx_rebalance_cap_units(p_scope_type, p_scope, p_day, p_cap);
        END IF;
        -- a shard with room no call is updating
        UPDATE daily_cap_usage_shards u SET used = u.used + 1
        WHERE (u.scope_type, u.scope_id, u.day, u.shard) =
              (SELECT scope_type, scope_id, day, shard FROM daily_cap_usage_shards
               WHERE scope_type = p_scope_type AND scope_id = p_scope AND day = p_day AND limit_seen = p_cap
                 AND used < dcx_shard_limit(p_cap, shard)
               ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED)
          AND u.limit_seen = p_cap AND u.used < dcx_shard_limit(p_cap, u.shard)
        RETURNING u.shard INTO v_shard;
        IF FOUND THEN
            RETURN v_shard;
        END IF;
        IF (SELECT coalesce(sum(used), 0) FROM daily_cap_usage_shards
            WHERE scope_type = p_scope_type AND scope_id = p_scope AND day = p_day) >= p_cap
           OR clock_timestamp() > v_deadline THEN
            RETURN -1;
        END IF;
        PERFORM pg_sleep(0.001);
    END LOOP;
END
$$;
