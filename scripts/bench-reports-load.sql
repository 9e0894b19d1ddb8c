-- Synthetic call history for the calls/reports benchmark (docs/benchmarks.md, issue 21). Run with
--   psql -v n=5000000 -v days=90 -d <bench db> -f scripts/bench-reports-load.sql
-- on a database the hub has migrated (Flyway), never the test database. Distributions (per call):
--   time       uniform over the last :days days, a day-time peak (calls cluster 13:00-23:00 UTC)
--   campaign   20 campaigns, skewed (campaign k gets ~ (k+1)^-1 of the traffic: a few big ones, a long tail)
--   supplier   the campaign's supplier (5 suppliers)
--   buyer      3 buyers per campaign out of 15; 15 % of calls find no eligible buyer (fallback, no buyer)
--   direction  90 % INBOUND on Twilio, 6 % OUTBOUND Twilio (Dialer v1), 3 % OUTBOUND Vapi, 1 % OUTBOUND Retell
--   status     COMPLETED 72 %, NO_ANSWER 10 %, BUSY 7 %, FAILED 6 %, CANCELED 5 %; the last 10 minutes IN_PROGRESS
--   durations  answered calls ~ exponential, mean 3 min; connected (buyer) = talk time minus the IVR's 8 s
--   money      telephony cost 1.4 c/min + 1 c; estimated revenue 4,000-6,000 c when connected over 90 s;
--              8 % of connected calls convert (effective revenue 2,000-20,000 c)
--   numbers    callers from a pool of 2 million (repeat callers), 200 DIDs
\set ON_ERROR_STOP on
SELECT setseed(0.21);

INSERT INTO suppliers (id, name, type)
SELECT ('00000000-0000-4000-8000-0000000000' || lpad(s::text, 2, '0'))::uuid, 'Bench supplier ' || s, 'EXTERNAL_PUBLISHER'
FROM generate_series(1, 5) s ON CONFLICT DO NOTHING;
INSERT INTO buyers (id, name, endpoint_value)
SELECT ('00000000-0000-4000-9000-0000000000' || lpad(b::text, 2, '0'))::uuid, 'Bench buyer ' || b, '+1555000' || lpad(b::text, 4, '0')
FROM generate_series(1, 15) b ON CONFLICT DO NOTHING;
INSERT INTO campaigns (id, name, vertical, supplier_id)
SELECT ('00000000-0000-4000-a000-0000000000' || lpad(c::text, 2, '0'))::uuid, 'Bench campaign ' || c, 'SSDI',
       ('00000000-0000-4000-8000-0000000000' || lpad((1 + c % 5)::text, 2, '0'))::uuid
FROM generate_series(1, 20) c ON CONFLICT DO NOTHING;

INSERT INTO call_sessions (public_id, direction, provider, from_number, to_number, campaign_id, supplier_id, buyer_id,
    status, started_at, answered_at, ended_at, completed_at, duration_seconds, billable_duration_seconds,
    telephony_cost_cents, revenue_estimated_cents, revenue_effective_cents, converted, converted_at, routing_skips,
    fallback_reason, disposition, created_at, updated_at)
SELECT 'call_b' || md5(i::text), direction, provider,
       '+1' || (2000000000 + caller)::text, '+1800555' || lpad(did::text, 4, '0'),
       ('00000000-0000-4000-a000-0000000000' || lpad(campaign::text, 2, '0'))::uuid,
       ('00000000-0000-4000-8000-0000000000' || lpad((1 + campaign % 5)::text, 2, '0'))::uuid,
       CASE WHEN has_buyer THEN ('00000000-0000-4000-9000-0000000000' || lpad((1 + (campaign * 3 + pick) % 15)::text, 2, '0'))::uuid END,
       status, created_at, CASE WHEN answered THEN created_at + interval '2 seconds' END,
       CASE WHEN status <> 'IN_PROGRESS' THEN created_at + make_interval(secs => talk + 5) END,
       CASE WHEN status <> 'IN_PROGRESS' THEN created_at + make_interval(secs => talk + 5) END,
       talk, billable, 1 + (talk * 14) / 600, estimated, CASE WHEN converted THEN 2000 + (r4 * 18000)::bigint END,
       converted, CASE WHEN converted THEN created_at + interval '2 days' END,
       CASE WHEN has_buyer THEN '[]'::jsonb ELSE '[{"reason":"DAILY_CAP"}]'::jsonb END,
       CASE WHEN NOT has_buyer THEN 'NO_ELIGIBLE_BUYER' END,
       CASE WHEN converted THEN 'SOLD' END, created_at, created_at
FROM (
    SELECT i, d.direction, d.provider, s.status, c.created_at, c.campaign, c.caller, c.did, c.pick, c.has_buyer, c.r4,
           s.answered, talk, billable,
           CASE WHEN billable > 90 THEN 4000 + (c.r4 * 2000)::bigint ELSE 0 END AS estimated,
           billable > 90 AND c.r5 < 0.08 AS converted
    FROM generate_series(1, :n) i
    CROSS JOIN LATERAL (
        SELECT now() - make_interval(days => :days) * (1 - i::float8 / :n)
                   + make_interval(secs => (random() - 0.5) * 3600 + 5 * 3600 * sin(i::float8 / :n * :days * 2 * pi())) AS created_at,
               least(20, floor(1 / (random() * 0.95 + 0.05)))::int AS campaign,
               floor(random() * 2000000)::int AS caller, floor(random() * 200)::int AS did, floor(random() * 3)::int AS pick,
               random() > 0.15 AS has_buyer, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
               random() AS r5, (-180 * ln(1 - random()))::int AS expo, i AS j
    ) c
    CROSS JOIN LATERAL (
        SELECT CASE WHEN c.r1 < 0.90 THEN 'INBOUND' ELSE 'OUTBOUND' END AS direction,
               CASE WHEN c.r1 < 0.96 THEN 'TWILIO' WHEN c.r1 < 0.99 THEN 'VAPI' ELSE 'RETELL' END AS provider
    ) d
    CROSS JOIN LATERAL (
        SELECT CASE WHEN c.created_at > now() - interval '10 minutes' THEN 'IN_PROGRESS'
                    WHEN c.r2 < 0.72 THEN 'COMPLETED' WHEN c.r2 < 0.82 THEN 'NO_ANSWER' WHEN c.r2 < 0.89 THEN 'BUSY'
                    WHEN c.r2 < 0.95 THEN 'FAILED' ELSE 'CANCELED' END AS status,
               c.r2 < 0.72 OR c.created_at > now() - interval '10 minutes' AS answered
    ) s
    CROSS JOIN LATERAL (
        SELECT CASE WHEN s.answered THEN c.expo ELSE 0 END AS talk,
               CASE WHEN s.answered AND c.has_buyer THEN greatest(0, c.expo - 8) ELSE 0 END AS billable
    ) t
) g;
