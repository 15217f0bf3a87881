#!/usr/bin/env bash
# Clone and push throughput of the forge (JGit) against C git's `git http-backend` behind nginx + fcgiwrap,
# same machine, same run, same generated repository. Prints min/median seconds and the forge/reference
# throughput ratio (reference time / forge time; 1.0 = as fast as C git). Not a test: run it by hand.
#
#   forge/bench/run.sh            # from the worktree root or anywhere; builds forge.jar if missing
#   RUNS=5 COMMITS=10000 forge/bench/run.sh
#   MAINTAINED=1 forge/bench/run.sh   # clone sources repacked with bitmaps on both sides (forge: POST .../gc)
#   SOURCE=/path/to/repo.git forge/bench/run.sh   # reuse a generated repository
#   FORGE_JAR=/tmp/other.jar forge/bench/run.sh    # another build of the forge (e.g. before/after a change)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUNS="${RUNS:-3}"
export COMMITS="${COMMITS:-10000}"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
WORK="$(mktemp -d /tmp/forge-bench.XXXXXX)"
PIDS=()
cleanup() {
  # fcgiwrap -c forks workers: end the children of the processes this script started, then those processes.
  for pid in "${PIDS[@]}"; do pkill -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
export GIT_CONFIG_NOSYSTEM=1 HOME="$WORK/home" GIT_TERMINAL_PROMPT=0
mkdir -p "$HOME"

# 1. The repository: COMMITS commits, ~50 MB packed.
if [ -n "${SOURCE:-}" ]; then
  git clone -q --bare --no-local "$SOURCE" "$WORK/source.git"   # reuse a generated repository (SOURCE=path)
else
  echo "generating $COMMITS commits..." >&2
  git init -q --bare "$WORK/source.git"
  python3 "$HERE/generate-repo.py" | git --git-dir="$WORK/source.git" fast-import --quiet
  git --git-dir="$WORK/source.git" repack -adq
fi
echo "source: $(git --git-dir="$WORK/source.git" rev-list --count main) commits," \
     "$(du -sm "$WORK/source.git/objects/pack" | cut -f1) MiB packed" >&2

# 2. The forge, as it runs in production (java -jar, embedded H2).
JAR="${FORGE_JAR:-$ROOT/forge/target/forge.jar}"
if [ ! -f "$JAR" ]; then (cd "$ROOT" && JAVA_HOME="$JAVA_HOME" ./mvnw -B -q -pl forge -am -DskipTests package); fi
FORGE_PORT="$(free_port)"
TOKEN="pcr_bench-$(date +%s)"
PROCURATOR_DATA_DIR="$WORK/forge" PROCURATOR_ADMIN_TOKEN="$TOKEN" SERVER_PORT="$FORGE_PORT" \
  "$JAVA_HOME/bin/java" ${FORGE_JAVA_OPTS:-} -jar "$JAR" >"$WORK/forge.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 600); do curl -fs "http://127.0.0.1:$FORGE_PORT/actuator/health" >/dev/null && break; sleep 0.5; done
FORGE="http://admin:$TOKEN@127.0.0.1:$FORGE_PORT/admin"
api() { curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@" >/dev/null; }

# 3. The reference: nginx + fcgiwrap + git http-backend (push enabled through REMOTE_USER).
NGINX_PORT="$(free_port)"
mkdir -p "$WORK/cgit" "$WORK/nginx/logs"
fcgiwrap -s "unix:$WORK/fcgiwrap.sock" -c 4 &
PIDS+=($!)
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
user root;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_max_body_size 0;
  client_body_temp_path $WORK/nginx/body;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  proxy_temp_path $WORK/nginx/proxy;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      fastcgi_pass unix:$WORK/fcgiwrap.sock;
      fastcgi_buffering off;
      fastcgi_request_buffering off;
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
      fastcgi_param GIT_PROJECT_ROOT $WORK/cgit;
      fastcgi_param GIT_HTTP_EXPORT_ALL "";
      fastcgi_param REMOTE_USER bench;
      fastcgi_param PATH_INFO \$uri;
    }
  }
}
CONF
for _ in $(seq 50); do [ -S "$WORK/fcgiwrap.sock" ] && break; sleep 0.1; done
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && break; sleep 0.1; done
CGIT="http://127.0.0.1:$NGINX_PORT"

push_forge() { api -X POST "http://127.0.0.1:$FORGE_PORT/api/v1/repos" -d "{\"name\":\"$1\",\"private\":false}"
               git --git-dir="$WORK/source.git" push -q "$FORGE/$1.git" main; }
push_cgit() { git init -q --bare "$WORK/cgit/$1.git"
              git --git-dir="$WORK/cgit/$1.git" config http.receivepack true
              git --git-dir="$WORK/source.git" push -q "$CGIT/$1.git" main; }
clone_forge() { git clone -q --bare "$FORGE/$1.git" "$WORK/clones/$2"; }
clone_cgit() { git clone -q --bare "$CGIT/$1.git" "$WORK/clones/$2"; }

timed() { local t0; t0=$(now); "$@"; python3 -c "print(f'{$(now) - $t0:.3f}')"; }

# Warm-up (JIT, page cache) — not counted.
push_forge warm >/dev/null 2>&1; push_cgit warm >/dev/null 2>&1
mkdir -p "$WORK/clones"
for w in 1 2; do clone_forge warm "wf$w"; clone_cgit warm "wc$w"; done
push_forge warm2 >/dev/null 2>&1; push_cgit warm2 >/dev/null 2>&1

if [ -n "${MAINTAINED:-}" ]; then
  # Both sides repacked with reachability bitmaps, as a maintained server would be.
  api -X POST "http://127.0.0.1:$FORGE_PORT/api/v1/repos/admin/warm/gc"
  git --git-dir="$WORK/cgit/warm.git" repack -adbq
  echo "maintained: both clone sources repacked with bitmaps" >&2
fi

declare -a PF PC CF CC
for i in $(seq "$RUNS"); do
  PF+=("$(timed push_forge "p$i" 2>/dev/null)"); PC+=("$(timed push_cgit "p$i" 2>/dev/null)")
  CF+=("$(timed clone_forge warm "f$i")"); CC+=("$(timed clone_cgit warm "c$i")")
  rm -rf "$WORK/clones/f$i" "$WORK/clones/c$i"
done

python3 - "${PF[*]}" "${PC[*]}" "${CF[*]}" "${CC[*]}" "$RUNS" <<'PY'
import statistics, sys
pf, pc, cf, cc = ([float(x) for x in a.split()] for a in sys.argv[1:5])
def row(name, forge, ref):
    fm, rm = statistics.median(forge), statistics.median(ref)
    print(f"{name:6} forge min/median {min(forge):.2f}/{fm:.2f} s   C git http-backend min/median "
          f"{min(ref):.2f}/{rm:.2f} s   throughput ratio (median) {rm / fm:.2f}x")
print(f"runs: {sys.argv[5]}")
row("clone", cf, cc)
row("push", pf, pc)
PY
