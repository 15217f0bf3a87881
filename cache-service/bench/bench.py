#!/usr/bin/env python3
"""Cache service vs nginx, side by side in one run (see README.md next to this file).

Measures, each against nginx on the same machine in the same run:
  - narinfo GETs/s on 1 keep-alive connection and on 16 (wrk)
  - NAR download MiB/s, 1 stream and 16 (wrk on a 50 MiB NAR)
  - `nix copy --to` a 200-path closure plus one 50 MiB path (nginx accepting PUTs with dav_methods PUT)
  - `nix copy --from` the same closure into a fresh store
and prints the ratios (service / nginx; for times, nginx / service so that higher is better everywhere).
"""
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = os.path.dirname(HERE)
JAR = os.path.join(MODULE, "target", "cache-service.jar")
JAVA = os.environ.get("JAVA", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
# Pushes and pulls alternate this many times: one push varies by ±30% on this machine, so five are too few.
COPY_RUNS = int(os.environ.get("BENCH_COPY_RUNS", "11"))
# Pushes on both sides before measuring (pulls in the first 10 of those rounds): a long-running service is
# JIT-compiled. Measured push by push, the service's time still falls until ~35 pushes (its C2 compiler keeps
# a core busy for seconds after each of the first 10 and works in bursts until then).
WARMUP = int(os.environ.get("BENCH_WARMUP", "40"))
PULL_WARMUP = min(WARMUP, 10)
SECONDS = os.environ.get("BENCH_SECONDS", "5")
ADMIN = "bench-admin-token"
# JVM flags for the service, e.g. SERVICE_JAVA_OPTS="-XX:+UseSerialGC" (default: none, the JVM's own ergonomics)
SERVICE_JAVA_OPTS = os.environ.get("SERVICE_JAVA_OPTS", "").split()

FLAKE = r"""
{
  outputs = { self }: let
    mk = name: script: derivation {
      inherit name; system = "x86_64-linux"; builder = "/bin/busybox"; args = [ "sh" "-c" script ];
    };
    small = builtins.genList (i: mk "bench-small-${toString i}"
      "/bin/busybox mkdir -p $out; echo ${toString i} > $out/id; /bin/busybox head -c 270000 /dev/urandom > $out/data") 200;
    big = mk "bench-big" "/bin/busybox mkdir -p $out; /bin/busybox head -c 52428800 /dev/urandom > $out/data";
  in {
    packages.x86_64-linux.default = mk "bench-root"
      "/bin/busybox mkdir -p $out; echo ${builtins.concatStringsSep " " (map toString small)} ${big} > $out/refs";
    packages.x86_64-linux.big = big;
  };
}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, env=None, check=True):
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stderr}")
    return result


class Nix:
    def __init__(self, root):
        self.root = root
        os.makedirs(f"{root}/conf", exist_ok=True)
        with open(f"{root}/conf/nix.conf", "w") as f:
            f.write("experimental-features = nix-command flakes\nsubstituters =\nsandbox = false\n"
                    "flake-registry =\nnarinfo-cache-negative-ttl = 0\nwarn-dirty = false\nbuild-users-group =\n")
        self.fresh = 0

    def env(self):
        # A fresh client-side narinfo cache for every command: nix remembers hits for 30 days.
        self.fresh += 1
        return dict(os.environ, NIX_CONF_DIR=f"{self.root}/conf", HOME=f"{self.root}/home-{self.fresh}",
                    XDG_CACHE_HOME=f"{self.root}/cache-{self.fresh}")

    def __call__(self, *args, check=True):
        return run(["nix", *args], env=self.env(), check=check)

    def timed(self, *args):
        start = time.monotonic()
        self(*args)
        return time.monotonic() - start


def wait_http(url, seconds=300):  # a JVM starting on a loaded 2-core machine takes its time
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.3)
    sys.exit(f"{url} did not answer")


def wrk(url, connections, threads):
    out = run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{SECONDS}s", url]).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", out)
    scale = {"B": 1 / 2**20, "KB": 1 / 1024, "MB": 1, "GB": 1024}[transfer.group(2)]
    return rps, float(transfer.group(1)) * scale


def interleaved(first, second, runs=RUNS):
    """Medians of alternating runs of two measures, so that drift on the shared machine hits both alike."""
    a, b = [], []
    for _ in range(runs):
        a.append(first())
        b.append(second())
    return statistics.median(a), statistics.median(b)


def main():
    if not os.path.exists(JAR):
        sys.exit(f"build the jar first: ./mvnw -B -q -pl cache-service -am -DskipTests package ({JAR})")
    work = tempfile.mkdtemp(prefix="cache-bench-")
    procs = []
    try:
        nix = Nix(f"{work}/nix")
        flake = os.path.join(HERE, ".flake")  # kept between runs: the closure builds once per machine
        os.makedirs(flake, exist_ok=True)
        with open(f"{flake}/flake.nix", "w") as f:
            f.write(FLAKE)
        print("building the 201-path closure (once per machine) ...", flush=True)
        root = json.loads(nix("build", "--no-link", "--json", f"path:{flake}#default").stdout)[0]["outputs"]["out"]
        big = json.loads(nix("build", "--no-link", "--json", f"path:{flake}#big").stdout)[0]["outputs"]["out"]
        paths = nix("path-info", "-r", root).stdout.split()
        size = sum(int(x) for x in re.findall(r"\s(\d+)\n", nix("path-info", "-rs", root).stdout))
        print(f"closure: {len(paths)} paths, {size / 2**20:.1f} MiB of NAR", flush=True)

        # nginx: static files + WebDAV PUT, as fast as it gets (sendfile, tcp_nodelay, keep-alive)
        ngx_port = free_port()
        ngx_root = f"{work}/nginx-root"
        os.makedirs(f"{ngx_root}", exist_ok=True)
        os.makedirs(f"{work}/nginx/tmp", exist_ok=True)
        with open(f"{work}/nginx/nginx.conf", "w") as f:
            f.write(f"""
user root; worker_processes 2; daemon off; pid {work}/nginx/pid; error_log {work}/nginx/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 1000000;
  client_body_temp_path {work}/nginx/tmp; proxy_temp_path {work}/nginx/tmp; fastcgi_temp_path {work}/nginx/tmp;
  uwsgi_temp_path {work}/nginx/tmp; scgi_temp_path {work}/nginx/tmp;
  server {{
    listen 127.0.0.1:{ngx_port} backlog=512; root {ngx_root};
    location / {{ dav_methods PUT; create_full_put_path on; client_max_body_size 0; }}
  }}
}}""")
        procs.append(subprocess.Popen(["nginx", "-c", f"{work}/nginx/nginx.conf", "-p", f"{work}/nginx"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

        port = free_port()
        data = f"{work}/service"
        log = open(f"{work}/service.log", "w")
        procs.append(subprocess.Popen([JAVA, *SERVICE_JAVA_OPTS, "-jar", JAR], stdout=log, stderr=subprocess.STDOUT, env=dict(
            os.environ, SERVER_PORT=str(port), PROCURATOR_DATA_DIR=data, PROCURATOR_ADMIN_TOKEN=ADMIN)))
        wait_http(f"http://127.0.0.1:{port}/main/nix-cache-info")
        netrc = f"{work}/netrc"
        with open(netrc, "w") as f:
            f.write(f"machine 127.0.0.1\nlogin bench\npassword {ADMIN}\n")

        def new_cache(name):
            req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/caches", method="POST",
                                         data=json.dumps({"name": name}).encode(),
                                         headers={"Content-Type": "application/json",
                                                  "Authorization": f"Bearer {ADMIN}"})
            urllib.request.urlopen(req).read()

        # --- push ---
        counter = iter(range(1000))
        # Every push goes to an empty cache, created before anything is measured: a push measures the protocol,
        # not the JSON API that creates caches.
        fresh = [f"fresh{i}" for i in range(WARMUP + COPY_RUNS)]
        for name in fresh:
            new_cache(name)
        fresh = iter(fresh)

        def push_service():
            name = next(fresh)
            return nix.timed("copy", "--option", "netrc-file", netrc, "--to",
                             f"http://127.0.0.1:{port}/{name}?compression=zstd", root)

        def push_nginx():
            name = f"push{next(counter)}"
            return nix.timed("copy", "--to", f"http://127.0.0.1:{ngx_port}/{name}?compression=zstd", root)

        # the cache 'bench' and the nginx directory 'bench' hold the same closure for the read benchmarks
        new_cache("bench")
        nix("copy", "--option", "netrc-file", netrc, "--to", f"http://127.0.0.1:{port}/bench?compression=zstd", root)
        nix("copy", "--to", f"http://127.0.0.1:{ngx_port}/bench?compression=zstd", root)

        # --- pull ---
        def pull(url):
            store = tempfile.mkdtemp(prefix="store-", dir=work)
            t = nix.timed("copy", "--no-check-sigs", "--from", url, "--to", store, root)
            shutil.rmtree(store, ignore_errors=True)
            return t

        def pull_nginx():
            return pull(f"http://127.0.0.1:{ngx_port}/bench")

        def pull_service():
            return pull(f"http://127.0.0.1:{port}/bench")

        print(f"warming up: {WARMUP} pushes and {PULL_WARMUP} pulls on each side ...", flush=True)
        for i in range(WARMUP):
            push_nginx(), push_service()
            if i < PULL_WARMUP:
                pull_nginx(), pull_service()
        push_ngx_t, push_svc_t = interleaved(push_nginx, push_service, COPY_RUNS)
        pull_ngx_t, pull_svc_t = interleaved(pull_nginx, pull_service, COPY_RUNS)

        # --- narinfo GETs and NAR downloads (wrk) ---
        h = root[11:43]
        big_info = urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/{big[11:43]}.narinfo").read().decode()
        big_nar = re.search(r"URL: (\S+)", big_info).group(1)
        urls = {
            "svc-narinfo": f"http://127.0.0.1:{port}/bench/{h}.narinfo",
            "ngx-narinfo": f"http://127.0.0.1:{ngx_port}/bench/{h}.narinfo",
            "svc-nar": f"http://127.0.0.1:{port}/bench/{big_nar}",
            "ngx-nar": f"http://127.0.0.1:{ngx_port}/bench/{big_nar}",
        }
        wrk(urls["svc-narinfo"], 16, 2)  # JIT warm-up
        results = {}
        for label, url, conns, threads, pick in [
            ("narinfo GET/s, 1 connection", "narinfo", 1, 1, 0),
            ("narinfo GET/s, 16 connections", "narinfo", 16, 2, 0),
            ("NAR MiB/s, 1 stream", "nar", 1, 1, 1),
            ("NAR MiB/s, 16 streams", "nar", 16, 2, 1),
        ]:
            ngx, svc = interleaved(lambda: wrk(urls[f"ngx-{url}"], conns, threads)[pick],
                                   lambda: wrk(urls[f"svc-{url}"], conns, threads)[pick])
            results[label] = (svc, ngx, svc / ngx)
        results["nix copy --to (s)"] = (push_svc_t, push_ngx_t, push_ngx_t / push_svc_t)
        results["nix copy --from (s)"] = (pull_svc_t, pull_ngx_t, pull_ngx_t / pull_svc_t)

        print(f"\nmedian of {RUNS} runs (nix copy: {COPY_RUNS}), wrk {SECONDS}s each; ratio > 1 means the cache service"
              " is faster")
        print(f"{'measure':34} {'cache-service':>14} {'nginx':>12} {'ratio':>7}")
        for label, (svc, ngx, ratio) in results.items():
            print(f"{label:34} {svc:14.2f} {ngx:12.2f} {ratio:7.2f}")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
