#!/usr/bin/env python3
"""CI service vs the same steps run by hand, side by side in one run (see README.md next to this file).

1. A push that changes nothing (closures already built and cached): the service's time from the webhook's arrival to
   the pipeline's success, step by step, next to a shell script that runs the same commands by hand in the same run
   (`git fetch`, `nix flake check`, `nix eval`, `nix build`, `nix copy`), alternated round by round. Prints the
   per-step breakdown (medians), the totals and the service's overhead over the bare commands.
2. 20 pushes arriving at once to 20 repositories: all must succeed; prints the total time and the queue waits.

Everything runs for real: the forge, cache and CI jars (embedded H2), git, nix; the control plane is a Cap'n Proto
Master stand-in (the CI tests' RecordingMaster) that records publishState.
"""
import concurrent.futures
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = os.path.dirname(HERE)
ROOT = os.path.dirname(MODULE)
JAVA = os.environ.get("JAVA", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "9"))
# A long-running CI is JIT-compiled: JGit and the step bookkeeping run once per pipeline, so warm them up.
WARMUP = int(os.environ.get("BENCH_WARMUP", "15"))
PARALLEL_REPOS = int(os.environ.get("BENCH_REPOS", "20"))
ADMIN = "pcr_bench-admin-token"
JARS = {m: os.path.join(ROOT, m, "target", m + ".jar") for m in ("forge", "cache-service", "ci-service")}
CLUSTER_NIX = os.path.join(ROOT, "nix", "lib", "cluster.nix")

FLAKE = r"""
{
  outputs = { self }:
    let
      system = "x86_64-linux";
      cluster = import ./lib/cluster.nix;
      text = name: content: derivation {
        inherit system name; builder = "/bin/busybox"; args = [ "sh" "-c" "echo '${content}' > $out" ];
      };
      toplevel = vm: derivation {
        inherit system; name = "nixos-system-${vm}"; builder = "/bin/busybox";
        args = [ "sh" "-c" ''
          /bin/busybox mkdir -p $out
          /bin/busybox ln -s ${text "kernel-${vm}" "kernel of ${vm}"} $out/kernel
          /bin/busybox ln -s ${text "initrd-${vm}" "initrd of ${vm} @VERSION@"} $out/initrd
          echo 'console=ttyS0' > $out/kernel-params
          printf '#!/bin/sh\necho ${vm}\n' > $out/init
        '' ];
      };
      vms = [ "web" "api" "db" ];
    in {
      blueprintJSON = cluster { vms = builtins.listToAttrs (map (vm: { name = vm; value = { }; }) vms); };
      nixosConfigurations = builtins.listToAttrs
        (map (vm: { name = vm; value.config.system.build.toplevel = toplevel vm; }) vms);
    };
}
"""

# The reference: what the service does, by hand, as a CI script would (same nix config, own caches).
REFERENCE = r"""
set -euo pipefail
t() { date +%s%N; }
ref="git+file://$CLONE?ref=refs/heads/main&rev=$COMMIT"
a=$(t); git --git-dir="$CLONE" fetch -q "$REMOTE" "+refs/heads/main:refs/heads/main"
b=$(t); nix flake check "$ref" 2>/dev/null
c=$(t); nix eval --json "$ref#blueprintJSON" >/dev/null
d=$(t); out=$(nix build --no-link --json $(for vm in web api db; do
          printf '%s ' "$ref#nixosConfigurations.$vm.config.system.build.toplevel"; done))
paths=$(echo "$out" | grep -o '"out":"[^"]*"' | cut -d'"' -f4)
e=$(t); nix copy --option netrc-file "$NETRC" --to "$CACHE?compression=zstd" $paths
f=$(t)
echo "fetch $(( (b-a)/1000000 ))"; echo "flake-check $(( (c-b)/1000000 ))"; echo "evaluate $(( (d-c)/1000000 ))"
echo "build $(( (e-d)/1000000 ))"; echo "push $(( (f-e)/1000000 ))"
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, env=None, cwd=None):
    result = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stdout}\n{result.stderr}")
    return result.stdout


def http(method, url, body=None, token=ADMIN):
    request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"null")


def wait_healthy(url, process, log):
    for _ in range(600):
        if process.poll() is not None:
            sys.exit(f"{url} exited:\n{open(log).read()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/actuator/health", timeout=2) as r:
                if b'"UP"' in r.read():
                    return
        except OSError:
            pass
        time.sleep(0.25)
    sys.exit(f"{url} not healthy")


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class Platform:
    def __init__(self, work):
        self.work = work
        self.processes = []
        self.git_env = dict(os.environ, HOME=f"{work}/home", GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Bench",
                            GIT_AUTHOR_EMAIL="bench@example.org", GIT_COMMITTER_NAME="Bench",
                            GIT_COMMITTER_EMAIL="bench@example.org")
        os.makedirs(f"{work}/home", exist_ok=True)
        self.forge = self.service("forge")
        self.cache = self.service("cache-service")
        master_port = free_port()
        classpath = ":".join([os.path.join(MODULE, "target", "ci-service-tests.jar"),
                              os.path.join(ROOT, "schema", "target", "schema-0.1.0-SNAPSHOT.jar"),
                              os.path.join(ROOT, "capnp", "target", "capnp-0.1.0-SNAPSHOT.jar"),
                              os.path.expanduser("~/.m2/repository/org/capnproto/runtime/0.1.16/runtime-0.1.16.jar")])
        self.start([JAVA, "-cp", classpath, "dev.procurator.ci.support.RecordingMaster", str(master_port)], "master")
        self.wait(self.forge)
        self.wait(self.cache)
        self.ci = self.service("ci-service", PROCURATOR_FORGE_URL=self.forge[0], PROCURATOR_CACHE_URL=self.cache[0],
                               PROCURATOR_CONTROL_PLANE_RPC=f"127.0.0.1:{master_port}")
        self.wait(self.ci)
        self.secret = http("GET", self.ci[0] + "/api/v1/webhook")["secret"]

    def start(self, cmd, name, env=None):
        log = f"{self.work}/{name}.log"
        process = subprocess.Popen(cmd, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process, log

    def service(self, module, **extra):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PROCURATOR_")}
        env.update(SERVER_PORT=str(port), PROCURATOR_DATA_DIR=f"{self.work}/{module}", PROCURATOR_ADMIN_TOKEN=ADMIN)
        own = {"forge": "PROCURATOR_FORGE_URL", "cache-service": "PROCURATOR_CACHE_URL",
               "ci-service": "PROCURATOR_CI_URL"}[module]
        env[own] = url
        env.update(extra)
        process, log = self.start([JAVA, "-jar", JARS[module]], module, env)
        return url, process, log

    @staticmethod
    def wait(service):
        wait_healthy(*service)

    def create_repo(self, name):
        http("POST", self.forge[0] + "/api/v1/repos", {"name": name, "private": True})
        repo = f"admin/{name}"
        http("POST", f"{self.forge[0]}/api/v1/repos/{repo}/hooks",
             {"url": self.ci[0] + "/hooks/forge", "secret": self.secret, "events": ["push"]})
        work = f"{self.work}/src/{name}"
        os.makedirs(f"{work}/lib", exist_ok=True)
        shutil.copy(CLUSTER_NIX, f"{work}/lib/cluster.nix")
        self.git(work, "init", "-q", "--initial-branch=main")
        self.git(work, "remote", "add", "origin", self.remote(repo))
        return repo, work

    def remote(self, repo):
        return self.forge[0].replace("http://", f"http://admin:{ADMIN}@") + f"/{repo}.git"

    def git(self, work, *args):
        return run(["git", *args], env=self.git_env, cwd=work)

    def commit(self, work, files, message):
        for path, content in files.items():
            with open(f"{work}/{path}", "w") as f:
                f.write(content)
        self.git(work, "add", "-A")
        self.git(work, "commit", "-q", "-m", message)
        return self.git(work, "rev-parse", "HEAD").strip()

    def push(self, work):
        self.git(work, "push", "-q", "origin", "HEAD:refs/heads/main")

    def pipeline_of(self, repo, commit, timeout=300):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for p in http("GET", f"{self.ci[0]}/api/v1/pipelines?repo={repo}"):
                if p["commit"] == commit and p["status"] in ("succeeded", "failed", "cancelled"):
                    return http("GET", f"{self.ci[0]}/api/v1/pipelines/{p['id']}")
            time.sleep(0.05)
        sys.exit(f"no finished pipeline for {repo} {commit}")

    def stop(self):
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


def service_round(platform, repo, work, n):
    commit = platform.commit(work, {"README.md": f"round {n}\n"}, f"docs {n}")
    platform.push(work)
    pipeline = platform.pipeline_of(repo, commit)
    if pipeline["status"] != "succeeded" or pipeline["changedVms"]:
        sys.exit(f"unexpected pipeline: {json.dumps(pipeline, indent=1)}")
    if os.environ.get("BENCH_DEBUG"):
        print(json.dumps({k: pipeline[k] for k in ("createdAt", "startedAt", "finishedAt", "steps")}, indent=1))
    steps = {s["name"]: s["durationMs"] for s in pipeline["steps"]}
    steps["queue"] = (instant(pipeline["startedAt"]) - instant(pipeline["createdAt"])) * 1000
    # Time the service spends outside its steps: before the first, between two, after the last.
    marks = [instant(pipeline["startedAt"])]
    for s in pipeline["steps"]:
        marks += [instant(s["startedAt"]), instant(s["finishedAt"])]
    marks.append(instant(pipeline["finishedAt"]))
    steps["between"] = sum(marks[i + 1] - marks[i] for i in range(0, len(marks), 2)) * 1000
    steps["total"] = (instant(pipeline["finishedAt"]) - instant(pipeline["createdAt"])) * 1000
    return commit, steps


def reference_round(platform, repo, commit, clone, netrc, nix_env):
    env = dict(nix_env, CLONE=clone, COMMIT=commit, REMOTE=platform.remote(repo), NETRC=netrc,
               CACHE=platform.cache[0] + "/main")
    start = time.time()
    out = run(["bash", "-c", REFERENCE], env=env)
    steps = {line.split()[0]: int(line.split()[1]) for line in out.splitlines()}
    steps["total"] = (time.time() - start) * 1000
    return steps


def parallel_pushes(platform):
    repos = [platform.create_repo(f"parallel-{i}") for i in range(PARALLEL_REPOS)]
    commits = [platform.commit(work, {"flake.nix": FLAKE.replace("@VERSION@", f"parallel {i}")}, "cluster")
               for i, (_, work) in enumerate(repos)]
    start = time.time()
    with concurrent.futures.ThreadPoolExecutor(PARALLEL_REPOS) as pool:
        list(pool.map(lambda r: platform.push(r[1]), repos))
    pushed = time.time() - start
    pipelines = [platform.pipeline_of(repo, commit, timeout=900) for (repo, _), commit in zip(repos, commits)]
    end = max(instant(p["finishedAt"]) for p in pipelines)
    first = min(instant(p["createdAt"]) for p in pipelines)
    waits = [instant(p["startedAt"]) - instant(p["createdAt"]) for p in pipelines]
    runs = [instant(p["finishedAt"]) - instant(p["startedAt"]) for p in pipelines]
    failed = [p["id"] for p in pipelines if p["status"] != "succeeded"]
    print(f"\n{PARALLEL_REPOS} pushes at once to {PARALLEL_REPOS} repositories (each a new 3-VM cluster; "
          f"{os.environ.get('PROCURATOR_CI_EXECUTORS', '2')} executors)")
    print(f"  succeeded:   {PARALLEL_REPOS - len(failed)} of {PARALLEL_REPOS}" + (f"  FAILED: {failed}" if failed else ""))
    print(f"  git pushes:  {pushed:.1f} s (all 20, concurrently)")
    print(f"  total:       {end - first:.1f} s from the first webhook to the last pipeline's success")
    print(f"  queue wait:  min {min(waits):.1f} s, median {statistics.median(waits):.1f} s, max {max(waits):.1f} s")
    print(f"  run time:    min {min(runs):.1f} s, median {statistics.median(runs):.1f} s, max {max(runs):.1f} s")
    return not failed


def main():
    for jar in list(JARS.values()) + [os.path.join(MODULE, "target", "ci-service-tests.jar")]:
        if not os.path.exists(jar):
            subprocess.run(["./mvnw", "-B", "-q", "-o", "-pl", "ci-service,forge,cache-service", "-am", "package",
                            "-DskipTests"], cwd=ROOT, check=True)
            break
    work = tempfile.mkdtemp(prefix="ci-bench.")
    platform = Platform(work)
    try:
        repo, src = platform.create_repo("cluster")
        commit = platform.commit(src, {"flake.nix": FLAKE.replace("@VERSION@", "v1")}, "cluster")
        platform.push(src)
        first = platform.pipeline_of(repo, commit)
        print(f"first push (builds, pushes and publishes 3 VMs): pipeline {first['id']} {first['status']} in "
              f"{first['durationMs'] / 1000:.1f} s")
        # The reference uses the CI's own nix.conf, its own caches (a runner of its own), a bare clone it fetches into.
        nix_env = dict(os.environ, NIX_CONF_DIR=f"{work}/ci-service/nix/conf", HOME=f"{work}/ref/home",
                       XDG_CACHE_HOME=f"{work}/ref/cache")
        os.makedirs(nix_env["HOME"], exist_ok=True)
        clone = f"{work}/ref/clone.git"
        run(["git", "init", "-q", "--bare", clone])
        netrc = f"{work}/ref/netrc"
        with open(netrc, "w") as f:
            f.write(f"machine 127.0.0.1\nlogin bench\npassword {ADMIN}\n")
        os.chmod(netrc, 0o600)

        service, reference = [], []
        for n in range(WARMUP + ROUNDS):
            commit, steps = service_round(platform, repo, src, n)
            ref = reference_round(platform, repo, commit, clone, netrc, nix_env)
            if n >= WARMUP:
                service.append(steps)
                reference.append(ref)

        med = lambda rows, key: statistics.median(r.get(key, 0) for r in rows)
        pairs = [("fetch", "fetch", "git fetch (JGit / C git)"), ("flake-check", "flake-check", "nix flake check"),
                 ("evaluate", "evaluate", "nix eval"), ("build", "build", "nix build (3 VMs, one invocation)"),
                 ("push", "push", "nix copy --to the cache")]
        print(f"\nA push that changes nothing: webhook received -> pipeline succeeded "
              f"(median of {ROUNDS} rounds after {WARMUP} warm-up, alternated with the script)")
        print(f"  {'step':<38}{'service ms':>12}{'by hand ms':>12}")
        for step, ref_step, label in pairs:
            print(f"  {step + ' (' + label + ')':<38}{med(service, step):>12.0f}{med(reference, ref_step):>12.0f}")
        for step in ("changes", "artifact", "publish"):
            print(f"  {step:<38}{med(service, step):>12.0f}{'-':>12}")
        print(f"  {'queue wait (webhook -> executor)':<38}{med(service, 'queue'):>12.0f}{'-':>12}")
        print(f"  {'bookkeeping outside the steps':<38}{med(service, 'between'):>12.0f}{'-':>12}")
        steps_sum = sum(med(service, s) for s, _, _ in pairs)
        service_total, reference_total = med(service, "total"), med(reference, "total")
        print(f"  {'total':<38}{service_total:>12.0f}{reference_total:>12.0f}")
        print(f"  the five shared steps: service {steps_sum:.0f} ms, by hand {reference_total:.0f} ms")
        overhead = service_total / reference_total - 1
        print(f"  service overhead over the bare commands: {overhead * 100:+.0f}%  (target <= +20%); "
              f"total {service_total / 1000:.2f} s (target < 3 s)")
        ok = parallel_pushes(platform)
        sys.exit(0 if ok else 1)
    finally:
        platform.stop()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
