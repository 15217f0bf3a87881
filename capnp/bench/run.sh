#!/bin/sh
# Runs the RPC benchmark (Java server vs C++ EzRpcServer, both driven by the C++ EzRpcClient).
# Needs capnp, g++, pkg-config and libcapnp-dev. Usage: capnp/bench/run.sh [-Dbench.seconds=3 -Dbench.rounds=3]
set -e
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl capnp test-compile
cp=$(./mvnw -B -q -pl capnp dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
cd capnp
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" "$@" -cp "target/classes:target/test-classes:$cp" \
    dev.procurator.capnp.bench.RpcBenchmark
