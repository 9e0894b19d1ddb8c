-- Issue 23: a call's background jobs join the call's trace. The W3C traceparent of the work that queued the job
-- (null when tracing is off); the worker's span continues it (io.dcx.hub.observability.JobTracing).
ALTER TABLE call_ai_jobs ADD COLUMN IF NOT EXISTS traceparent text;
