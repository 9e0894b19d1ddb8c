-- Issue 8 (integrator extension): LEAD_STATUS_CHANGED on the event bus.
-- A lead's status is changed by several capabilities (PATCH /api/leads/{id}, the dialers' webhooks, batch claims);
-- a trigger writes the event into the outbox in the same transaction as the change, whichever code made it, so
-- integrations (e.g. routes/lead-follow-up-email.yaml) and webhook endpoints see every change exactly when it
-- commits. The envelope is the one of dataformats/event-envelope.schema.json (the relay publishes it in canonical
-- key order); the partition key is the lead id. Code that changes a lead's status must not emit this event itself.
CREATE FUNCTION dcx_lead_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    new_event_id uuid := gen_random_uuid();
BEGIN
    INSERT INTO outbox (event_id, event_type, aggregate_key, payload)
    VALUES (new_event_id, 'LEAD_STATUS_CHANGED', NEW.id::text, jsonb_build_object(
        'event', 'LEAD_STATUS_CHANGED',
        'event_id', new_event_id,
        'trace_id', NULL,
        'call_public_id', NULL,
        'campaign_id', NEW.campaign_id,
        'supplier_id', NULL,
        'buyer_id', NULL,
        'lead_id', NEW.id,
        'previous_status', OLD.status,
        'status', NEW.status,
        'status_reason', NEW.status_reason,
        'call_attempts', NEW.call_attempts,
        'occurred_at', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')));
    RETURN NEW;
END
$$;

CREATE TRIGGER leads_status_changed
    AFTER UPDATE OF status ON leads
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION dcx_lead_status_changed();
