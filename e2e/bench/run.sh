#!/bin/sh
# The GitOps benchmark: git push -> every replica healthy for the example, stage by stage from the services' APIs,
# against the same VM brought up by hand (by-hand.sh) in the same run (see GitOpsBenchmark and README.md here).
# Needs nix, git, qemu and the guest kernel (fetched by nix/guest/fetch-kernel.sh into the shared cache on first use).
#   e2e/bench/run.sh [-Dbench.rounds=5]
set -eu
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -o -q -pl e2e -am verify -Dtest=GitOpsBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -DtrimStackTrace=false "$@" 2>&1 | grep -v '^\(\[INFO\]\|[0-9][0-9]:[0-9][0-9]:\)' || true
