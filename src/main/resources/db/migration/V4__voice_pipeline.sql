-- Inbound voice pipeline (issue 3): idempotent answers, failover state and atomic capacity reservation.

-- The TwiML last answered for the call, so a Twilio retry of the same request gets the same document.
ALTER TABLE call_sessions ADD COLUMN answer_twiml text;
-- Ring budget of the whole buyer stack (campaign max_ring_seconds from the first dial).
ALTER TABLE call_sessions ADD COLUMN ring_deadline_at timestamptz;
-- Number type of the dialled DID (LOCAL / TOLL_FREE) for the rate table.
ALTER TABLE call_sessions ADD COLUMN number_type text;
-- Child-leg status callbacks are ordered by their own SequenceNumber.
ALTER TABLE call_legs ADD COLUMN last_sequence_number integer;

-- Reserve one concurrency slot of a buyer and one daily-cap unit of the buyer and of the offer, all or nothing.
-- Each counter moves with a conditional upsert (never read-then-write), so parallel calls on any number of hub
-- instances cannot exceed a limit: the row lock serialises them and the WHERE re-checks the committed value.
-- Returns 'OK', or the reason nothing was reserved: 'CONCURRENCY' or 'DAILY_CAP'.
CREATE FUNCTION dcx_reserve_capacity(p_buyer uuid, p_offer uuid, p_day date,
                                     p_concurrency integer, p_buyer_cap integer, p_offer_cap integer)
    RETURNS text
    LANGUAGE plpgsql AS
$$
BEGIN
    IF (p_buyer_cap IS NOT NULL AND p_buyer_cap <= 0) OR (p_offer_cap IS NOT NULL AND p_offer_cap <= 0) THEN
        RETURN 'DAILY_CAP';
    END IF;
    IF p_concurrency <= 0 THEN
        RETURN 'CONCURRENCY';
    END IF;

    INSERT INTO buyer_capacity AS c (buyer_id, active_calls) VALUES (p_buyer, 1)
    ON CONFLICT (buyer_id) DO UPDATE SET active_calls = c.active_calls + 1, updated_at = now()
        WHERE c.active_calls < p_concurrency;
    IF NOT FOUND THEN
        RETURN 'CONCURRENCY';
    END IF;

    IF p_buyer_cap IS NOT NULL THEN
        INSERT INTO daily_cap_usage AS u (scope_type, scope_id, day, used) VALUES ('BUYER', p_buyer, p_day, 1)
        ON CONFLICT (scope_type, scope_id, day) DO UPDATE SET used = u.used + 1, updated_at = now()
            WHERE u.used < p_buyer_cap;
        IF NOT FOUND THEN
            UPDATE buyer_capacity SET active_calls = active_calls - 1, updated_at = now() WHERE buyer_id = p_buyer;
            RETURN 'DAILY_CAP';
        END IF;
    END IF;

    IF p_offer_cap IS NOT NULL THEN
        INSERT INTO daily_cap_usage AS u (scope_type, scope_id, day, used) VALUES ('OFFER', p_offer, p_day, 1)
        ON CONFLICT (scope_type, scope_id, day) DO UPDATE SET used = u.used + 1, updated_at = now()
            WHERE u.used < p_offer_cap;
        IF NOT FOUND THEN
            UPDATE buyer_capacity SET active_calls = active_calls - 1, updated_at = now() WHERE buyer_id = p_buyer;
            IF p_buyer_cap IS NOT NULL THEN
                UPDATE daily_cap_usage SET used = used - 1, updated_at = now()
                WHERE scope_type = 'BUYER' AND scope_id = p_buyer AND day = p_day;
            END IF;
            RETURN 'DAILY_CAP';
        END IF;
    END IF;

    -- daily-cap units are still counted when the offer/buyer has no cap, for reporting
    IF p_buyer_cap IS NULL THEN
        INSERT INTO daily_cap_usage AS u (scope_type, scope_id, day, used) VALUES ('BUYER', p_buyer, p_day, 1)
        ON CONFLICT (scope_type, scope_id, day) DO UPDATE SET used = u.used + 1, updated_at = now();
    END IF;
    IF p_offer_cap IS NULL THEN
        INSERT INTO daily_cap_usage AS u (scope_type, scope_id, day, used) VALUES ('OFFER', p_offer, p_day, 1)
        ON CONFLICT (scope_type, scope_id, day) DO UPDATE SET used = u.used + 1, updated_at = now();
    END IF;
    RETURN 'OK';
END
$$;

-- Give back a leg's concurrency slot exactly once, whatever number of callbacks report its end.
CREATE FUNCTION dcx_release_slot(p_leg uuid)
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
    UPDATE buyer_capacity SET active_calls = active_calls - 1, updated_at = now()
    WHERE buyer_id = v_buyer AND active_calls > 0;
    RETURN true;
END
$$;
