#!/usr/bin/env bash
# Crash safety (docs/reliability.md): a hub on a fresh database with a real single-node Kafka broker, driven by
# io.dcx.hub.reliability.CrashSafetyDriver (signed Twilio voice webhooks, status callbacks, conversions, and a local
# webhook receiver), is killed with SIGKILL mid-load KILLS times and restarted each time; the driver then checks that
# every acknowledged write is in PostgreSQL and every event reached the receiver at least once under one webhook-id.
# Loopback only; bounded (load DURATION s, drain at most DRAIN s); everything it starts is stopped and its database
# dropped at the end, also when it fails or is interrupted. Not part of ./mvnw verify (it takes a few minutes).
#
# usage: scripts/crash-safety.sh [rate calls/s] [duration s] [kills]        (defaults 30 90 2)
# needs: JDK 17+, PostgreSQL on localhost:5432 (trust), ports 8092, 9092 and 9093 free, the Maven cache (offline).
# HUB_JAVA / HUB_JAVA_OPTS: the hub's java and its options; DRAIN: longest wait for deliveries after the load (240).
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-30}; DURATION=${2:-90}; KILLS=${3:-2}; DRAIN=${DRAIN:-240}
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

HUB_PID=""; DRIVER_PID=""
cleanup() {
  [ -n "$DRIVER_PID" ] && kill "$DRIVER_PID" 2>/dev/null || true
  [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null || true
  [ -f target/kafka-broker/pid ] && kill "$(cat target/kafka-broker/pid)" 2>/dev/null || true
  wait 2>/dev/null || true
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT

rm -rf target/kafka-broker/data
src/test/bench/start-kafka.sh
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

# kill number k at k/(KILLS+1) of the load; restart at once
for k in $(seq 1 "$KILLS"); do
  AT=$(( LOAD_T0 + DURATION * k / (KILLS + 1) ))
  while [ "$(date +%s)" -lt "$AT" ]; do sleep 0.2; done
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
