#!/usr/bin/env python3
"""A report loop beside the voice benchmark (docs/benchmarks.md, issue 21): one client asks for the 30-day summary
(by day, then campaign, buyer, supplier, hour, and the dashboard) back to back for the given seconds and prints how
many it got and their latencies. Run it against a hub on the reports bench database (KEEP_DB=1 scripts/bench-reports.sh)
while scripts/bench-voice.sh runs.

usage: bench-report-loop.py <base url> <admin password> <seconds> [reports per second; default: back to back]
WINDOWS_FILE=path writes each report's start and end (epoch microseconds, as the client saw them) for
scripts/report-overlap.py.
"""
import http.client, json, os, statistics, sys, time, urllib.parse
from datetime import datetime, timedelta, timezone

base, password, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
pace = 1 / float(sys.argv[4]) if len(sys.argv) > 4 else 0
u = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)


def request(method, path, body=None, token=None):
    global conn
    headers = {"Content-Type": "application/json"} if body else {}
    if token:
        headers["Authorization"] = "Bearer " + token
    try:
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        # the server closes a keep-alive connection after its 100th request or an idle timeout: one new connection
        conn.close()
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
    return r.status, r.read()


status, body = request("POST", "/api/auth/token", json.dumps({"username": "admin", "password": password}))
token = json.loads(body)["access_token"]
now = datetime.now(timezone.utc).replace(microsecond=0)
iso = lambda t: t.isoformat().replace("+00:00", "Z")
frm = iso(now - timedelta(days=30))
paths = [f"/api/reports/summary?from={frm}&to={iso(now)}&group_by={g}&tz=America/New_York"
         for g in ("day", "campaign", "buyer", "supplier", "hour")] + ["/api/reports/dashboard?tz=America/New_York"]
times, windows, end, i = [], [], time.monotonic() + seconds, 0
while time.monotonic() < end:
    t = time.perf_counter()
    started = time.time()
    try:
        status, body = request("GET", paths[i % len(paths)], token=token)
    except ConnectionRefusedError:
        print("report loop: the hub stopped", flush=True)
        break
    windows.append((int(started * 1e6), int(time.time() * 1e6), paths[i % len(paths)].split("?")[0]
                    + "?" + paths[i % len(paths)].split("group_by=")[-1].split("&")[0]))
    times.append((time.perf_counter() - t) * 1000)
    if status != 200:
        raise SystemExit(f"{paths[i % len(paths)]}: {status} {body[:300]}")
    i += 1
    if pace:
        time.sleep(max(0.0, t + pace - time.perf_counter()))
if os.environ.get("WINDOWS_FILE"):
    with open(os.environ["WINDOWS_FILE"], "w") as f:
        f.writelines(f"{a} {b} {what}\n" for a, b, what in windows)
times.sort()
print(f"report loop: {len(times)} reports in {seconds:.0f} s, p50 {statistics.median(times):.1f} ms, "
      f"p95 {times[int(0.95 * len(times)) - 1]:.1f} ms, max {times[-1]:.1f} ms", flush=True)
