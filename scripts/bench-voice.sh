#!/usr/bin/env bash
# Voice webhook benchmark (docs/benchmarks.md): time-to-TwiML of the full path (signature, routing, capacity
# reservation, call row + leg + outbox in one transaction) at a fixed arrival rate, and the same load against a
# server that returns a fixed TwiML document, in one run.
#
# usage: scripts/bench-voice.sh [rate] [warmup-seconds] [measured-seconds]      (defaults 500 30 60)
# HUB_JAVA: the hub's java (default: a JDK 25 under /usr/lib/jvm if there is one, else java); HUB_JAVA_OPTS its options.
# VACUUM_TABLES: what the autovacuum stand-in vacuums. BASELINE=false skips the static server's phase.
# TIMELINE=true prints the hub phase per second (requests over 10 ms, p99, max).
# LATENCY_FILE=path writes each measured hub request's due time and time-to-TwiML (scripts/report-overlap.py reads it).
# BENCH_DB (default dcx_bench) with KEEP_DB=true runs on an existing database instead of a new one, e.g. the 1.7 M
# calls of scripts/bench-reports.sh (ADMIN_PASSWORD: its admin's password), so that one hub answers calls and reports.
# BUYERS: how many buyers share the calls (default 20; BUYERS=1 is one big buyer taking every call).
# needs: JDK 17+, PostgreSQL on localhost:5432 (trust or SPRING_DATASOURCE_* set), ports 8080 and 8099 free.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-500}; WARMUP=${2:-30}; DURATION=${3:-60}
. scripts/bench-hub.sh
echo "hub runs on: $("$HUB_JAVA" -version 2>&1 | head -1)"
DB=${BENCH_DB:-dcx_bench}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-bench-admin-password}
AUTH_TOKEN=bench-twilio-auth-token

./mvnw -q -B -DskipTests package
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
[ "${KEEP_DB:-false}" = true ] || \
  psql -h localhost -U "${SPRING_DATASOURCE_USERNAME:-postgres}" -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"

cleanup() { kill "${HUB_PID:-}" "${STATIC_PID:-}" "${VACUUM_PID:-}" 2>/dev/null || true; }
trap cleanup EXIT

start_bench_hub "$DB" target/bench-hub.log

# The counter rows (buyer_capacity_shards, daily_cap_usage_shards) are updated and the relay's queue (outbox_pending) filled and
# emptied hundreds of times a second. A production PostgreSQL vacuums them with autovacuum; where it is off (as on the
# CI machines), stand in for it, with autovacuum's cost delay: an unthrottled VACUUM every 5 s put bursts of WAL in
# front of the calls' commits, and not vacuuming the queue at all lets the relay's scan walk ever more dead entries.
if [ "$(psql -h localhost -U "${SPRING_DATASOURCE_USERNAME:-postgres}" -d "$DB" -Atc 'SHOW autovacuum')" = off ]; then
  echo "autovacuum is off on this server: vacuuming the hot tables every 5 s during the run"
  (while sleep 5; do PGOPTIONS="-c vacuum_cost_delay=2ms" psql -h localhost -U "${SPRING_DATASOURCE_USERNAME:-postgres}" \
    -d "$DB" -qc "VACUUM ${VACUUM_TABLES:-buyer_capacity_shards, daily_cap_usage_shards, outbox_pending}"; done) &
  VACUUM_PID=$!
fi

java -cp "$CP" io.dcx.hub.bench.VoiceLoadGenerator seed --hub http://localhost:$HUB_PORT --admin-password "$ADMIN_PASSWORD" \
  --buyers "${BUYERS:-20}" --concurrency "${CONCURRENCY:-100000}" --dids 50 --dids-file target/bench-dids.txt \
  --did-offset "$( [ "${KEEP_DB:-false}" = true ] && echo $(( $(date +%s) % 100000 * 50 )) || echo 0)"
# A PostgreSQL that has not yet written WAL at this rate creates (zero-fills and syncs) a new 16 MB segment every few
# seconds under its WAL write lock: a 50 ms stall of every commit each time (at 1,000 calls/s one every ~3 s). A server
# in steady state recycles the segments of the previous checkpoint instead; a checkpoint now, before the warm-up, does
# that here (the full-page images it causes are written in the warm-up, not in the measured window).
psql -h localhost -U "${SPRING_DATASOURCE_USERNAME:-postgres}" -d "$DB" -qc CHECKPOINT
java -cp "$CP" io.dcx.hub.bench.VoiceLoadGenerator static-server --port 8099 > target/bench-static.log 2>&1 &
STATIC_PID=$!
sleep 1

echo "== hub (full path)"
java -Xmx512m -cp "$CP" io.dcx.hub.bench.VoiceLoadGenerator run --label hub --url http://localhost:$HUB_PORT/twilio/voice \
  --public-url http://localhost:$HUB_PORT/twilio/voice --auth-token "$AUTH_TOKEN" --rate "$RATE" --warmup "$WARMUP" \
  --duration "$DURATION" --dids-file target/bench-dids.txt --pids "hub=$HUB_PID" --watch-postgres true \
  --timeline "${TIMELINE:-false}" ${LATENCY_FILE:+--latency-file "$LATENCY_FILE"}
if [ "${BASELINE:-true}" = true ]; then
echo "== static TwiML server (baseline)"
java -Xmx512m -cp "$CP" io.dcx.hub.bench.VoiceLoadGenerator run --label static --url http://localhost:8099/twilio/voice \
  --public-url http://localhost:8099/twilio/voice --auth-token "$AUTH_TOKEN" --rate "$RATE" --warmup "$WARMUP" \
  --duration "$DURATION" --dids-file target/bench-dids.txt --pids "static=$STATIC_PID"
fi
psql -h localhost -U "${SPRING_DATASOURCE_USERNAME:-postgres}" -d "$DB" -Atc \
  "SELECT 'calls recorded: ' || count(*) || ', routed: ' || count(buyer_id) || ', events: ' || (SELECT count(*) FROM outbox) FROM call_sessions"
