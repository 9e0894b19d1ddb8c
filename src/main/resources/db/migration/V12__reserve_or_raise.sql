-- dcx_reserve_capacity for a statement that records the call in the same autocommit statement: a buyer without room
-- aborts the whole statement (SQLSTATE DX001, message = the skip reason), so nothing of the call is written and the
-- caller tries the next buyer. The buyer's counter rows stay locked only until that statement commits.
CREATE FUNCTION dcx_reserve_capacity_or_raise(p_buyer uuid, p_offer uuid, p_day date,
                                              p_concurrency integer, p_buyer_cap integer, p_offer_cap integer)
    RETURNS text
    LANGUAGE plpgsql AS
$$
DECLARE
    v_result text := dcx_reserve_capacity(p_buyer, p_offer, p_day, p_concurrency, p_buyer_cap, p_offer_cap);
BEGIN
    IF v_result <> 'OK' THEN
        RAISE EXCEPTION USING ERRCODE = 'DX001', MESSAGE = v_result;
    END IF;
    RETURN v_result;
END
$$;
