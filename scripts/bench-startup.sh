#!/usr/bin/env bash
# Start-up benchmark (docs/benchmarks.md, issue 24): seconds from `java` to /health = UP and the CPU seconds the
# JVM used by then, on an existing (already migrated) database, for the packaged jar as shipped (nested fat jar),
# the extracted layout (`java -Djarmode=tools -jar … extract`, what the Docker image runs), and the extracted layout
# with a JDK 25 AOT cache (JEP 483/514) made by one training run.
#
# usage: scripts/bench-startup.sh [runs]          (default 3)
# JAVA17 / JAVA25: the two runtimes (default: java, and a JDK 25 under /usr/lib/jvm). needs: PostgreSQL on
# localhost:5432 (trust), port 8181 free, target/dcx-hub-0.1.0-SNAPSHOT.jar (./mvnw -o package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
JAVA17=${JAVA17:-java}
JAVA25=${JAVA25:-$(ls -d /usr/lib/jvm/*-25*/bin/java 2>/dev/null | head -1)}
DB=dcx_bench_startup
WORK=target/bench-startup
export SPRING_PROFILES_ACTIVE=dev SPRING_DATASOURCE_URL=jdbc:postgresql://localhost:5432/$DB
rm -rf "$WORK" && mkdir -p "$WORK"
"$JAVA17" -Djarmode=tools -jar target/dcx-hub-0.1.0-SNAPSHOT.jar extract --destination "$WORK/app" > /dev/null
psql -h localhost -U postgres -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"

once() { # label java jar [jvm options...]
  local label=$1 java=$2 jar=$3; shift 3
  local start end pid cpu
  start=$(date +%s.%N)
  "$java" "$@" -jar "$jar" --server.port=8181 > "$WORK/$label.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    curl -sf localhost:8181/health 2>/dev/null | grep -q UP && break
    kill -0 $pid 2>/dev/null || { echo "$label: the hub stopped; see $WORK/$label.log" >&2; return 1; }
    sleep 0.05
  done
  end=$(date +%s.%N)
  cpu=$(awk '{print ($14 + $15) / 100}' /proc/$pid/stat)
  kill $pid; wait $pid 2>/dev/null || true
  printf '%-28s %6.2f s to UP, %5.1f CPU s\n' "$label" "$(echo "$end - $start" | bc)" "$cpu"
}

once "first start (Flyway builds)" "$JAVA17" "$WORK/app/dcx-hub-0.1.0-SNAPSHOT.jar"
if [ -n "$JAVA25" ]; then
  "$JAVA25" -XX:AOTCacheOutput="$WORK/app.aot" -Dspring.context.exit=onRefresh \
    -jar "$WORK/app/dcx-hub-0.1.0-SNAPSHOT.jar" --server.port=8181 > "$WORK/aot-training.log" 2>&1
fi
for i in $(seq 1 "$RUNS"); do
  once "fat jar, JDK 17" "$JAVA17" target/dcx-hub-0.1.0-SNAPSHOT.jar
  once "extracted, JDK 17" "$JAVA17" "$WORK/app/dcx-hub-0.1.0-SNAPSHOT.jar"
  if [ -n "$JAVA25" ]; then
    once "extracted, JDK 25" "$JAVA25" "$WORK/app/dcx-hub-0.1.0-SNAPSHOT.jar"
    once "extracted, JDK 25, AOT cache" "$JAVA25" "$WORK/app/dcx-hub-0.1.0-SNAPSHOT.jar" -XX:AOTCache="$WORK/app.aot"
  fi
done
psql -h localhost -U postgres -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
