#!/usr/bin/env python3
"""CPU work beside the voice benchmark that is not a report (docs/benchmarks.md, issue 21): busy bursts of a fixed
length at a fixed pace, each burst's start and end written as scripts/report-overlap.py reads them. Run it under
`nice -n 19` or `chrt --idle 0` to see what the kernel's priorities do for the calls while a neighbour computes.

usage: cpu-neighbour.py <seconds> <bursts per second> <burst ms> <windows file>
"""
import sys, time

seconds, rate, burst_ms, out = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
end = time.monotonic() + seconds
with open(out, "w") as windows:
    while time.monotonic() < end:
        due = time.perf_counter()
        started = time.time()
        x = 0
        while (time.perf_counter() - due) * 1000 < burst_ms:  # perf_counter reads the clock without a system call
            x += 1
        windows.write(f"{int(started * 1e6)} {int(time.time() * 1e6)} burst\n")
        time.sleep(max(0.0, due + 1 / rate - time.perf_counter()))
