-- LEAD_STATUS_CHANGED is announced once per change. The application announces the changes it makes with their call
-- context (the Vapi lead batch: trace id, call public id, outcome) and marks its transaction with
-- set_config('dcx.lead_events', 'app', true); the trigger of V8 covers every other path (admin PATCH, dialers, …).
CREATE OR REPLACE FUNCTION dcx_lead_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    new_event_id uuid := gen_random_uuid();
BEGIN
    IF current_setting('dcx.lead_events', true) = 'app' THEN
        RETURN NEW;
    END IF;
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
