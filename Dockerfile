# DCX Hub container image.
#
#   docker build -t dcx-hub .
#   docker run -p 8080:8080 -e JAVA_OPTS="-Xss512k" dcx-hub
#
# Stage 1 builds the Spring Boot jar with the project's Maven wrapper on a Maven +
# Temurin JDK image and extracts it (jar + lib/): classes load from plain jars
# about a third faster than from the nested fat jar (docs/benchmarks.md, start-up).
# Stage 2 runs it on a Temurin 25 JRE as a non-root user. The sources compile at
# Java 17 (pom.xml); JDK 25 is the runtime the benchmarks recommend: it reaches
# compiled speed within the voice benchmark's warm-up where 17 is still compiling,
# and it reads an AOT cache (JEP 483/514) when one is given (see docs/operations.md).

############################ build ############################
FROM maven:3.9.11-eclipse-temurin-21 AS build

# The official maven image sets MAVEN_CONFIG=/root/.m2; older mvnw scripts pass
# it to Maven as a goal ("Unknown lifecycle phase /root/.m2"). Clear it so any
# wrapper version works. (./mvnw fetches the Maven version pinned in
# .mvn/wrapper/maven-wrapper.properties; the image's own mvn is not used.)
ENV MAVEN_CONFIG=""

WORKDIR /workspace

# Wrapper and POM first, so the dependency download is a cached layer that only
# changes when pom.xml or the wrapper changes.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN chmod +x mvnw \
 && (./mvnw -B -q dependency:go-offline || echo "go-offline incomplete; package will fetch the rest")

COPY src/ src/
# the JSON Schemas and CSV layouts are packaged into the jar (pom.xml resources)
COPY dataformats/ dataformats/
RUN ./mvnw -B -DskipTests package \
 && java -Djarmode=tools -jar target/dcx-hub-*.jar extract --destination /workspace/app \
 && mv /workspace/app/dcx-hub-*.jar /workspace/app/app.jar

############################ run ############################
FROM eclipse-temurin:25-jre-noble

# curl only for the HEALTHCHECK below.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 dcx \
 && useradd --system --uid 10001 --gid dcx --home-dir /app --shell /usr/sbin/nologin dcx

WORKDIR /app

# The jar and the file-based parts of the hub are owned by root and read-only for
# the runtime user; only /app/data (local storage backend, scratch) is writable.
COPY --from=build /workspace/app/ /app/
COPY routes/ /app/routes/
COPY dataformats/ /app/dataformats/
COPY config/telephony-rates.yaml /app/config/telephony-rates.yaml
RUN mkdir -p /app/data && chown dcx:dcx /app/data

USER dcx:dcx

# Extra JVM flags from the environment (docker run -e / compose). Flags given in
# JAVA_OPTS come after the defaults below, so they win.
ENV JAVA_OPTS=""

EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS -o /dev/null http://localhost:8080/health || exit 1

# exec: java becomes PID 1 and receives SIGTERM for a graceful shutdown.
ENTRYPOINT ["sh", "-c", "exec java -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError $JAVA_OPTS -jar /app/app.jar \"$@\"", "dcx-hub"]
