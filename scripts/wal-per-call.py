#!/usr/bin/env python3
"""WAL of one database between two LSNs, per call (scripts/bench-voice-counts.sh).

PostgreSQL's own counters (pg_stat_wal, pg_current_wal_lsn) are for the whole server, which other databases share;
pg_waldump names each record's relation, so this keeps only the records of the bench database's relations (and the
commit records of their transactions) and adds them up per relation: records, bytes without full-page images (the
same every run) and with them (depend on when the last checkpoint was), and index entries (B-tree leaf inserts).

usage: wal-per-call.py PG_WAL_DIR START_LSN END_LSN DB_OID CALLS RELMAP_FILE
RELMAP_FILE: lines "filenode|relname|relkind" of the database's pg_class.
"""
import collections
import re
import subprocess
import sys

wal_dir, start, end, db_oid, calls, relmap_file = sys.argv[1:7]
calls = int(calls)
names = {}
for line in open(relmap_file):
    parts = line.rstrip("\n").split("|")
    if len(parts) == 3 and parts[0]:
        names[parts[0]] = (parts[1], parts[2])

dump = subprocess.run(["pg_waldump", "-p", wal_dir, "-s", start, "-e", end], capture_output=True, text=True)
line_re = re.compile(r"rmgr: (\S+)\s+len \(rec/tot\):\s+(\d+)/\s*(\d+), tx:\s+(\d+), .*?desc: (\S+)(.*)")
rel_re = re.compile(r"rel \d+/(\d+)/(\d+)")
per_rel = collections.defaultdict(lambda: [0, 0, 0, 0])  # records, rec bytes, total bytes, index leaf inserts
xids = set()
kinds = collections.Counter()
commits = []
for line in dump.stdout.splitlines():
    m = line_re.search(line)
    if not m:
        continue
    rmgr, rec, tot, xid, desc, rest = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4), m.group(5), m.group(6)
    if rmgr == "Transaction":
        commits.append((xid, rec, tot))
        continue
    r = rel_re.search(rest)
    if not r or r.group(1) != db_oid:
        continue
    name = names.get(r.group(2), ("filenode " + r.group(2), "?"))[0]
    s = per_rel[name]
    s[0] += 1
    s[1] += rec
    s[2] += tot
    if rmgr == "Btree" and desc.split()[0] in ("INSERT_LEAF", "INSERT_POST", "SPLIT_L", "SPLIT_R"):
        s[3] += 1
    kinds[(name, rmgr, desc)] += 1
    if xid != "0":
        xids.add(xid)
tx = [c for c in commits if c[0] in xids]
per_rel["(commit records)"] = [len(tx), sum(c[1] for c in tx), sum(c[2] for c in tx), 0]

print(f"{'relation':42} {'records':>8} {'bytes':>8} {'+FPI':>8} {'index entries':>13}   (per call, {calls} calls)")
totals = [0, 0, 0, 0]
for name, s in sorted(per_rel.items(), key=lambda kv: -kv[1][1]):
    print(f"{name:42} {s[0] / calls:8.2f} {s[1] / calls:8.0f} {s[2] / calls:8.0f} {s[3] / calls:13.2f}")
    totals = [a + b for a, b in zip(totals, s)]
print(f"{'TOTAL':42} {totals[0] / calls:8.2f} {totals[1] / calls:8.0f} {totals[2] / calls:8.0f} {totals[3] / calls:13.2f}")
print("records by kind (per call):")
for (name, rmgr, desc), n in sorted(kinds.items(), key=lambda kv: -kv[1]):
    if n / calls >= 0.01:
        print(f"  {name:40} {rmgr:12} {desc:16} {n / calls:6.2f}")
print(f"transactions committed: {len(tx) / calls:.2f} per call")
if dump.returncode != 0:
    print("pg_waldump: " + dump.stderr.strip().splitlines()[-1], file=sys.stderr)
