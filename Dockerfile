# syntax=docker/dockerfile:1
# Vigil image: one image, one service per container, chosen by the first argument:
#   docker run vigil:dev proxy | stream-processors | indexer | query-api | demo
# Configuration comes from VIGIL_* environment variables (docs/CONFIG.md) or --config FILE; no secrets are baked in:
# TLS keys, signing keys, API keys and passwords are mounted at run time (compose volumes, Kubernetes Secrets).

# ---- build stage -----------------------------------------------------------------------------------------------
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependency-cache layer: only the POMs, so this layer is rebuilt only when a POM changes, not on every source edit.
COPY pom.xml ./
COPY schemas/pom.xml schemas/
COPY kube-codec/pom.xml kube-codec/
COPY masking/pom.xml masking/
COPY embedded/pom.xml embedded/
COPY ops/pom.xml ops/
COPY kube-sim/pom.xml kube-sim/
COPY llm-sim/pom.xml llm-sim/
COPY proxy/pom.xml proxy/
COPY stream-processors/pom.xml stream-processors/
COPY indexer/pom.xml indexer/
COPY query-api/pom.xml query-api/
COPY app/pom.xml app/
COPY bench/pom.xml bench/
# The modules depend on each other (SNAPSHOTs not yet built): resolve every third-party artifact and plugin, and
# ignore the unresolvable sibling modules (--fail-never); the package step below builds them (the app and what it
# depends on: the bench module is not part of the image).
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q dependency:go-offline -DexcludeGroupIds=dev.vigil --fail-never
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests package -pl app -am \
 && mkdir -p /out/lib \
 && cp app/target/vigil-app-*.jar /out/vigil-app.jar \
 && cp app/target/lib/*.jar /out/lib/

# ---- runtime stage ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:17.0.13_11-jre-jammy AS runtime
# A fixed non-root user (numeric, so Kubernetes' runAsNonRoot can verify it).
RUN groupadd --system --gid 10001 vigil \
 && useradd --system --uid 10001 --gid vigil --home-dir /var/lib/vigil --shell /usr/sbin/nologin vigil \
 && mkdir -p /var/lib/vigil/streams /var/lib/vigil/demo \
 && chown -R 10001:10001 /var/lib/vigil
COPY --from=build /out/ /opt/vigil/
COPY deploy/vigil-entrypoint.sh /opt/vigil/bin/vigil
RUN chmod 0555 /opt/vigil/bin/vigil && chmod -R a-w /opt/vigil
# Read-only root filesystem: the only writable places are /tmp (JVM temp files) and /var/lib/vigil (Kafka Streams
# state, demo files), both declared volumes (an emptyDir / named volume in the manifests).
ENV VIGIL_STREAMS_KAFKA_STATE_DIR=/var/lib/vigil/streams \
    VIGIL_DEMO_DIR=/var/lib/vigil/demo \
    VIGIL_JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:-UsePerfData -Djava.io.tmpdir=/tmp" \
    VIGIL_PROXY_HOST=0.0.0.0
VOLUME ["/tmp", "/var/lib/vigil"]
WORKDIR /var/lib/vigil
USER 10001:10001
# proxy 8443 (HTTPS), query API 8081, management (metrics, health of indexer/stream processors) 9404
EXPOSE 8443 8081 9404
ENTRYPOINT ["/opt/vigil/bin/vigil"]
CMD ["help"]
