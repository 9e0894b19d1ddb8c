#!/usr/bin/env bash
# Crash safety (docs/reliability.md): a hub on a fresh database with a real single-node Kafka broker, driven by
# io.dcx.hub.reliability.CrashSafetyDriver (signed Twilio voice webhooks, status callbacks, conversions, and a local
# webhook receiver), is killed with SIGKILL mid-load KILLS times and restarted each time; the driver then checks that
# every acknowledged write is in PostgreSQL and every event reached the receiver at least once under one webhook-id.
# Loopback only; bounded (load DURATION s, drain at most DRAIN s); everything it starts is stopped and its database
# dropped at the end, also when it fails or is interrupted. Not part of ./mvnw verify (it takes a few minutes).
#
# usage: scripts/crash-safety.sh [rate calls/s] [duration s] [kills]        (defaults 30 150 2)
# needs: JDK 17+, PostgreSQL on localhost:5432 (trust), ports 8092, 9092 and 9093 free, the Maven cache (offline).
# HUB_JAVA / HUB_JAVA_OPTS: the hub's java and its options; DRAIN: longest wait for deliveries after the load (240);
# UP: seconds of load on a running hub before each kill (20). A restart takes 15-60 s on a loaded 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-30}; DURATION=${2:-150}; KILLS=${3:-2}; DRAIN=${DRAIN:-240}; UP=${UP:-20}
PORT=8092
DB=dcx_crash_$(date +%s)
PSQL="psql -h localhost -U postgres -X -q"
HUB_JAVA=${HUB_JAVA:-java}
OUT=target/crash-safety
mkdir -p "$OUT"
ADMIN_PASSWORD=crash-admin-password
AUTH_TOKEN=crash-twilio-auth-token
PII_KEY="$(head -c 32 /dev/urandom | base64)"   # one key for every start: rows written before a kill stay readable

./mvnw -o -q -B -DskipTests package
[ -f target/bench.classpath ] || ./mvnw -o -q -B dependency:build-classpath -Dmdep.outputFile=target/bench.classpath

# one run at a time: a second one would share the ports and the broker's directory
exec 9> "$OUT/lock"
flock -n 9 || { echo "another crash-safety run holds $OUT/lock" >&2; exit 1; }
for p in $PORT 9092 9093; do
  if (exec 3<>/dev/tcp/localhost/$p) 2>/dev/null; then echo "port $p is in use" >&2; exit 1; fi
done

HUB_PID=""; DRIVER_PID=""; KAFKA_PID=""
# SIGTERM, then SIGKILL after 20 s: a hub whose Kafka is already gone can take minutes to close its producers
stop() {
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  stop "$DRIVER_PID"
  stop "$HUB_PID"
  stop "$KAFKA_PID"
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf target/kafka-broker/data
src/test/bench/start-kafka.sh
KAFKA_PID=$(cat target/kafka-broker/pid)
$PSQL -d postgres -c "CREATE DATABASE $DB"

start_hub() {
  # the webhook claim lease is shortened from 60 s so that deliveries a killed hub had claimed are taken over within
  # the run; every other setting is the production default
  SERVER_PORT=$PORT SPRING_DATASOURCE_URL=jdbc:postgresql://localhost:5432/$DB \
    DCX_ADMIN_PASSWORD=$ADMIN_PASSWORD DCX_JWT_SECRET=crash-jwt-secret-0123456789abcdef-0123456789 \
    DCX_PII_ENCRYPTION_KEY="$PII_KEY" TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 \
    TWILIO_AUTH_TOKEN=$AUTH_TOKEN DCX_PUBLIC_BASE_URL=http://localhost:$PORT \
    KAFKA_BOOTSTRAP_SERVERS=localhost:9092 DCX_WEBHOOK_CLAIM_LEASE=${CLAIM_LEASE:-25s} LOGGING_LEVEL_ROOT=WARN \
    "$HUB_JAVA" ${HUB_JAVA_OPTS:--Xmx1g} -jar target/dcx-hub-0.1.0-SNAPSHOT.jar >> "$OUT/hub.log" 2>&1 &
  HUB_PID=$!
  local t0=$(date +%s.%N)
  for _ in $(seq 1 180); do
    if curl -sf "localhost:$PORT/health" >/dev/null; then
      awk -v p="$HUB_PID" -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "hub up (pid %s) in %.1f s\n", p, b - a }'
      return 0
    fi
    kill -0 "$HUB_PID" 2>/dev/null || { echo "the hub did not start; see $OUT/hub.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "the hub did not answer /health in 90 s" >&2; exit 1
}

: > "$OUT/hub.log"
start_hub
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.dcx.hub.reliability.CrashSafetyDriver \
  --hub "http://localhost:$PORT" --admin-password "$ADMIN_PASSWORD" --auth-token "$AUTH_TOKEN" \
  --jdbc "jdbc:postgresql://localhost:5432/$DB" --rate "$RATE" --duration "$DURATION" --drain "$DRAIN" \
  > "$OUT/driver.log" 2>&1 &
DRIVER_PID=$!
until grep -q '^load started' "$OUT/driver.log" 2>/dev/null; do
  kill -0 "$DRIVER_PID" 2>/dev/null || { cat "$OUT/driver.log" >&2; exit 1; }
  sleep 0.2
done
LOAD_T0=$(date +%s)

# each kill comes after UP seconds of load on a running hub (the first, and each after a restart); restart at once.
# Kills that would fall after the load are not made.
for k in $(seq 1 "$KILLS"); do
  AT=$(( $(date +%s) + UP ))
  while [ "$(date +%s)" -lt "$AT" ]; do sleep 0.2; done
  if grep -q '^load done' "$OUT/driver.log"; then echo "load ended before kill $k"; break; fi
  echo "kill -9 hub (pid $HUB_PID) at $(( $(date +%s) - LOAD_T0 )) s into the load"
  kill -9 "$HUB_PID"
  wait "$HUB_PID" 2>/dev/null || true
  start_hub
done

set +e
wait "$DRIVER_PID"; STATUS=$?
DRIVER_PID=""
set -e
cat "$OUT/driver.log"
echo "hub errors logged: $(grep -c ' ERROR ' "$OUT/hub.log" || true) (see $OUT/hub.log)"
exit $STATUS
