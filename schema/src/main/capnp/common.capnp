# Types shared by the control plane (Master), the worker agents (Worker), the CI service and the CLI.
# Shapes follow the deployment artifact the CI service produces (deployment.json):
#   { gitCommit, blueprint: { <vm>: VmSpec }, closures: { <vm>: "/nix/store/..." } }
# Times are Unix epoch milliseconds (Int64); sizes are MiB; CPU is in (fractional) cores.
@0xe6253f731179656e;

using Java = import "/java.capnp";
$Java.package("dev.procurator.schema");
$Java.outerClassname("Common");

# ---------------------------------------------------------------- desired state (blueprint)

enum MemoryUnit {
  mb @0;  # mebibytes ("MB" in blueprintJSON)
  gb @1;  # gibibytes ("GB")
  tb @2;  # tebibytes ("TB")
}

struct Memory {
  amount @0 :Float64;     # e.g. 2.0
  unit @1 :MemoryUnit;    # e.g. gb: with amount 2.0, "memory": { "amount": 2.0, "unit": "GB" }
}

enum Backend {
  cloudHypervisor @0;     # "cloud-hypervisor": the default VMM, driven through its REST API on a unix socket
  qemu @1;                # "qemu": QEMU driven through QMP
}

struct HealthCheck {
  # One health check of a VM. The worker runs it every `intervalSeconds` once the VM booted and
  # reports the outcome in Master.pushData; failures gate rollouts and trigger auto-rollback.
  name @0 :Text;                      # label shown in status and logs; defaults to the kind + target
  enabled @1 :Bool = true;            # a disabled check is kept in the spec but never run
  timeoutSeconds @2 :UInt32 = 60;     # "timeout": one attempt fails after this long
  intervalSeconds @3 :UInt32 = 10;    # "interval": time between attempts
  failureThreshold @4 :UInt32 = 3;    # "retries": consecutive failures before the VM counts as unhealthy
  union {
    exec :group {
      command @5 :Text;               # "command": run inside the VM's host context; exit status 0 = healthy
    }
    http :group {
      port @6 :UInt16;                # TCP port on the VM's address (a guest port)
      path @7 :Text;                  # request path, e.g. "/healthz"
      expectStatus @8 :UInt16 = 200;  # the status code counted as healthy ("expectedStatus")
      body @11 :Text;                 # "body": a text the response body must contain; empty = any body
    }
    tcp :group {
      port @9 :UInt16;                # healthy when a TCP connection to this port opens
    }
  }
  initialDelaySeconds @10 :UInt32;    # "initialDelay": grace after boot before the first probe counts
}

struct RolloutStrategy {
  # How a change to a VM's closure is rolled out across its replicas ("strategy" in blueprintJSON). The
  # vocabulary and meaning are Nomad's `update` block: a replica counts as healthy once all its checks have
  # passed for minHealthySeconds; one not healthy within healthyDeadlineSeconds fails the rollout; so does a
  # rollout that makes no replica healthy for progressDeadlineSeconds.
  union {
    rolling :group {
      maxParallel @0 :UInt32 = 1;     # "maxParallel": replicas replaced at once; the next batch waits for health
    }
    blueGreen :group {
      keepOldSeconds @1 :UInt32 = 300; # "keepOld": how long the old set stays up after the switch (rollback window)
      maxParallel @4 :UInt32 = 1;     # "maxParallel": new replicas started at once beside the old set
    }
    canary :group {
      canaryReplicas @2 :UInt32 = 1;  # "canaryReplicas": replicas started first, beside the old ones
      pauseAfterCanary @3 :Bool = true; # the opposite of "autoPromote": wait for an operator's Master.promote
      maxParallel @5 :UInt32 = 1;     # "maxParallel": replicas replaced at once after promotion
      promoteAfterSeconds @6 :UInt32 = 300; # "promoteAfter": with autoPromote, how long the canaries stay healthy first
    }
  }
  minHealthySeconds @7 :UInt32 = 10;  # "minHealthyTime"
  healthyDeadlineSeconds @8 :UInt32 = 300; # "healthyDeadline"
  progressDeadlineSeconds @9 :UInt32 = 600; # "progressDeadline"
}

struct Deployment {
  # Where and how a VM is deployed ("deployment" in blueprintJSON).
  addr @0 :Text;                      # the VM's IP address, e.g. "192.168.1.11"
  backend @1 :Backend;                # "backend"
  sshUser @2 :Text;                   # "sshUser", e.g. "root"
  sshPort @3 :UInt16 = 22;            # "sshPort"
  healthChecks @4 :List(HealthCheck); # "healthChecks"
  autoRollback @5 :Bool = true;       # "autoRollback": failing health rolls the VM back to the last good generation
  strategy @6 :RolloutStrategy;       # rollout strategy; rolling with maxParallel 1 when unset
}

struct VmSpec {
  # One VM of the blueprint ("blueprint": { "<name>": VmSpec }).
  name @0 :Text;                      # the blueprint key, e.g. "worker-1"
  role @1 :Text;                      # "role", e.g. "worker"
  cpu @2 :Float64;                    # "cpu": virtual CPUs requested (fractional allowed for scheduling)
  memory @3 :Memory;                  # "memory"
  labels @4 :List(Text);              # "labels": placement constraints matched against WorkerInfo.labels
  replicas @5 :UInt32 = 1;            # "replicas"
  deployment @6 :Deployment;          # "deployment"
  ports @7 :List(UInt16);             # "ports": guest TCP ports the VM serves; the worker exposes each on the host
}

struct VmClosure {
  # The built system closure of one VM ("closures": { "<vm>": "/nix/store/..." }).
  vm @0 :Text;                        # VmSpec.name
  storePath @1 :Text;                 # the NixOS system.build.toplevel store path (kernel, initrd, init inside)
}

struct Generation {
  # A desired state published by the CI service: one deployment artifact.
  number @0 :UInt64;                  # assigned by the master (publishState); 0 when sent by CI
  gitCommit @1 :Text;                 # "gitCommit": the commit the closures were built from
  branch @2 :Text;                    # the branch it was pushed to
  repository @3 :Text;                # "<owner>/<repo>" on the forge
  blueprint @4 :List(VmSpec);         # "blueprint"
  closures @5 :List(VmClosure);       # "closures", one per VM
  createdAtMillis @6 :Int64;          # when the master stored it
  pipelineUrl @7 :Text;               # the CI pipeline that built it (its page), for people tracing a change
}
# A source is one repository and branch ("<owner>/<repo>@<branch>"): each has its own numbered generations.
# VM names are unique across sources: publishing a VM another source already defines is refused.

# ---------------------------------------------------------------- workers and observed state

struct Resources {
  cpu @0 :Float64;                    # cores
  memoryMb @1 :UInt64;                # MiB
  diskMb @2 :UInt64;                  # MiB of VM storage
}

struct WorkerInfo {
  # What a worker agent tells the master when it registers.
  workerId @0 :Text;                  # stable id chosen by the worker (e.g. its machine id); may be empty on first start
  hostname @1 :Text;
  address @2 :Text;                   # address VMs on this host are reachable through
  capacity @3 :Resources;             # what VMs may use in total
  labels @4 :List(Text);              # matched against VmSpec.labels
  backends @5 :List(Backend);         # VMMs available on this host
  agentVersion @6 :Text;
  apiUrl @7 :Text;                    # the agent's HTTP API and dashboard, e.g. "http://host-1:7450"
}

struct WorkerMetrics {
  # A worker's host metrics, sent with heartbeats and pushData.
  timestampMillis @0 :Int64;
  cpuUsed @1 :Float64;                # cores busy (0..capacity.cpu)
  memoryUsedMb @2 :UInt64;
  memoryTotalMb @3 :UInt64;
  diskUsedMb @4 :UInt64;
  diskTotalMb @5 :UInt64;
  loadAverage1m @6 :Float64;
  runningVms @7 :UInt32;
}

enum VmPhase {
  pending @0;                         # assigned, nothing done yet
  fetching @1;                        # substituting the closure from the binary cache
  starting @2;                        # VMM launched, waiting for health
  running @3;                         # up and healthy
  stopping @4;
  stopped @5;
  failed @6;                          # boot or health failed; see VmStatus.message
}

enum Health {
  unknown @0;                         # not checked yet (booting, in its initial delay, or no report)
  healthy @1;                         # every enabled check passing (a VM without checks: running)
  unhealthy @2;                       # a check failed `retries` times in a row
}

struct PortMapping {
  guest @0 :UInt16;                   # the port inside the VM (VmSpec.ports)
  host @1 :UInt16;                    # where the worker exposes it on `VmStatus.address`
}

struct VmMetrics {
  cpuSeconds @0 :Float64;             # CPU time the VMM process used since it started
  memoryRssMb @1 :UInt64;             # resident memory of the VMM process
  uptimeSeconds @2 :UInt64;
}

struct VmStatus {
  # The observed state of one VM replica on a worker.
  vm @0 :Text;                        # VmSpec.name
  replica @1 :UInt32;                 # replica id, as assigned (AssignedVm.replica)
  workerId @2 :Text;                  # where it runs
  generation @3 :UInt64;              # the generation whose closure it runs
  storePath @4 :Text;                 # the closure it runs
  phase @5 :VmPhase;
  healthy @6 :Bool;                   # health == healthy (kept for older readers)
  message @7 :Text;                   # last error or transition note (e.g. a refused closure), empty when fine
  sinceMillis @8 :Int64;              # when it entered this phase
  health @9 :Health;
  address @10 :Text;                  # where its ports are reachable from the host (127.0.0.1 with user networking)
  ports @11 :List(PortMapping);
  backend @12 :Backend;               # the VMM actually used (a cloud-hypervisor VM may fall back to qemu)
  startedAtMillis @13 :Int64;         # when its VMM process started (0 when not running)
  metrics @14 :VmMetrics;
  source @15 :Text;                   # AssignedVm.source
  rolledBackFrom @16 :Text;           # set when the agent restored the previous closure after this one failed
}

struct HealthResult {
  # One health check outcome.
  vm @0 :Text;
  replica @1 :UInt32;
  check @2 :Text;                     # HealthCheck.name
  healthy @3 :Bool;
  message @4 :Text;                   # e.g. "HTTP 503" or the exec command's stderr tail
  checkedAtMillis @5 :Int64;
  latencyMillis @6 :UInt32;
}

# ---------------------------------------------------------------- what the master tells workers

struct AssignedVm {
  # One VM replica a worker must run. (vm, replica) identifies it on the worker: the same pair with another
  # storePath means "replace it" (fetch the new closure first, then swap); a new replica id means "start one
  # beside the others" (blue-green, canary).
  vm @0 :Text;
  replica @1 :UInt32;
  spec @2 :VmSpec;
  storePath @3 :Text;                 # closure to boot: kernel, initrd, init and kernel-params are inside it
  source @4 :Text;                    # "<owner>/<repo>@<branch>" that defines the VM
  generation @5 :UInt64;              # the source's generation this closure comes from
  previousStorePath @6 :Text;         # the closure this replica ran before; with autoRollback the agent restores
                                      # it when the new one fails its checks after the cutover (empty: none)
}

struct Assignment {
  # Everything a worker should be running; the worker converges to it and reports VmStatus.
  workerId @0 :Text;
  revision @1 :UInt64;                # increases whenever this worker's assignment changes
  vms @2 :List(AssignedVm);
  cacheUrl @3 :Text;                  # binary cache to substitute closures from
  cachePublicKey @4 :Text;            # its signing key, "name:base64"
}

# ---------------------------------------------------------------- cluster status (CLI, dashboard)

enum WorkerState {
  ready @0;                           # heartbeating, takes replicas
  suspect @1;                         # missed heartbeats; keeps its replicas, takes no new ones
  draining @2;                        # an operator drains it: its replicas move, it takes no new ones
  down @3;                            # missed heartbeats past the grace: its replicas are rescheduled elsewhere
}

struct WorkerStatus {
  info @0 :WorkerInfo;
  state @1 :WorkerState;
  lastHeartbeatMillis @2 :Int64;
  metrics @3 :WorkerMetrics;
  allocated @4 :Resources;            # what the replicas placed on it reserve
}

enum RolloutState {
  pending @0;
  inProgress @1;
  paused @2;                          # waiting for Master.resume or Master.promote
  succeeded @3;
  failed @4;                          # stopped on a health failure or a deadline, without autoRollback
  rolledBack @5;                      # the previous generation's closure runs again
  rollingBack @6;                     # going back to the previous closure, by the same strategy
  superseded @7;                      # a newer generation replaced it before it finished
}

struct RolloutStatus {
  # The rollout of one VM to one generation.
  vm @0 :Text;
  generation @1 :UInt64;              # target generation
  fromGeneration @2 :UInt64;          # generation being replaced (rollback target)
  state @3 :RolloutState;
  updatedReplicas @4 :UInt32;
  totalReplicas @5 :UInt32;
  message @6 :Text;                   # reason of the last transition
  updatedAtMillis @7 :Int64;
  source @8 :Text;                    # "<owner>/<repo>@<branch>"
  strategy @9 :Text;                  # "rolling", "blue-green" or "canary"
  healthyReplicas @10 :UInt32;        # new replicas healthy so far
  id @11 :UInt64;                     # the rollout's id (events and the HTTP API name it)
}

struct SourceStatus {
  repository @0 :Text;                # "<owner>/<repo>"
  branch @1 :Text;
  generation @2 :UInt64;              # its newest generation
  gitCommit @3 :Text;
  publishedAtMillis @4 :Int64;
}

struct ReplicaStatus {
  # One replica as the master sees it: what should run where, and what its worker reports.
  source @0 :Text;
  vm @1 :Text;
  replica @2 :UInt32;
  workerId @3 :Text;                  # empty while unplaced
  desiredStorePath @4 :Text;
  observedStorePath @5 :Text;         # empty until the worker reports it
  phase @6 :VmPhase;
  health @7 :Health;
  message @8 :Text;                   # why it is unplaced, failing, ...
}

struct ClusterStatus {
  generation @0 :UInt64;              # newest generation published (of any source)
  gitCommit @1 :Text;                 # its commit
  leader @2 :Text;                    # id of the leading control-plane instance
  workers @3 :List(WorkerStatus);
  vms @4 :List(VmStatus);             # what the workers report
  rollouts @5 :List(RolloutStatus);   # current and recent rollouts
  sources @6 :List(SourceStatus);
  replicas @7 :List(ReplicaStatus);   # desired vs observed, one per replica
  leaderRpc @8 :Text;                 # the leader's Cap'n Proto address, "host:port"
}
