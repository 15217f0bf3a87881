#!/bin/sh
# The worker agent's benchmark: assignment -> healthy VM through the agent against a bare qemu-system-x86_64 launch of
# the same kernel and initrd, measured in the same run (see AgentBenchmark). Needs qemu, nix and the guest kernel
# (fetched by nix/guest/fetch-kernel.sh into the shared cache on first use).
#   worker-agent/bench/run.sh [-Dbench.rounds=3] [-Dbench.many=10]
set -eu
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -o -q -pl worker-agent -am verify -Dtest=AgentBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -DtrimStackTrace=false "$@" 2>&1 | grep -v '^\(\[INFO\]\|[0-9][0-9]:[0-9][0-9]:\)' || true
