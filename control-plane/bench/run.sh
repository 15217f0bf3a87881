#!/usr/bin/env bash
# End-to-end benchmark of the control plane: starts control-plane.jar (embedded H2, ports 17440/17441), then
# EndToEndBench.java with N simulated workers in one JVM. Usage: control-plane/bench/run.sh [workers] [rounds]
# Build first: ./mvnw -B -o -DskipTests package -pl control-plane -am
set -euo pipefail
cd "$(dirname "$0")/../.."
WORKERS=${1:-1000}
ROUNDS=${2:-5}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
DATA=$(mktemp -d)
trap 'kill $PLANE 2>/dev/null; wait $PLANE 2>/dev/null; rm -rf "$DATA"' EXIT
RUNTIME=$(ls ~/.m2/repository/org/capnproto/runtime/*/runtime-*.jar | grep -v sources | tail -1)
CP=schema/target/classes:capnp/target/classes:$RUNTIME

PROCURATOR_DATA_DIR=$DATA PROCURATOR_ADMIN_TOKEN=bench SERVER_PORT=17440 PROCURATOR_RPC_PORT=17441 \
  "$JAVA" ${CONTROL_PLANE_JAVA_OPTS:--Xmx512m} -jar control-plane/target/control-plane.jar > "$DATA/control-plane.log" 2>&1 &
PLANE=$!
for _ in $(seq 1 120); do
  grep -q "is the leader" "$DATA/control-plane.log" && break
  sleep 1
done
echo "control plane pid $PLANE ($(grep -c . "$DATA/control-plane.log") log lines), $WORKERS workers"
"$JAVA" -Xss512k -cp "$CP" control-plane/bench/EndToEndBench.java 127.0.0.1:17441 "$PLANE" "$WORKERS" "$ROUNDS"
