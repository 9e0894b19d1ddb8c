#!/usr/bin/env bash
# Calls list, detail, reports, dashboard and export at N call sessions (docs/benchmarks.md, issue 21).
# Creates a bench database (never the test database), starts the hub on it (Flyway builds the schema) with a 512 MB
# heap, loads N synthetic calls with scripts/bench-reports-load.sql (triggers off: the rollup is rebuilt after), waits
# until the report-rollup job has rolled every settled hour up, VACUUM ANALYZE, then scripts/bench-reports.py
# measures; the hub's heap after the export is read with jcmd. The hub is stopped and the database dropped at the end
# (KEEP_DB=1 keeps it for EXPLAIN work; with LOAD_ONLY=1 it stops after the load and the rollup).
#
# usage: scripts/bench-reports.sh [calls] [days]          (defaults 5000000 90)
# needs: target/dcx-hub-0.1.0-SNAPSHOT.jar (./mvnw -o package -DskipTests; BENCH_JAR names another copy), PostgreSQL on localhost:5432 (trust),
#        python3, port 8093 free.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000000}; DAYS=${2:-90}
PORT=${BENCH_PORT:-8093}
DB=${BENCH_DB:-dcx_bench_reports}
PSQL="psql -h localhost -U postgres -X -q"
HUB_JAVA=${HUB_JAVA:-java}
JCMD="$(dirname "$(readlink -f "$(command -v "$HUB_JAVA")")")/jcmd"

cleanup() {
  kill "${HUB_PID:-}" 2>/dev/null || true
  wait 2>/dev/null || true
  [ "${KEEP_DB:-0}" = 1 ] || $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT

$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
$PSQL -d postgres -c "CREATE DATABASE $DB"
SERVER_PORT=$PORT SPRING_DATASOURCE_URL=jdbc:postgresql://localhost:5432/$DB \
  DCX_ADMIN_PASSWORD=bench-admin-pw DCX_JWT_SECRET=bench-jwt-secret-0123456789abcdef-0123456789 \
  DCX_PII_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" DCX_TWILIO_REQUIRED=false \
  DCX_REPORTS_ROLLUP_DELAY_MS=1000 DCX_REPORTS_ROLLUP_PERIOD_MS=5000 \
  "$HUB_JAVA" ${HUB_JAVA_OPTS:--Xmx512m} -jar "${BENCH_JAR:-target/dcx-hub-0.1.0-SNAPSHOT.jar}" > target/bench-reports-hub.log 2>&1 &
HUB_PID=$!
for _ in $(seq 1 300); do
  curl -sf "localhost:$PORT/health" >/dev/null && break
  kill -0 $HUB_PID 2>/dev/null || { echo "the hub did not start; see target/bench-reports-hub.log" >&2; exit 1; }
  sleep 1
done

echo "loading $N calls over $DAYS days"
start=$(date +%s)
# session_replication_role=replica: V39's triggers would mark every hour of the history dirty, one row per call
PGOPTIONS="-c session_replication_role=replica" $PSQL -d "$DB" -v n="$N" -v days="$DAYS" -f scripts/bench-reports-load.sql
echo "loaded in $(( $(date +%s) - start )) s"
# the job may have moved the watermark over the empty table meanwhile: start the rollup again, under its lock
# (ReportRollupStore.LOCK_KEY), and wait until it has caught up with now - 2 h (the default horizon)
$PSQL -d "$DB" -c "BEGIN; SELECT pg_advisory_xact_lock(4918872328559676501); TRUNCATE report_rollup, report_rollup_dirty;
    UPDATE report_rollup_state SET watermark = NULL; COMMIT;" >/dev/null
start=$(date +%s)
until [ "$($PSQL -d "$DB" -A -t -c "SELECT watermark >= date_bin('1 hour', now() - interval '2 hours',
    TIMESTAMPTZ '2000-01-01 00:00:00+00') AND NOT EXISTS (SELECT FROM report_rollup_dirty) FROM report_rollup_state")" = t ]; do
  kill -0 $HUB_PID 2>/dev/null || { echo "the hub stopped; see target/bench-reports-hub.log" >&2; exit 1; }
  sleep 2
done
echo "rollup built in $(( $(date +%s) - start )) s: $($PSQL -d "$DB" -A -t -c "SELECT count(*) || ' rows, '
    || pg_size_pretty(pg_total_relation_size('report_rollup')) FROM report_rollup")"
start=$(date +%s)
$PSQL -d "$DB" -c "VACUUM (ANALYZE) call_sessions, report_rollup"
echo "vacuum analyze in $(( $(date +%s) - start )) s"
$PSQL -d "$DB" -A -t -c "SELECT 'table ' || pg_size_pretty(pg_relation_size('call_sessions')) || ', indexes '
    || pg_size_pretty(pg_indexes_size('call_sessions')) || ', list index '
    || pg_size_pretty(pg_relation_size('call_sessions_list_idx'))"

[ "${LOAD_ONLY:-0}" = 1 ] && exit 0   # LOAD_ONLY=1 KEEP_DB=1: just the loaded database (e.g. for scripts/bench-report-loop.py)
python3 scripts/bench-reports.py "http://localhost:$PORT" bench-admin-pw "postgresql://postgres@localhost:5432/$DB"
echo "hub heap after the exports (-Xmx512m):"
"$JCMD" $HUB_PID GC.heap_info | head -3
