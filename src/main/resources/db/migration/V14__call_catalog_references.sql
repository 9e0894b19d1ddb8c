-- Calls refer to the catalog (campaign, supplier, buyer, offer) without foreign keys.
--
-- A foreign key check locks the referenced row FOR KEY SHARE. Every inbound call of a campaign references the same
-- campaign and supplier rows (and one of a few buyers and offers), so at hundreds of calls per second those rows
-- are key-share locked by many transactions at once: each lock becomes a MultiXact (SLRU lookups, WAL, a rewritten
-- tuple header on the catalog row) and the seven checks per call were a sixth of PostgreSQL's CPU on the inbound
-- call (perf, docs/benchmarks.md).
--
-- The hub never deletes catalog rows (they are deactivated; the API has no DELETE for them), so the keys only
-- guarded against a manual DELETE. That guard stays, as a trigger: a catalog row that calls refer to cannot be
-- deleted. (Unlike a foreign key it does not see a call inserted concurrently with the DELETE and not yet
-- committed; nothing in the hub deletes catalog rows, so that window is only open to manual SQL.)

ALTER TABLE call_sessions
    DROP CONSTRAINT call_sessions_campaign_id_fkey,
    DROP CONSTRAINT call_sessions_supplier_id_fkey,
    DROP CONSTRAINT call_sessions_buyer_id_fkey,
    DROP CONSTRAINT call_sessions_offer_id_fkey;

ALTER TABLE call_legs
    DROP CONSTRAINT call_legs_buyer_id_fkey,
    DROP CONSTRAINT call_legs_offer_id_fkey;

CREATE FUNCTION dcx_keep_catalog_rows_with_calls() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    v_referenced boolean;
BEGIN
    v_referenced := CASE TG_TABLE_NAME
        WHEN 'campaigns' THEN EXISTS (SELECT 1 FROM call_sessions WHERE campaign_id = OLD.id)
        WHEN 'suppliers' THEN EXISTS (SELECT 1 FROM call_sessions WHERE supplier_id = OLD.id)
        WHEN 'buyers' THEN EXISTS (SELECT 1 FROM call_sessions WHERE buyer_id = OLD.id)
                        OR EXISTS (SELECT 1 FROM call_legs WHERE buyer_id = OLD.id)
        WHEN 'offers' THEN EXISTS (SELECT 1 FROM call_sessions WHERE offer_id = OLD.id)
                        OR EXISTS (SELECT 1 FROM call_legs WHERE offer_id = OLD.id)
        END;
    IF v_referenced THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('%s %s has calls: deactivate it instead of deleting it', TG_TABLE_NAME, OLD.id);
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER campaigns_keep_with_calls BEFORE DELETE ON campaigns
    FOR EACH ROW EXECUTE FUNCTION dcx_keep_catalog_rows_with_calls();
CREATE TRIGGER suppliers_keep_with_calls BEFORE DELETE ON suppliers
    FOR EACH ROW EXECUTE FUNCTION dcx_keep_catalog_rows_with_calls();
CREATE TRIGGER buyers_keep_with_calls BEFORE DELETE ON buyers
    FOR EACH ROW EXECUTE FUNCTION dcx_keep_catalog_rows_with_calls();
CREATE TRIGGER offers_keep_with_calls BEFORE DELETE ON offers
    FOR EACH ROW EXECUTE FUNCTION dcx_keep_catalog_rows_with_calls();
