-- Claims due TRANSCRIBE jobs for this instance (IN_PROGRESS, attempts + 1): pending ones whose time has come and
-- jobs whose worker died (claim older than :#lease seconds). Without ASR (:#asr false) a job whose recording is
-- stored waits for an external worker and is not claimed.
UPDATE call_ai_jobs j SET status = 'IN_PROGRESS', locked_at = now(), attempts = j.attempts + 1,
    started_at = coalesce(j.started_at, now()), updated_at = now()
WHERE j.id IN (
    SELECT q.id FROM call_ai_jobs q JOIN call_sessions s ON s.id = q.call_session_id
    WHERE q.job_type = 'TRANSCRIBE'
      AND ((q.status = 'PENDING' AND q.next_attempt_at <= now())
           OR (q.status = 'IN_PROGRESS' AND q.locked_at < now() - make_interval(secs => :#lease)))
      AND (s.recording_storage_key IS NULL OR :#asr)
    ORDER BY q.next_attempt_at LIMIT 20
    FOR UPDATE OF q SKIP LOCKED)
RETURNING j.id::text AS id
