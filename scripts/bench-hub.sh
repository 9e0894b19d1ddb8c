# Sourced by the voice benchmarks (bench-voice.sh, bench-voice-counts.sh): the hub they measure.
# HUB_JAVA: the hub's java (default: a JDK 25 under /usr/lib/jvm if there is one, else java); HUB_JAVA_OPTS its options.
# BENCH_JDBC_PARAMS: added to the hub's JDBC URL, e.g. options=-c%20synchronous_commit%3Doff for a diagnostic run that
# takes the WAL flush out of the call's time (never a production setting: docs/benchmarks.md).
# The hub runs on JDK 25 when the machine has one (the project builds for 17): it reaches compiled speed within
# the 30 s warm-up, JDK 17's C2 is still compiling 15-20 s into the measured window (docs/benchmarks.md).
# HUB_PORT: the hub's port (default 8080), so that two counting runs (bench-voice-counts.sh) can share a machine.
HUB_PORT=${HUB_PORT:-8080}
if [ -z "${HUB_JAVA:-}" ]; then
  HUB_JAVA=$(ls -d /usr/lib/jvm/*-25*/bin/java 2>/dev/null | head -1)
  HUB_JAVA=${HUB_JAVA:-java}
fi

# start_bench_hub DATABASE LOGFILE: starts the packaged hub (bench profile) on that database in the background, sets
# HUB_PID and returns once /health answers (at most 120 s). Needs ADMIN_PASSWORD and AUTH_TOKEN.
start_bench_hub() {
  SPRING_PROFILES_ACTIVE=bench \
  SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:5432/$1${BENCH_JDBC_PARAMS:+?$BENCH_JDBC_PARAMS}" \
  DCX_JWT_SECRET="bench-only-jwt-secret-0123456789abcdefghijklmnop" \
  DCX_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  DCX_PII_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" \
  TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 \
  TWILIO_AUTH_TOKEN="$AUTH_TOKEN" \
  SERVER_PORT="$HUB_PORT" \
  DCX_PUBLIC_BASE_URL="http://localhost:$HUB_PORT" \
  LOGGING_LEVEL_ROOT=WARN \
  "$HUB_JAVA" ${HUB_JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=5} -jar target/dcx-hub-*.jar > "$2" 2>&1 &
  HUB_PID=$!
  for _ in $(seq 1 120); do curl -sf "localhost:$HUB_PORT/health" >/dev/null && break; sleep 1; done
}
