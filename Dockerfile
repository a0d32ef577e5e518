# syntax=docker/dockerfile:1
# chainrule as a container image.
#   docker build -t chainrule:0.1.0 .      docker run --rm -p 8080:8080 chainrule:0.1.0
# Settings are environment variables (docs/configuration.md), e.g. -e CHAINRULE_LIMITS_MAX_LAYERS=16.
# No Docker engine runs in CI: scripts/run-layered.sh replays the runtime stage below outside Docker (its COPY,
# java RUN, HEALTHCHECK and ENTRYPOINT lines), so keep those paths relative to WORKDIR, one instruction a line.

# ---- build: the Maven wrapper on a JDK ---------------------------------------------------------------------------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build
# the wrapper and the dependencies first, so a source change does not download them again
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:go-offline
COPY openapi.yaml ./
COPY src/ src/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests package && cp target/chainrule-*.jar app.jar
# Spring Boot's layered jar, unpacked: dependencies, loader, snapshots and the application in their own image layers.
# Without --launcher the application is a plain app.jar over lib/*.jar, which class data sharing (CDS) needs.
RUN java -Djarmode=tools -jar app.jar extract --layers --destination extracted --application-filename app.jar

# ---- runtime: a JRE, a non-root user ------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre AS runtime
# curl for the HEALTHCHECK; a system user to run as
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 chainrule \
 && useradd --system --uid 10001 --gid chainrule --no-create-home --shell /usr/sbin/nologin chainrule
WORKDIR /app
# least-changing first: a new build of the service only replaces the last layer
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
# CDS training run: start the context, exit once it is refreshed, archive the classes loaded (docs/startup.md)
RUN java -XX:ArchiveClassesAtExit=app.jsa -Dspring.context.exit=onRefresh -jar app.jar
USER chainrule
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD curl -fsS "http://127.0.0.1:${PORT:-8080}/actuator/health/readiness" || exit 1
# heap from the container's memory limit; on an OutOfMemoryError the JVM exits at once (a thread killed by it, Tomcat's
# acceptor say, would otherwise leave a process that listens and never answers) and the orchestrator restarts it;
# JAVA_TOOL_OPTIONS adds more JVM options
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=65", "-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile=app.jsa", "-jar", "app.jar"]
