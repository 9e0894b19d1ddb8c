-- Capacity counters in shards (issue 24). One counter row per buyer (and per buyer/offer day) serialised every call
-- of that buyer on the row lock, held until the call's commit had flushed the WAL: a single big buyer had a
-- throughput ceiling that more hub instances could not lift. Each counter is now 32 rows; a limit L is split over the
-- shards (shard k may hold L/32, plus one for k < L mod 32), so calls of one buyer update different rows and the sum
-- cannot pass L as long as every shard stays within its part. A call tries one shard picked at random; only when that
-- one is full it looks for another with room (first those no call is updating, then waiting for the others), so a
-- call is refused only when every shard is full, i.e. when the buyer is.
-- Each row remembers the limit its part was computed for (limit_seen). A call that brings another limit (the buyer's
-- limit was changed, or the rows are new) first rebalances the counter under the lock of all its rows: the units are
-- redistributed so that each shard holds at most its part, or, when more calls are active than the new limit allows,
-- at least its part with the excess in shard 0. Releases take from a shard above its part first, so a lowered limit
-- admits nothing until the buyer is below it. buyer_capacity and daily_cap_usage stay as views of the sums.

CREATE FUNCTION dcx_capacity_shards() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 32';

-- What shard p_shard of a counter limited to p_limit may hold.
CREATE FUNCTION dcx_shard_limit(p_limit integer, p_shard integer) RETURNS integer LANGUAGE sql IMMUTABLE AS
$$ SELECT p_limit / dcx_capacity_shards() + CASE WHEN p_shard < p_limit % dcx_capacity_shards() THEN 1 ELSE 0 END $$;

CREATE TABLE buyer_capacity_shards (
    buyer_id      uuid     NOT NULL REFERENCES buyers (id) ON DELETE CASCADE,
    shard         smallint NOT NULL,
    active_calls  integer  NOT NULL DEFAULT 0 CHECK (active_calls >= 0),
    limit_seen    integer,
    PRIMARY KEY (buyer_id, shard)
) WITH (fillfactor = 20); -- room on the page for HOT updates of these few, very busy rows

CREATE TABLE daily_cap_usage_shards (
    scope_type  text     NOT NULL CHECK (scope_type IN ('BUYER', 'OFFER')),
    scope_id    uuid     NOT NULL, -- buyers.id or offers.id depending on scope_type
    day         date     NOT NULL, -- the calendar day in the buyer's schedule_timezone
    shard       smallint NOT NULL,
    used        integer  NOT NULL DEFAULT 0 CHECK (used >= 0),
    limit_seen  integer,           -- NULL: counted without a cap
    PRIMARY KEY (scope_type, scope_id, day, shard)
) WITH (fillfactor = 50);

-- the old single rows become shard 0, with no limit seen: the first call rebalances them
INSERT INTO buyer_capacity_shards (buyer_id, shard, active_calls) SELECT buyer_id, 0, active_calls FROM buyer_capacity;
INSERT INTO daily_cap_usage_shards (scope_type, scope_id, day, shard, used)
SELECT scope_type, scope_id, day, 0, used FROM daily_cap_usage;
DROP TABLE buyer_capacity;
DROP TABLE daily_cap_usage;

CREATE VIEW buyer_capacity AS
SELECT buyer_id, sum(active_calls)::integer AS active_calls FROM buyer_capacity_shards GROUP BY buyer_id;
CREATE VIEW daily_cap_usage AS
SELECT scope_type, scope_id, day, sum(used)::integer AS used FROM daily_cap_usage_shards GROUP BY scope_type, scope_id, day;

-- The part of p_total units that shard p_shard holds after a rebalance for p_limit: its own part while units are
-- left (in shard order), and shard 0 also takes whatever exceeds the limit.
CREATE FUNCTION dcx_rebalanced_part(p_total integer, p_limit integer, p_shard integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS
$$
SELECT least(dcx_shard_limit(p_limit, p_shard),
             greatest(p_total - (SELECT coalesce(sum(dcx_shard_limit(p_limit, g)), 0)
                                 FROM generate_series(0, p_shard - 1) g), 0))
       + CASE WHEN p_shard = 0 THEN greatest(p_total - p_limit, 0) ELSE 0 END
$$;

CREATE FUNCTION dcx_rebalance_slots(p_buyer uuid, p_limit integer) RETURNS void LANGUAGE plpgsql AS
$$
DECLARE
    v_total integer;
BEGIN
    INSERT INTO buyer_capacity_shards (buyer_id, shard)
    SELECT p_buyer, g FROM generate_series(0, dcx_capacity_shards() - 1) g ON CONFLICT DO NOTHING;
    -- every shard locked, always in shard order
    SELECT sum(active_calls) INTO v_total
    FROM (SELECT active_calls FROM buyer_capacity_shards WHERE buyer_id = p_buyer ORDER BY shard FOR UPDATE) locked;
    UPDATE buyer_capacity_shards SET active_calls = dcx_rebalanced_part(v_total, p_limit, shard), limit_seen = p_limit
    WHERE buyer_id = p_buyer;
END
$$;

-- Take one concurrency slot of a buyer limited to p_limit (> 0) concurrent calls. Returns the shard it was taken
-- from, or -1 when the buyer is full. A call never waits for a shard another call holds (it would wait holding a
-- shard it locked and found full, and two such calls deadlock): it skips busy shards, and when every shard with room
-- is busy it sleeps a millisecond and looks again (a fresh snapshot: a rebalance may have moved the units) while
-- the sum is below the limit. Only a rebalance waits, locking all shards in shard order.
CREATE FUNCTION dcx_take_slot(p_buyer uuid, p_limit integer) RETURNS integer LANGUAGE plpgsql AS
$$
DECLARE
    v_shard   integer := floor(random() * least(dcx_capacity_shards(), p_limit))::integer;
    v_taken   integer;
    v_attempt integer;
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
    FOR v_attempt IN 1..500 LOOP
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
        IF (SELECT coalesce(sum(active_calls), 0) FROM buyer_capacity_shards WHERE buyer_id = p_buyer) >= p_limit THEN
            RETURN -1;
        END IF;
        PERFORM pg_sleep(0.001);
    END LOOP;
    RETURN -1;
END
$$;

-- Give back one concurrency slot of a buyer: from a shard above its part when there is one (the limit was lowered),
-- else from any shard holding one. Like dcx_take_slot it never waits for a shard another call holds.
CREATE FUNCTION dcx_give_slot(p_buyer uuid) RETURNS void LANGUAGE plpgsql AS
$$
DECLARE
    v_attempt integer;
BEGIN
    FOR v_attempt IN 1..500 LOOP
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
        PERFORM pg_sleep(0.001);
    END LOOP;
    RAISE EXCEPTION 'could not give back a concurrency slot of buyer % in 500 attempts', p_buyer;
END
$$;

-- Take one daily-cap unit of a buyer or offer for a day; p_cap NULL counts without a cap (for reporting).
-- Returns the shard the unit was taken from, or -1 when the cap is used up. Units come back only in the transaction
-- that took them (a later counter of the same call had no room), to the same shard. Like dcx_take_slot it looks
-- again while the sum is below the cap (a concurrent rebalance may have moved units).
CREATE FUNCTION dcx_take_cap_unit(p_scope_type text, p_scope uuid, p_day date, p_cap integer) RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    v_shard   integer;
    v_total   integer;
    v_attempt integer;
BEGIN
    IF p_cap IS NULL THEN
        v_shard := floor(random() * dcx_capacity_shards())::integer;
        INSERT INTO daily_cap_usage_shards AS u (scope_type, scope_id, day, shard, used)
        VALUES (p_scope_type, p_scope, p_day, v_shard, 1)
        ON CONFLICT (scope_type, scope_id, day, shard) DO UPDATE SET used = u.used + 1, limit_seen = NULL;
        RETURN v_shard;
    END IF;
    FOR v_attempt IN 1..500 LOOP
        IF (SELECT count(*) FILTER (WHERE limit_seen = p_cap) < dcx_capacity_shards() FROM daily_cap_usage_shards
            WHERE scope_type = p_scope_type AND scope_id = p_scope AND day = p_day) THEN
            -- rebalance for this cap: every shard locked in shard order, units redistributed
            INSERT INTO daily_cap_usage_shards (scope_type, scope_id, day, shard)
            SELECT p_scope_type, p_scope, p_day, g FROM generate_series(0, dcx_capacity_shards() - 1) g ON CONFLICT DO NOTHING;
            SELECT sum(used) INTO v_total
            FROM (SELECT used FROM daily_cap_usage_shards WHERE scope_type = p_scope_type AND scope_id = p_scope AND day = p_day
                  ORDER BY shard FOR UPDATE) locked;
            UPDATE daily_cap_usage_shards SET used = dcx_rebalanced_part(v_total, p_cap, shard), limit_seen = p_cap
            WHERE scope_type = p_scope_type AND scope_id = p_scope AND day = p_day;
        END IF;
        -- a shard with room no call is updating (the first try prefers one at random)
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
            WHERE scope_type = p_scope_type AND scope_id = p_scope AND day = p_day) >= p_cap THEN
            RETURN -1;
        END IF;
        PERFORM pg_sleep(0.001);
    END LOOP;
    RETURN -1;
END
$$;

-- Same contract as in V4 ('OK', 'CONCURRENCY' or 'DAILY_CAP'; all or nothing), on the sharded counters. A counter
-- without room gives back what the call took before it, to the very shards it took it from.
CREATE OR REPLACE FUNCTION dcx_reserve_capacity(p_buyer uuid, p_offer uuid, p_day date,
                                                p_concurrency integer, p_buyer_cap integer, p_offer_cap integer)
    RETURNS text
    LANGUAGE plpgsql AS
$$
DECLARE
    v_slot_shard  integer;
    v_buyer_shard integer;
BEGIN
    IF (p_buyer_cap IS NOT NULL AND p_buyer_cap <= 0) OR (p_offer_cap IS NOT NULL AND p_offer_cap <= 0) THEN
        RETURN 'DAILY_CAP';
    END IF;
    IF p_concurrency <= 0 THEN
        RETURN 'CONCURRENCY';
    END IF;
    v_slot_shard := dcx_take_slot(p_buyer, p_concurrency);
    IF v_slot_shard < 0 THEN
        RETURN 'CONCURRENCY';
    END IF;
    v_buyer_shard := dcx_take_cap_unit('BUYER', p_buyer, p_day, p_buyer_cap);
    IF v_buyer_shard >= 0 AND dcx_take_cap_unit('OFFER', p_offer, p_day, p_offer_cap) >= 0 THEN
        RETURN 'OK';
    END IF;
    UPDATE buyer_capacity_shards SET active_calls = active_calls - 1 WHERE buyer_id = p_buyer AND shard = v_slot_shard;
    IF v_buyer_shard >= 0 THEN
        UPDATE daily_cap_usage_shards SET used = used - 1
        WHERE scope_type = 'BUYER' AND scope_id = p_buyer AND day = p_day AND shard = v_buyer_shard;
    END IF;
    RETURN 'DAILY_CAP';
END
$$;

-- Same contract as in V4: a leg's slot goes back exactly once, whatever number of callbacks report its end.
CREATE OR REPLACE FUNCTION dcx_release_slot(p_leg uuid)
    RETURNS boolean
    LANGUAGE plpgsql AS
$$
DECLARE
    v_buyer uuid;
BEGIN
    UPDATE call_legs SET slot_released_at = now(), updated_at = now()
    WHERE id = p_leg AND slot_held AND slot_released_at IS NULL
    RETURNING buyer_id INTO v_buyer;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    PERFORM dcx_give_slot(v_buyer);
    RETURN true;
END
$$;
