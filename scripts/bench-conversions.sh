#!/usr/bin/env bash
# Conversions → webhooks benchmark (docs/benchmarks.md): Kafka broker, a hub on a fresh database, ConversionLoad
# (two endpoints on a local receiver) at a fixed rate; then the stage breakdown from the database and the CPU used by
# the hub, Kafka and PostgreSQL during the load. Everything it starts is stopped and the database dropped at the end.
#
# usage: scripts/bench-conversions.sh [rate] [seconds] [warm-up seconds]      (defaults 500 30 30)
#        The warm-up posts at the same rate to the same endpoints; neither its latencies nor its CPU are counted.
# needs: a built jar and test classes (./mvnw -o verify, or package + test-compile), PostgreSQL on localhost:5432
#        (trust), ports 8091, 9092 and 9093 free.  HUB_JAVA: the hub's java (default: a JDK 25 under /usr/lib/jvm if
#        there is one, as in bench-voice.sh); HUB_JAVA_OPTS overrides the hub's JVM options.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-500}; SECONDS_=${2:-30}; WARMUP=${3:-30}
PORT=${BENCH_PORT:-8091}
DB=dcx_conv_$(date +%s)
PSQL="psql -h localhost -U postgres -X -q"
if [ -z "${HUB_JAVA:-}" ]; then
  HUB_JAVA=$(ls -d /usr/lib/jvm/*-25*/bin/java 2>/dev/null | head -1)
  HUB_JAVA=${HUB_JAVA:-java}
fi
echo "hub runs on: $("$HUB_JAVA" -version 2>&1 | head -1)"
JCMD="$(dirname "$(readlink -f "$(command -v "$HUB_JAVA")")")/jcmd"

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
  "$HUB_JAVA" ${HUB_JAVA_OPTS:--Xmx1g} -jar target/dcx-hub-0.1.0-SNAPSHOT.jar > target/bench-conv-hub.log 2>&1 &
HUB_PID=$!
for _ in $(seq 1 120); do
  curl -sf "localhost:$PORT/health" >/dev/null && break
  kill -0 $HUB_PID 2>/dev/null || { echo "the hub did not start; see target/bench-conv-hub.log" >&2; exit 1; }
  sleep 1
done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pg_ticks() { local t=0; for p in $(pgrep -x postgres); do t=$((t + $(ticks "$p" 2>/dev/null || echo 0))); done; echo $t; }
busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
rm -f target/bench-conv-load.err   # the wait below reads it: never a previous run's
java -cp "target/test-classes:$(cat target/bench.classpath)" io.dcx.hub.bench.ConversionLoad \
  "http://localhost:$PORT" bench-admin-pw "jdbc:postgresql://localhost:5432/$DB" "$RATE" "$SECONDS_" "$WARMUP" \
  2> target/bench-conv-load.err &
LOAD_PID=$!
until grep -q '^warm-up done' target/bench-conv-load.err 2>/dev/null; do
  kill -0 $LOAD_PID 2>/dev/null || { cat target/bench-conv-load.err >&2; exit 1; }
  sleep 0.2
done
H0=$(ticks $HUB_PID); K0=$(ticks $KAFKA_PID); P0=$(pg_ticks); B0=$(busy); T0=$(date +%s.%N)
# PROFILE=out.collapsed ASYNC_PROFILER=.../libasyncProfiler.so: 10 s of hub CPU samples from 8 s into the measured load
if [ -n "${PROFILE:-}" ]; then
  sleep 8
  "$JCMD" $HUB_PID JVMTI.agent_load "$ASYNC_PROFILER" "\"start,event=cpu,interval=1ms,threads\""
  sleep 10
  "$JCMD" $HUB_PID JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,file=$PROFILE,collapsed\""
fi
until grep -q '^posting done' target/bench-conv-load.err 2>/dev/null; do
  kill -0 $LOAD_PID 2>/dev/null || break
  sleep 0.2
done
# CPU over the measured posting window only (the drain after it is mostly idle)
echo "posting window: $(date -d @${T0%.*} +%T) to $(date +%T)"
H1=$(ticks $HUB_PID); K1=$(ticks $KAFKA_PID); P1=$(pg_ticks); B1=$(busy); T1=$(date +%s.%N); HZ=$(getconf CLK_TCK)
wait $LOAD_PID

awk -v h=$(( H1 - H0 )) -v k=$(( K1 - K0 )) -v p=$(( P1 - P0 )) -v b=$(( B1 - B0 )) -v t0="$T0" -v t1="$T1" \
  -v hz="$HZ" -v rate="$RATE" 'BEGIN { s = t1 - t0;
  printf "cores used while posting (%.0f s): hub %.2f, kafka %.2f, postgres %.2f, whole machine %.2f\n",
         s, h/hz/s, k/hz/s, p/hz/s, b/hz/s;
  printf "CPU per posted conversion: hub %.2f ms, kafka %.2f ms, postgres %.2f ms, whole machine %.2f ms\n",
         1000*h/hz/s/rate, 1000*k/hz/s/rate, 1000*p/hz/s/rate, 1000*b/hz/s/rate }'
# the stages of the measured conversions only (the warm-up's rows are older than T0)
$PSQL -d "$DB" -At -F ' ' -v t0="$T0" <<'SQL'
-- the outbox row is not changed when it is published (V16), so relay and fan-out are one stage here
SELECT 'relay + fan-out p50/p99 ms', round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.created_at - o.created_at))::numeric, 1),
       round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM d.created_at - o.created_at))::numeric, 1)
  FROM outbox o JOIN webhook_deliveries d USING (event_id) WHERE o.created_at >= to_timestamp(:t0);
SELECT 'attempt p50/p99 ms', round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - created_at))::numeric, 1),
       round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - created_at))::numeric, 1)
  FROM webhook_deliveries WHERE created_at >= to_timestamp(:t0);
SELECT 'deliveries by status', string_agg(status || '=' || n, ' ') FROM (SELECT status, count(*) n FROM webhook_deliveries GROUP BY 1) s;
SELECT 'attempt errors', coalesce(string_agg(error || ' x' || n, ', '), 'none') FROM (SELECT error, count(*) n FROM webhook_delivery_attempts WHERE error IS NOT NULL GROUP BY 1) s;
SQL
