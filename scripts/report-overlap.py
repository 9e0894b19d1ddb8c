#!/usr/bin/env python3
"""Time-to-TwiML of the voice requests sent while a report ran, against the rest of the same run (issue 21,
docs/benchmarks.md). Comparing within one run takes the machine's drift between runs out of the comparison.

usage: report-overlap.py <latency file of bench-voice.sh (LATENCY_FILE)> <windows file of bench-report-loop.py
       (WINDOWS_FILE)> [placebo shift ms, default 500]

A voice request is "during a report" when it was due between a report's start and end as the report client saw them.
The placebo group is the same windows shifted by the given time (into the gaps between paced reports): how far apart
two groups of that size from the same run are when no report is involved.
"""
import bisect, sys


def load_latencies(path):
    due, lat = [], []
    for line in open(path):
        d, l = line.split()
        due.append(int(d))
        lat.append(int(l))
    return due, lat


def load_windows(path, shift_us=0):
    out = []
    for line in open(path):
        a, b = line.split()[:2]
        out.append((int(a) + shift_us, int(b) + shift_us))
    return sorted(out)


def inside(windows, starts, t):
    i = bisect.bisect_right(starts, t) - 1
    return i >= 0 and t <= windows[i][1]


def pct(values, q):
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(q * len(values)))] / 1000


def line(name, values, unanswered):
    values = sorted(values)
    return (f"{name:<22} {len(values):>7}  p50 {pct(values, .50):7.2f}  p90 {pct(values, .90):7.2f}  "
            f"p95 {pct(values, .95):7.2f}  p99 {pct(values, .99):7.2f}  max {values[-1] / 1000 if values else 0:8.2f}"
            f"  unanswered {unanswered}")


def split(due, lat, windows):
    first, last = due[0], due[-1]
    windows = [w for w in windows if w[1] >= first and w[0] <= last]
    starts = [w[0] for w in windows]
    during, rest, lost = [], [], [0, 0]
    for d, l in zip(due, lat):
        hit = inside(windows, starts, d)
        if l < 0:
            lost[0 if hit else 1] += 1
        else:
            (during if hit else rest).append(l)
    return during, rest, lost, windows


def main():
    due, lat = load_latencies(sys.argv[1])
    shift = int(float(sys.argv[3]) * 1000) if len(sys.argv) > 3 else 500_000
    during, rest, lost, windows = split(due, lat, load_windows(sys.argv[2]))
    busy = sum(b - a for a, b in windows) / max(1, due[-1] - due[0])
    print(f"{len(windows)} reports in the measured window, running {100 * busy:.1f} % of it (as the client saw them)")
    print(f"{'voice requests':<22} {'count':>7}  time-to-TwiML ms")
    print(line("during a report", during, lost[0]))
    print(line("no report running", rest, lost[1]))
    p_during, p_rest, _, _ = split(due, lat, load_windows(sys.argv[2], shift))
    print(line(f"placebo (+{shift // 1000} ms)", p_during, 0))
    print(line("  its rest", p_rest, 0))


main()
