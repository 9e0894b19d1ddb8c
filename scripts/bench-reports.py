#!/usr/bin/env python3
"""Latencies of the calls list, detail, reports, dashboard and export against a hub on the bench database
(scripts/bench-reports.sh runs it; docs/benchmarks.md has the figures). Keep-alive HTTP/1.1, one client, sequential:
the figures are the server's time per request, not a throughput test.

usage: bench-reports.py <base url> <admin password> <psql dsn>
"""
import http.client, json, os, statistics, subprocess, sys, time, urllib.parse
from datetime import datetime, timedelta, timezone

base, password, dsn = sys.argv[1], sys.argv[2], sys.argv[3]
u = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)


def request(method, path, body=None, token=None, sink=False):
    try:
        return send(method, path, body, token, sink)
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        # the hub closes a keep-alive connection idle for its connection timeout (10 s), e.g. while EXPLAIN runs
        conn.close()
        return send(method, path, body, token, sink)


def send(method, path, body, token, sink):
    headers = {"Content-Type": "application/json"} if body else {}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    if sink:
        n = 0
        while True:
            chunk = r.read(1 << 16)
            if not chunk:
                break
            n += len(chunk)
        return r.status, n
    return r.status, r.read()


def sql(q, one_core=False):
    # one_core: as the hub runs the reports (ReportStore.read: no parallel workers)
    env = dict(os.environ, PGOPTIONS="-c max_parallel_workers_per_gather=0") if one_core else None
    return subprocess.check_output(["psql", dsn, "-X", "-A", "-t", "-c", q], text=True, env=env).strip()


status, body = request("POST", "/api/auth/token", json.dumps({"username": "admin", "password": password}))
token = json.loads(body)["access_token"]


def timed(path, n):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        status, body = request("GET", path, token=token)
        times.append((time.perf_counter() - t) * 1000)
        if status != 200:
            raise SystemExit(f"{path}: {status} {body[:300]}")
    return times, body


def report(name, times, db=None):
    times = sorted(times)
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    db = "" if db is None else f"{db:.1f}"
    print(f"| {name} | {len(times)} | {statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f} | {db} |", flush=True)
    return p95


def explain(query, one_core=False):
    """The database's own time for the query (EXPLAIN ANALYZE execution time, best of 3), in ms."""
    best = None
    for _ in range(3):
        out = sql("EXPLAIN (ANALYZE, FORMAT JSON) " + query, one_core)
        ms = json.loads(out)[0]["Execution Time"]
        best = ms if best is None else min(best, ms)
    return best


def list_sql(filters):
    where = []
    for k, v in urllib.parse.parse_qsl(filters):
        col = {"campaign_id": "campaign_id", "supplier_id": "supplier_id", "buyer_id": "buyer_id", "status": "status",
               "direction": "direction", "provider": "provider", "converted": "converted", "caller": "from_number"}.get(k)
        if col:
            where.append(f"{col} = '{v}'")
        elif k == "from":
            where.append(f"created_at >= '{v}'")
        elif k == "to":
            where.append(f"created_at < '{v}'")
    return ("SELECT * FROM call_sessions WHERE true" + "".join(" AND " + w for w in where)
            + " ORDER BY created_at DESC, id DESC LIMIT 21")


now = datetime.now(timezone.utc)
iso = lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")
q = urllib.parse.quote
campaign_big = "00000000-0000-4000-a000-000000000001"
campaign_small = "00000000-0000-4000-a000-000000000017"
supplier = "00000000-0000-4000-8000-000000000002"
buyer = sql(f"SELECT buyer_id FROM call_sessions WHERE campaign_id = '{campaign_big}' AND buyer_id IS NOT NULL LIMIT 1")
foreign_buyer = "00000000-0000-4000-9000-000000000009"  # sells none of supplier 2's campaigns
caller = sql("SELECT from_number FROM call_sessions ORDER BY created_at DESC OFFSET 5000 LIMIT 1")
day_from, day_to = iso(now - timedelta(days=31)), iso(now - timedelta(days=30))
week_from, week_to = iso(now - timedelta(days=40)), iso(now - timedelta(days=33))

print(f"calls: {sql('SELECT count(*) FROM call_sessions')}")
print("| request | n | p50 ms | p95 ms | max ms | database ms |\n|---|---|---|---|---|---|")
lists = {
    "newest first, no filter": "",
    "campaign (largest)": f"campaign_id={campaign_big}",
    "campaign (small)": f"campaign_id={campaign_small}",
    "supplier": f"supplier_id={supplier}",
    "buyer": f"buyer_id={buyer}",
    "status FAILED": "status=FAILED",
    "direction OUTBOUND": "direction=OUTBOUND",
    "provider RETELL (1 %)": "provider=RETELL",
    "converted": "converted=true",
    "caller (exact)": f"caller={q(caller)}",
    "date range (1 day, 30 days ago)": f"from={day_from}&to={day_to}",
    "campaign + status": f"campaign_id={campaign_big}&status=COMPLETED",
    "campaign + buyer + converted": f"campaign_id={campaign_big}&buyer_id={buyer}&converted=true",
    "supplier + direction + provider": f"supplier_id={supplier}&direction=OUTBOUND&provider=VAPI",
    "buyer + status + converted + week": f"buyer_id={buyer}&status=COMPLETED&converted=true&from={week_from}&to={week_to}",
    "small campaign + provider RETELL + converted": f"campaign_id={campaign_small}&provider=RETELL&converted=true",
    "caller + campaign": f"caller={q(caller)}&campaign_id={campaign_big}",
    "supplier + buyer that never bought from it (empty)": f"supplier_id={supplier}&buyer_id={foreign_buyer}",
    "status + direction + provider + converted + day": f"status=COMPLETED&direction=OUTBOUND&provider=RETELL&converted=true&from={day_from}&to={day_to}",
}
worst = 0
for _ in range(3):  # warm-up: the JIT and the caches, not counted
    for filters in lists.values():
        timed("/api/calls?" + filters, 5)
for name, filters in lists.items():
    path = "/api/calls?" + filters  # the default page, 20 calls
    times, body = timed(path, 40)
    worst = max(worst, report("list: " + name, times, explain(list_sql(filters))))
# deep pages: follow next_token 100 pages into the campaign
path, times = f"/api/calls?campaign_id={campaign_big}", []
for _ in range(100):
    t = time.perf_counter()
    status, body = request("GET", path, token=token)
    times.append((time.perf_counter() - t) * 1000)
    token_next = json.loads(body)["next_token"]
    path = f"/api/calls?campaign_id={campaign_big}&next_token={token_next}"
worst = max(worst, report("list: campaign, pages 1-100 (keyset)", times))
print(f"worst list p95: {worst:.1f} ms")

ids = sql("SELECT string_agg(public_id, ' ') FROM (SELECT public_id FROM call_sessions TABLESAMPLE SYSTEM (1) LIMIT 100) x").split()
times = []
for i in ids:
    t = time.perf_counter()
    status, body = request("GET", "/api/calls/" + i, token=token)
    times.append((time.perf_counter() - t) * 1000)
report("detail (random calls)", times)

m30 = iso(now - timedelta(days=30))
for group in ["day", "hour", "campaign", "buyer", "supplier"]:
    times, _ = timed(f"/api/reports/summary?from={m30}&to={iso(now)}&group_by={group}&tz=America/New_York", 5)
    report(f"summary 30 days by {group} (America/New_York)", times)
print("summary plan (30 days by day), every call read (before the rollup):")
print(sql("EXPLAIN (ANALYZE, BUFFERS) SELECT date_bin('15 minutes', created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), "
          "count(*), count(answered_at), sum(duration_seconds), sum(profit_cents) FROM call_sessions "
          f"WHERE created_at >= '{m30}' AND created_at < '{iso(now)}' GROUP BY 1"))
times, _ = timed("/api/reports/dashboard?tz=America/New_York", 20)
report("dashboard (America/New_York)", times)

# The database's time for the reports' queries as the hub runs them (reports/ReportStore, RollupPlan): the rollup's
# whole settled hours plus the calls of the rest, against every call of the range read (the path before V39).
FIGURES = ("count(*) AS calls, count(answered_at) AS answered, count(*) FILTER (WHERE billable_duration_seconds > 0) "
           "AS connected, coalesce(sum(duration_seconds), 0) AS duration_seconds, coalesce(sum(billable_duration_seconds), 0) "
           "AS billable_seconds, count(*) FILTER (WHERE converted) AS conversions, coalesce(sum(coalesce("
           "revenue_effective_cents, revenue_estimated_cents)), 0) AS revenue_cents, coalesce(sum(telephony_cost_cents), 0) "
           "AS telephony_cost_cents, coalesce(sum(profit_cents), 0) AS margin_cents")
SUMS = ", ".join(f"sum({c})::bigint AS {c}" for c in ["calls", "answered", "connected", "duration_seconds",
    "billable_seconds", "conversions", "revenue_cents", "telephony_cost_cents", "margin_cents"])
SLOT15 = "date_bin('15 minutes', created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')"


def hybrid(frm, to, dimension, rolled, raw, n, use_rollup=True):
    """The hub's query for [frm, to): rollup rows of whole hours before the watermark (not dirty) + calls of the rest."""
    hour = lambda d: d.replace(minute=0, second=0, microsecond=0)
    wm = sql("SELECT to_char(watermark AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM report_rollup_state")
    a = hour(frm) if hour(frm) == frm else hour(frm) + timedelta(hours=1)
    b = min(hour(to), datetime.fromisoformat(wm.replace("Z", "+00:00"))) if wm and use_rollup else a
    dirty = sql(f"SELECT string_agg(DISTINCT to_char(slot_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ',') "
                f"FROM report_rollup_dirty WHERE slot_start >= '{iso(a)}' AND slot_start < '{iso(b)}'") if a < b else ""
    pieces = [(frm, a), (b, to)] if a < b else [(frm, to)]
    pieces += [(datetime.fromisoformat(d.replace("Z", "+00:00")), datetime.fromisoformat(d.replace("Z", "+00:00")) + timedelta(hours=1))
               for d in dirty.split(",") if d]
    los = ",".join(iso(p[0]) for p in pieces if p[0] < p[1])
    his = ",".join(iso(p[1]) for p in pieces if p[0] < p[1])
    group = "" if n == 0 else " GROUP BY 1" if n == 1 else " GROUP BY 1, 2"
    comma = ", " if n else ""
    keys = "" if n == 0 else "key" if n == 1 else "slot, campaign_id"
    ra, rb = (a, b) if a < b else (frm, frm)
    return (f"SELECT {keys}{comma}{SUMS} FROM (SELECT {rolled}{comma}{SUMS} FROM report_rollup WHERE dimension = '{dimension}' "
            f"AND slot_start >= '{iso(ra)}' AND slot_start < '{iso(rb)}' AND slot_start <> ALL ('{{{dirty}}}'::timestamptz[]){group} UNION ALL "
            f"SELECT {raw}{comma}{FIGURES} FROM unnest('{{{los}}}'::timestamptz[], '{{{his}}}'::timestamptz[]) AS r(lo, hi) "
            f"JOIN call_sessions ON created_at >= r.lo AND created_at < r.hi{group}) parts{group}")


print("| database time (EXPLAIN ANALYZE, best of 3, one core) | every call ms | rollup ms |\n|---|---|---|")
frm30, to30 = now - timedelta(days=30), now
for name, dim, rolled, raw, n in [("summary 30 days by day/hour", "total", "slot_start AS key", SLOT15 + " AS key", 1),
                                  ("summary 30 days by campaign", "campaign", "key", "campaign_id AS key", 1),
                                  ("summary 30 days by buyer", "buyer", "key", "buyer_id AS key", 1)]:
    before = explain(hybrid(frm30, to30, dim, rolled, raw, n, False), True)
    after = explain(hybrid(frm30, to30, dim, rolled, raw, n), True)
    print(f"| {name} | {before:.1f} | {after:.1f} |", flush=True)
midnight = now.astimezone(timezone(timedelta(hours=-5)))  # New York in winter (EST).replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)
day_ago = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=23)
end = now + timedelta(minutes=1)
dash = [(midnight, end, "total", "", "", 0),
        (day_ago, end, "campaign", "slot_start AS slot, key AS campaign_id", SLOT15 + " AS slot, campaign_id", 2),
        (day_ago, end, "campaign", "key", "campaign_id AS key", 1)]
before = sum(explain(hybrid(f, t, d, r, w, n, False), True) for f, t, d, r, w, n in dash)
after = sum(explain(hybrid(f, t, d, r, w, n), True) for f, t, d, r, w, n in dash)
print(f"| dashboard (its three queries) | {before:.1f} | {after:.1f} |", flush=True)
print("summary plan (30 days by day) from the rollup:")
print(sql("EXPLAIN (ANALYZE, BUFFERS) " + hybrid(frm30, to30, "total", "slot_start AS key", SLOT15 + " AS key", 1), True))

# export: the oldest ~1,000,000 calls, streamed
frm = sql("SELECT min(created_at) FROM call_sessions")
rows = min(1000000, int(sql("SELECT count(*) FROM call_sessions")) - 1)
to = sql(f"SELECT created_at FROM call_sessions ORDER BY created_at OFFSET {rows} LIMIT 1")
frm_iso = q(datetime.fromisoformat(frm.replace(" ", "T")).astimezone(timezone.utc).isoformat())
to_iso = q(datetime.fromisoformat(to.replace(" ", "T")).astimezone(timezone.utc).isoformat())
for fmt in ["csv", "ndjson"]:
    t = time.perf_counter()
    status, size = request("GET", f"/api/calls/export?from={frm_iso}&to={to_iso}&format={fmt}", token=token, sink=True)
    s = time.perf_counter() - t
    print(f"export {fmt}: {rows:,} rows, {size / 1e6:.0f} MB in {s:.1f} s ({rows / s:,.0f} rows/s), status {status}", flush=True)
