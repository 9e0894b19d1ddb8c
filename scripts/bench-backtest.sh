#!/usr/bin/env bash
# Routing backtest benchmark (docs/benchmarks.md#routing-backtest): a hub on a fresh database, a campaign with three
# buyers, N recorded inbound calls inserted in one statement, then POST /api/routing/backtest over them twice
# (unchanged configuration, then one offer paused) with the wall time and the hub's peak heap. Everything it starts is
# stopped and the database dropped at the end.
#
# usage: scripts/bench-backtest.sh [calls]      (default 1000000)
# needs: a built jar (./mvnw -o package), PostgreSQL on localhost:5432 (trust), port 8092 free. HUB_JAVA: the hub's
#        java (default: a JDK 25 under /usr/lib/jvm if there is one); HUB_JAVA_OPTS overrides -Xmx512m.
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${1:-1000000}
PORT=${BENCH_PORT:-8092}
DB=dcx_backtest_$(date +%s)
PSQL="psql -h localhost -U postgres -X -q -v ON_ERROR_STOP=1"
if [ -z "${HUB_JAVA:-}" ]; then
  HUB_JAVA=$(ls -d /usr/lib/jvm/*-25*/bin/java 2>/dev/null | head -1)
  HUB_JAVA=${HUB_JAVA:-java}
fi
cleanup() {
  kill "${HUB_PID:-}" 2>/dev/null || true
  wait 2>/dev/null || true
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT
$PSQL -d postgres -c "CREATE DATABASE $DB"

SERVER_PORT=$PORT SPRING_DATASOURCE_URL=jdbc:postgresql://localhost:5432/$DB \
  DCX_ADMIN_PASSWORD=bench-admin-pw DCX_JWT_SECRET=bench-jwt-secret-0123456789abcdef-0123456789 \
  DCX_PII_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" DCX_TWILIO_REQUIRED=false \
  DCX_RECONCILIATION_ENABLED=false \
  "$HUB_JAVA" ${HUB_JAVA_OPTS:--Xmx512m} -jar target/dcx-hub-0.1.0-SNAPSHOT.jar > target/bench-backtest-hub.log 2>&1 &
HUB_PID=$!
for _ in $(seq 1 180); do
  curl -sf "localhost:$PORT/health" >/dev/null && break
  kill -0 $HUB_PID 2>/dev/null || { echo "the hub did not start; see target/bench-backtest-hub.log" >&2; exit 1; }
  sleep 1
done

H="localhost:$PORT"
TOKEN=$(curl -sf "$H/api/auth/token" -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"bench-admin-pw"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
api() { curl -sf "$H$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$2"; }
id() { sed 's/.*"id":"\([^"]*\)".*/\1/'; }
SUPPLIER=$(api /api/suppliers '{"name":"Bench pub","type":"EXTERNAL_PUBLISHER"}' | id)
CAMPAIGN=$(api /api/campaigns "{\"name\":\"Bench\",\"vertical\":\"SSDI\",\"supplier_id\":\"$SUPPLIER\"}" | id)
OFFERS=(); BUYERS=()
for i in 1 2 3; do
  B=$(api /api/buyers "{\"name\":\"Bench buyer $i\",\"endpoint_value\":\"+1555000100$i\",\"concurrency_limit\":1000}" | id)
  O=$(api /api/offers "{\"campaign_id\":\"$CAMPAIGN\",\"buyer_id\":\"$B\",\"payout_cents\":$((4000 + i * 500)),\"buffer_seconds\":60,\"priority\":$i}" | id)
  BUYERS+=("$B"); OFFERS+=("$O")
done

# N calls over 30 days before now: a tenth unrouted, the rest spread over the three offers, a third below the buffer
T0=$(date +%s.%N)
$PSQL -d "$DB" <<SQL
INSERT INTO call_sessions (public_id, campaign_id, supplier_id, buyer_id, offer_id, status, direction, created_at,
    duration_seconds, billable_duration_seconds, revenue_estimated_cents, telephony_cost_cents, provider_payload)
SELECT 'call_bt_' || g, '$CAMPAIGN', '$SUPPLIER',
       (ARRAY['${BUYERS[0]}','${BUYERS[1]}','${BUYERS[2]}']::uuid[])[1 + g % 3] , 
       (ARRAY['${OFFERS[0]}','${OFFERS[1]}','${OFFERS[2]}']::uuid[])[1 + g % 3],
       'COMPLETED', 'INBOUND', now() - interval '30 days' + (g * interval '30 days' / $CALLS),
       150, CASE WHEN g % 3 = 0 THEN 30 ELSE 140 END, CASE WHEN g % 3 = 0 THEN 0 ELSE 4500 END, 210,
       '{"FromState":"NY"}'::jsonb
FROM generate_series(1, $CALLS) g;
UPDATE call_sessions SET buyer_id = NULL, offer_id = NULL, revenue_estimated_cents = 0, billable_duration_seconds = 0
WHERE campaign_id = '$CAMPAIGN' AND public_id LIKE 'call_bt_%0';
VACUUM ANALYZE call_sessions;
SQL
echo "inserted $CALLS calls in $(echo "$(date +%s.%N) - $T0" | bc) s"

FROM=$(date -u -d '31 days ago' +%Y-%m-%dT%H:%M:%SZ); TO=$(date -u -d '1 minute' +%Y-%m-%dT%H:%M:%SZ)
run() {
  local t0; t0=$(date +%s.%N)
  api /api/routing/backtest "{\"from\":\"$FROM\",\"to\":\"$TO\",\"campaign_id\":\"$CAMPAIGN\"$1}" > target/bench-backtest.json
  echo "$2: $(echo "$(date +%s.%N) - $t0" | bc) s wall; hub: $(sed 's/.*"elapsed_ms":\([0-9]*\).*/\1/' target/bench-backtest.json) ms;" \
    "calls $(sed 's/.*"calls":\([0-9]*\),"calls_moved":\([0-9]*\).*/\1, moved \2/' target/bench-backtest.json)"
}
run "" "unchanged (cold)"
run "" "unchanged"
run ",\"offers\":[{\"offer_id\":\"${OFFERS[0]}\",\"active\":false}]" "offer 1 paused"
echo "hub peak RSS: $(awk '/VmHWM/{print $2, $3}' /proc/$HUB_PID/status)"
