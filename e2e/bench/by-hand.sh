#!/bin/sh
# The benchmark's reference: the same VMs brought up by hand with a shell script, no platform — build the VM's
# closure from the pushed flake, copy it to the binary cache, boot its replicas with the worker's QEMU command line,
# and curl /health until every replica answers. Prints the time of each stage in milliseconds, one per line.
#   by-hand.sh <flake dir> <cache URL, e.g. http://127.0.0.1:7430/main> <vm> <replicas>
# Runs with the caller's Nix environment (NIX_CONF_DIR, ...); the cache push uses NIX_NETRC (a netrc file) if set.
set -eu
flake=$1 cache=$2 vm=$3 replicas=$4
work=$(mktemp -d)
pids=""
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s%3N; }

t0=$(now)
out=$(nix build --no-link --json "$flake#nixosConfigurations.$vm.config.system.build.toplevel" \
    | sed -n 's/.*"out":"\([^"]*\)".*/\1/p')
t1=$(now)
nix copy ${NIX_NETRC:+--option netrc-file "$NIX_NETRC"} --to "$cache?compression=zstd" "$out"
t2=$(now)
ports=""
for i in $(seq 1 "$replicas"); do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    qemu-system-x86_64 -accel tcg,tb-size=32 -M microvm -cpu max -m 128M -smp 1 -nodefaults -no-user-config \
        -display none -serial "file:$work/serial-$i.log" -kernel "$out/kernel" -initrd "$out/initrd" \
        -append "$(cat "$out/kernel-params") init=$out/init tsc_early_khz=2600000 lpj=10400000 no_timer_check" \
        -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$port-:80" -device virtio-net-device,netdev=n0 \
        -device virtio-rng-device -pidfile "$work/vm-$i.pid" -daemonize
    pids="$pids $(cat "$work/vm-$i.pid")"
    ports="$ports $port"
done
t3=$(now)
for port in $ports; do
    until curl -sf -m 1 "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.1; done
done
t4=$(now)
echo "build $((t1 - t0))"
echo "copy $((t2 - t1))"
echo "qemu $((t3 - t2))"
echo "health $((t4 - t3))"
echo "total $((t4 - t0))"
