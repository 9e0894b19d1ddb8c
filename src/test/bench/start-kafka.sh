#!/usr/bin/env bash
# A single-node KRaft Kafka broker on localhost:9092 from Maven Central's kafka_2.13 jars (no Docker).
# Usage: src/test/bench/start-kafka.sh   (stop with: kill "$(cat target/kafka-broker/pid)")
set -euo pipefail
cd "$(dirname "$0")/../../.."
HOME_DIR=target/kafka-broker
mkdir -p "$HOME_DIR"
if [ ! -d "$HOME_DIR/libs" ]; then
  ./mvnw -q -B -f src/test/bench/kafka-broker.pom.xml dependency:copy-dependencies -DoutputDirectory="$PWD/$HOME_DIR/libs"
fi
cat > "$HOME_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093
advertised.listeners=PLAINTEXT://localhost:9092
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$PWD/$HOME_DIR/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
printf 'log4j.rootLogger=WARN, stdout\nlog4j.appender.stdout=org.apache.log4j.ConsoleAppender\nlog4j.appender.stdout.layout=org.apache.log4j.PatternLayout\nlog4j.appender.stdout.layout.ConversionPattern=[%%d] %%p %%m (%%c)%%n\n' > "$HOME_DIR/log4j.properties"
CP="$HOME_DIR/libs/*"
JOPTS="-Xms512m -Xmx1g -Dlog4j.configuration=file:$PWD/$HOME_DIR/log4j.properties"
if [ ! -f "$HOME_DIR/data/meta.properties" ]; then
  java $JOPTS -cp "$CP" kafka.tools.StorageTool format -t "$(java $JOPTS -cp "$CP" kafka.tools.StorageTool random-uuid)" \
    -c "$HOME_DIR/server.properties"
fi
nohup java $JOPTS -cp "$CP" kafka.Kafka "$HOME_DIR/server.properties" > "$HOME_DIR/kafka.log" 2>&1 &
echo $! > "$HOME_DIR/pid"
for _ in $(seq 1 60); do
  if (exec 3<>/dev/tcp/localhost/9092) 2>/dev/null; then echo "Kafka is up on localhost:9092 (pid $(cat "$HOME_DIR/pid"))"; exit 0; fi
  sleep 1
done
echo "Kafka did not start; see $HOME_DIR/kafka.log" >&2
exit 1
