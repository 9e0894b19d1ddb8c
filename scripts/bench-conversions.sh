#!/usr/bin/env bash
# Conversions → webhooks benchmark (docs/benchmarks.md): Kafka broker, a hub on a fresh database, ConversionLoad
# (two endpoints on a local receiver) at a fixed rate; then the stage breakdown from the database and the CPU used by
# the hub, Kafka and PostgreSQL during the load. Everything it starts is stopped and the database dropped at the end.
#
# usage: scripts/bench-conversions.sh [rate] [seconds]       (defaults 500 30)
# needs: a built jar and test classes (./mvnw -o verify, or package + test-compile), PostgreSQL on localhost:5432
#        (trust), ports 8091, 9092 and 9093 free.  HUB_JAVA_OPTS overrides the hub's JVM options.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-500}; SECONDS_=${2:-30}
PORT=${BENCH_PORT:-8091}
DB=dcx_conv_$(date +%s)
PSQL="psql -h localhost -U postgres -X -q"

[ -f target/bench.classpath ] || ./mvnw -o -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath

cleanup() {
  kill "${HUB_PID:-}" 2>/dev/null || true
  [ -f target/kafka-broker/pid ] && kill "$(cat target/kafka-broker/pid)" 2>/dev/null || true
  wait 2>/dev/null || true
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT

rm -rf target/kafka-broker/data
src/test/bench/start-kafka.sh
KAFKA_PID=$(cat target/kafka-broker/pid)
$PSQL -d postgres -c "CREATE DATABASE $DB"

SERVER_PORT=$PORT SPRING_DATASOURCE_URL=jdbc:postgresql://localhost:5432/$DB \
  DCX_ADMIN_PASSWORD=bench-admin-pw DCX_JWT_SECRET=bench-jwt-secret-0123456789abcdef-0123456789 \
  DCX_PII_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" \
  DCX_TWILIO_REQUIRED=false KAFKA_BOOTSTRAP_SERVERS=localhost:9092 DCX_DB_POOL_SIZE=30 \
  java ${HUB_JAVA_OPTS:--Xmx1g} -jar target/dcx-hub-0.1.0-SNAPSHOT.jar > target/bench-conv-hub.log 2>&1 &
HUB_PID=$!
for _ in $(seq 1 120); do
  curl -sf "localhost:$PORT/health" >/dev/null && break
  kill -0 $HUB_PID 2>/dev/null || { echo "the hub did not start; see target/bench-conv-hub.log" >&2; exit 1; }
  sleep 1
done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pg_ticks() { local t=0; for p in $(pgrep -x postgres); do t=$((t + $(ticks "$p" 2>/dev/null || echo 0))); done; echo $t; }
busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
H0=$(ticks $HUB_PID); K0=$(ticks $KAFKA_PID); P0=$(pg_ticks); B0=$(busy); T0=$(date +%s.%N)

java -cp "target/test-classes:$(cat target/bench.classpath)" io.dcx.hub.bench.ConversionLoad \
  "http://localhost:$PORT" bench-admin-pw "jdbc:postgresql://localhost:5432/$DB" "$RATE" "$SECONDS_" &
LOAD_PID=$!
# PROFILE=out.collapsed ASYNC_PROFILER=.../libasyncProfiler.so: 10 s of hub CPU samples from 8 s into the load
if [ -n "${PROFILE:-}" ]; then
  sleep 8
  jcmd $HUB_PID JVMTI.agent_load "$ASYNC_PROFILER" "\"start,event=cpu,interval=1ms,threads\""
  sleep 10
  jcmd $HUB_PID JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,file=$PROFILE,collapsed\""
fi
wait $LOAD_PID

T1=$(date +%s.%N); HZ=$(getconf CLK_TCK)
awk -v h=$(( $(ticks $HUB_PID) - H0 )) -v k=$(( $(ticks $KAFKA_PID) - K0 )) -v p=$(( $(pg_ticks) - P0 )) \
  -v b=$(( $(busy) - B0 )) -v t0="$T0" -v t1="$T1" -v hz="$HZ" 'BEGIN { s = t1 - t0;
  printf "cores used over the run (%.0f s): hub %.2f, kafka %.2f, postgres %.2f, whole machine %.2f\n",
         s, h/hz/s, k/hz/s, p/hz/s, b/hz/s }'
$PSQL -d "$DB" -At -F ' ' <<'SQL'
SELECT 'relay   p50/p99 ms', round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - created_at))::numeric, 1),
       round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - created_at))::numeric, 1)
  FROM outbox WHERE event_type = 'CONVERSION_RECORDED';
SELECT 'fan-out p50/p99 ms', round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.created_at - o.published_at))::numeric, 1),
       round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM d.created_at - o.published_at))::numeric, 1)
  FROM outbox o JOIN webhook_deliveries d USING (event_id);
SELECT 'attempt p50/p99 ms', round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - created_at))::numeric, 1),
       round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - created_at))::numeric, 1)
  FROM webhook_deliveries;
SELECT 'deliveries by status', string_agg(status || '=' || n, ' ') FROM (SELECT status, count(*) n FROM webhook_deliveries GROUP BY 1) s;
SELECT 'attempt errors', coalesce(string_agg(error || ' x' || n, ', '), 'none') FROM (SELECT error, count(*) n FROM webhook_delivery_attempts WHERE error IS NOT NULL GROUP BY 1) s;
SQL
