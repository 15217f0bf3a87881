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
  failureThreshold @4 :UInt32 = 3;    # consecutive failures before the VM counts as unhealthy
  union {
    exec :group {
      command @5 :Text;               # "command": run inside the VM's host context; exit status 0 = healthy
    }
    http :group {
      port @6 :UInt16;                # TCP port on the VM's address
      path @7 :Text;                  # request path, e.g. "/healthz"
      expectStatus @8 :UInt16 = 200;  # the status code counted as healthy
    }
    tcp :group {
      port @9 :UInt16;                # healthy when a TCP connection to this port opens
    }
  }
}

struct RolloutStrategy {
  # How a change to a VM's closure is rolled out across its replicas.
  union {
    rolling :group {
      maxParallel @0 :UInt32 = 1;     # replicas replaced at once; the next batch waits for health
    }
    blueGreen :group {
      keepOldSeconds @1 :UInt32 = 300; # how long the old replicas stay up after the switch (rollback window)
    }
    canary :group {
      canaryReplicas @2 :UInt32 = 1;  # replicas moved first
      pauseAfterCanary @3 :Bool = true; # wait for an operator's Master.promote before the rest
    }
  }
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
}

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

struct VmStatus {
  # The observed state of one VM replica on a worker.
  vm @0 :Text;                        # VmSpec.name
  replica @1 :UInt32;                 # 0-based replica index
  workerId @2 :Text;                  # where it runs
  generation @3 :UInt64;              # the generation whose closure it runs
  storePath @4 :Text;                 # the closure it runs
  phase @5 :VmPhase;
  healthy @6 :Bool;                   # all enabled health checks passing
  message @7 :Text;                   # last error or transition note, empty when fine
  sinceMillis @8 :Int64;              # when it entered this phase
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
  # One VM replica a worker must run.
  vm @0 :Text;
  replica @1 :UInt32;
  spec @2 :VmSpec;
  storePath @3 :Text;                 # closure to boot: kernel, initrd and init are inside it
}

struct Assignment {
  # Everything a worker should be running; the worker converges to it and reports VmStatus.
  workerId @0 :Text;
  generation @1 :UInt64;              # the generation this assignment was computed for
  vms @2 :List(AssignedVm);
  cacheUrl @3 :Text;                  # binary cache to substitute closures from
  cachePublicKey @4 :Text;            # its signing key, "name:base64"
}

# ---------------------------------------------------------------- cluster status (CLI, dashboard)

enum WorkerState {
  ready @0;
  unreachable @1;                     # missed heartbeats
  draining @2;
}

struct WorkerStatus {
  info @0 :WorkerInfo;
  state @1 :WorkerState;
  lastHeartbeatMillis @2 :Int64;
  metrics @3 :WorkerMetrics;
}

enum RolloutState {
  pending @0;
  inProgress @1;
  paused @2;                          # waiting for Master.resume or Master.promote
  succeeded @3;
  failed @4;
  rolledBack @5;
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
}

struct ClusterStatus {
  generation @0 :UInt64;              # newest generation published
  gitCommit @1 :Text;                 # its commit
  leader @2 :Text;                    # id of the control-plane instance answering (leader election)
  workers @3 :List(WorkerStatus);
  vms @4 :List(VmStatus);
  rollouts @5 :List(RolloutStatus);
}
