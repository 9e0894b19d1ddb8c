-- A Twilio call keeps its CallSid in provider_call_id as well as in twilio_call_sid, so every Twilio call wrote the same
-- random value into two unique indexes (and, after a checkpoint, a page image of each: docs/benchmarks.md,
-- "Time-ordered ids"). call_sessions_twilio_call_sid_key already makes a CallSid unique; the (provider,
-- provider_call_id) key is needed for the other providers' ids (Retell's ON CONFLICT, their lookups), so it now
-- indexes only those. Same name: VoiceCallStore recognises a retried CallSid by the names of the keys it violates.
ALTER TABLE call_sessions DROP CONSTRAINT call_sessions_provider_call_key;
CREATE UNIQUE INDEX call_sessions_provider_call_key ON call_sessions (provider, provider_call_id)
    WHERE provider <> 'TWILIO';
