# One image recipe for every service: docker build --build-arg MODULE=forge -t procurator/forge .
# Build the jars first (./mvnw -DskipTests package); the image only packages <module>/target/<module>.jar.
FROM eclipse-temurin:21-jre

# Programs a service drives (nix, git, qemu for the CI service and the worker agent), plus curl for health checks.
ARG EXTRA_PACKAGES=""
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ${EXTRA_PACKAGES} \
 && rm -rf /var/lib/apt/lists/*

ARG MODULE
COPY ${MODULE}/target/${MODULE}.jar /opt/procurator/service.jar

ENV PROCURATOR_DATA_DIR=/var/lib/procurator
VOLUME /var/lib/procurator
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-jar", "/opt/procurator/service.jar"]
