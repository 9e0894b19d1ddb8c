#!/usr/bin/env bash
# Deterministic cost of a routed inbound call (docs/benchmarks.md, issue 24): what the hub and PostgreSQL do per call,
# counted instead of timed, so that a busy machine gives the same figures as a quiet one. Drives a warm-up, then
# RATE*SECONDS inbound calls through /twilio/voice (the voice benchmark's generator and seed), and prints per call:
#   - SQL statements and round trips, by statement (the server log with log_min_duration_statement=0 on this database),
#   - WAL records, bytes and index entries per relation (pg_waldump, only this database's relations: the server's
#     own counters include every other database on the machine),
#   - rows inserted / updated / HOT-updated / deleted per table (pg_stat_user_tables),
#   - bytes the hub allocated (all threads, and Tomcat's request threads) and its CPU time (the one timed figure: noisy).
#
# usage: scripts/bench-voice-counts.sh [rate] [seconds] [warm-up seconds]     (defaults 200 20 20)
# BUYERS (default 20), HUB_JAVA, HUB_JAVA_OPTS, HUB_PORT as for scripts/bench-voice.sh; SKIP_BUILD=true reuses target/;
# BENCH_DB (default dcx_bench_counts) and HUB_PORT let two counting runs share a machine.
# EXISTING_DB=true counts on BENCH_DB as it is (e.g. the 1.7 M calls of scripts/bench-reports.sh: ADMIN_PASSWORD=bench-admin-pw)
# instead of a new database, where the indexes are production-sized; CHECKPOINT=true starts the measured window with a
# checkpoint, so that its full-page images are those of the first writes to each page after one.
# needs: what bench-voice.sh needs, plus pg_waldump and read access to the server's pg_wal and log (run as root or
# postgres on the database's machine).
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-200}; SECONDS_MEASURED=${2:-20}; WARMUP=${3:-20}
PGUSER=${SPRING_DATASOURCE_USERNAME:-postgres}
DB=${BENCH_DB:-dcx_bench_counts}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-bench-admin-password}
AUTH_TOKEN=bench-twilio-auth-token
PSQL="psql -h localhost -U $PGUSER -v ON_ERROR_STOP=1 -At"
. scripts/bench-hub.sh
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
export PATH="$PATH:$PG_BIN"
WAL_DIR="$($PSQL -d postgres -c 'SHOW data_directory')/pg_wal"
PG_LOG=${PG_LOG:-$(ls /var/log/postgresql/postgresql-*-main.log | sort -V | tail -1)}

if [ "${SKIP_BUILD:-false}" != true ]; then
  ./mvnw -q -B -DskipTests package
  ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
fi
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"

if [ "${EXISTING_DB:-false}" != true ]; then
  $PSQL -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
  $PSQL -d postgres -qc "CREATE DATABASE $DB"
fi
# every statement of this database's sessions goes to the server log (its lines carry the database name)
$PSQL -d postgres -qc "ALTER DATABASE $DB SET log_min_duration_statement = 0"
cleanup() {
  kill "${HUB_PID:-}" 2>/dev/null || true; wait "${HUB_PID:-}" 2>/dev/null || true
  $PSQL -d postgres -qc "SELECT pg_drop_replication_slot('$DB') FROM pg_replication_slots WHERE slot_name = '$DB'" >/dev/null || true
  $PSQL -d postgres -qc "ALTER DATABASE $DB RESET log_min_duration_statement" >/dev/null || true
  [ "${KEEP_DB:-false}" = true ] || [ "${EXISTING_DB:-false}" = true ] || $PSQL -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT

start_bench_hub "$DB" target/bench-counts-hub.log
java -cp "$CP" io.dcx.hub.bench.VoiceLoadGenerator seed --hub http://localhost:$HUB_PORT --admin-password "$ADMIN_PASSWORD" \
  --buyers "${BUYERS:-20}" --concurrency 100000 --dids 50 --dids-file target/bench-dids.txt \
  --did-offset "$( [ "${EXISTING_DB:-false}" = true ] && echo $(( $(date +%s) % 100000 * 50 )) || echo 0)"

drive() { # rate warm-up measured
  java -Xmx512m -cp "$CP" io.dcx.hub.bench.VoiceLoadGenerator run --label "$4" --url http://localhost:$HUB_PORT/twilio/voice \
    --public-url http://localhost:$HUB_PORT/twilio/voice --auth-token "$AUTH_TOKEN" --rate "$1" --warmup "$2" \
    --duration "$3" --dids-file target/bench-dids.txt | grep -E 'requests|time-to-TwiML'
}
snapshot() {
  # the relay has published every event and their consumers are done (the queue empty, then a moment more)
  for _ in $(seq 1 120); do [ "$($PSQL -d $DB -c "SELECT count(*) FROM outbox_pending")" = 0 ] && break; sleep 1; done
  sleep 11 # backends flush their table statistics when idle, at least every 10 s
  LSN=$($PSQL -d $DB -c "SELECT pg_current_wal_lsn()")
  CALLS=$($PSQL -d $DB -c "SELECT count(*) FROM call_sessions")
  LOG_BYTES=$(stat -c %s "$PG_LOG")
  JVM=$(java scripts/JvmCounters.java "$HUB_PID")
  $PSQL -d $DB -F' ' -c "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables
                         WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY relname" > "target/bench-counts-$1.tables"
  $PSQL -d postgres -c "SELECT xact_commit FROM pg_stat_database WHERE datname = '$DB'" > "target/bench-counts-$1.xacts"
}

echo "== warm-up: $((RATE * WARMUP)) calls"
drive "$RATE" 1 "$WARMUP" warmup
# keeps the measured window's WAL on disk until pg_waldump has read it (other databases' writes recycle segments)
$PSQL -d postgres -qc "SELECT pg_create_physical_replication_slot('$DB', true)" >/dev/null
[ "${CHECKPOINT:-false}" = true ] && $PSQL -d postgres -qc CHECKPOINT
snapshot before
read -r LSN0 CALLS0 LOG0 JVM0 <<< "$LSN $CALLS $LOG_BYTES $(echo "$JVM" | tr ' ' ',')"
echo "== measured: $((RATE * SECONDS_MEASURED)) calls"
drive "$RATE" 1 "$SECONDS_MEASURED" measured
snapshot after
N=$((CALLS - CALLS0))
echo "== per call ($N calls recorded in the measured window; hub on $("$HUB_JAVA" -version 2>&1 | head -1))"

echo "-- SQL statements (server log: executes of this database's sessions)"
{ tail -c +"$((LOG0 + 1))" "$PG_LOG" | head -c "$((LOG_BYTES - LOG0))" > target/bench-counts.pglog; } || true
grep -a "@$DB LOG:  duration: .* execute " target/bench-counts.pglog \
  | sed -E 's/.* execute [^:]*: *//' | cut -c1-90 | sort | uniq -c | sort -rn \
  | awk -v n="$N" '{ c = $1; $1 = ""; total += c; if (c / n >= 0.005) printf "  %7.3f %s\n", c / n, $0 }
                    END { printf "  %7.3f statements in all (BEGIN travels with the next statement; COMMIT is its own round trip)\n", total / n }'

echo "-- rows per table (pg_stat_user_tables: inserted, updated, of which HOT, deleted)"
join -a2 "target/bench-counts-before.tables" "target/bench-counts-after.tables" | awk -v n="$N" '
  NF == 5 { $6 = $2; $7 = $3; $8 = $4; $9 = $5; $2 = $3 = $4 = $5 = 0 }
  { ins = ($6 - $2) / n; upd = ($7 - $3) / n; hot = ($8 - $4) / n; del = ($9 - $5) / n
    if (ins + upd + del >= 0.005) printf "  %-32s ins %6.3f  upd %6.3f  hot %6.3f  del %6.3f\n", $1, ins, upd, hot, del }'
echo "  transactions committed: $(awk -v n="$N" 'NR==FNR { a = $1; next } { printf "%.3f", ($1 - a) / n }' \
  target/bench-counts-before.xacts target/bench-counts-after.xacts) per call"

echo "-- WAL (pg_waldump, this database only)"
$PSQL -d $DB -c "SELECT pg_relation_filenode(oid), relname, relkind FROM pg_class WHERE pg_relation_filenode(oid) IS NOT NULL" \
  > target/bench-counts.relmap
python3 scripts/wal-per-call.py "$WAL_DIR" "$LSN0" "$LSN" "$($PSQL -d postgres -c "SELECT oid FROM pg_database WHERE datname = '$DB'")" \
  "$N" target/bench-counts.relmap

echo "-- hub JVM"
echo "$JVM0 $JVM" | tr ',' ' ' | awk -v n="$N" '{ printf "  allocated %.1f KB per call (all threads), CPU %.3f ms per call (timed: noisy)\n",
  ($4 - $1) / n / 1024, ($6 - $3) / n / 1e6 }'
