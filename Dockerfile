# The Tidemill node image: `bin/tidemill node` (Hazelcast's Java 17 module flags come from bin/tidemill)
# as a non-root user. Build at the repository root:
#   docker build -t tidemill:0.1.0 .
# The first stage builds the distribution jar with Maven; the second holds a JRE, bin/tidemill and the
# jar. The root file system can be read-only: the JVM writes only to /tmp (a volume in the StatefulSet).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 tidemill \
    && useradd --system --uid 10001 --gid 10001 --home-dir /opt/tidemill --shell /usr/sbin/nologin tidemill
COPY --from=build /src/bin/tidemill /opt/tidemill/bin/tidemill
COPY --from=build /src/dist/target/tidemill.jar /opt/tidemill/dist/target/tidemill.jar
WORKDIR /tmp
USER 10001:10001
# Hazelcast 5701, data plane 6123, REST API, web dashboard and /metrics 8081
EXPOSE 5701 6123 8081
ENTRYPOINT ["/opt/tidemill/bin/tidemill"]
CMD ["node"]
