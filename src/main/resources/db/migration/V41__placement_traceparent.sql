-- Issue 23: Dialer v1 dials and power-dialer legs join the trace of the request that queued them. The W3C
-- traceparent of that request (null when tracing is off); the placement's span continues it
-- (io.dcx.hub.observability.JobTracing).
ALTER TABLE dial_attempts ADD COLUMN IF NOT EXISTS traceparent text;
ALTER TABLE dialer_attempts ADD COLUMN IF NOT EXISTS traceparent text;
