#!/bin/sh
# Regenerates this module's committed generated code (needs capnp and libcapnp-dev's rpc schemas):
#   src/main/java/dev/procurator/capnp/rpc/proto  from /usr/include/capnp/rpc.capnp, rpc-twoparty.capnp
#   src/test/java/dev/procurator/capnp/testschema from src/test/capnp/test.capnp
set -e
cd "$(dirname "$0")"
../mvnw -B -q -f ../pom.xml -pl capnp compile
CAPNPC_JAVA_PACKAGE=dev.procurator.capnp.rpc.proto capnp compile -I/usr/include --src-prefix=/usr/include \
    -o"$PWD/bin/capnpc-java:src/main/java" /usr/include/capnp/rpc.capnp /usr/include/capnp/rpc-twoparty.capnp
capnp compile -Isrc/main/capnp --src-prefix=src/test/capnp -o"$PWD/bin/capnpc-java:src/test/java" src/test/capnp/test.capnp
