#!/bin/sh
# The scheduler's benchmark (SchedulerBench): 10,000 replicas onto 1,000 workers, placements/s and p99 per decision,
# against the targets and a bare scan measured in the same run. Needs only a JDK. Exits 1 when a target is missed.
#   control-plane/bench/scheduler.sh [-Dbench.runs=5] [-Dbench.warmups=10] [-Dbench.workers=1000] [-Dbench.vms=2000]
set -eu
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -o -q -pl control-plane -am test-compile
# the scheduler is plain Java: its classes and the bench need nothing else on the class path
exec "$JAVA_HOME/bin/java" -Xms1g -Xmx1g "$@" -cp control-plane/target/classes:control-plane/target/test-classes \
    dev.procurator.controlplane.scheduler.SchedulerBench
