# The control plane's bootstrap capability, served on port 7441 (PROCURATOR_RPC_PORT).
# Called by worker agents (registration, assignments, observed state), the CI service
# (publishState) and the CLI (status and rollout operations).
@0xf394e1ac7bc0d86c;

using Java = import "/java.capnp";
$Java.package("dev.procurator.schema");
$Java.outerClassname("MasterRpc");

using Common = import "common.capnp";
using WorkerRpc = import "worker.capnp";

interface Master {
  # A worker agent joins (or rejoins after a restart). It hands over its own Worker capability,
  # which the master keeps for push notifications until the connection drops.
  # Returns the id to use in later calls (info.workerId, or a new one if it was empty) and how
  # often to heartbeat.
  registerWorker @0 (info :Common.WorkerInfo, worker :WorkerRpc.Worker)
      -> (workerId :Text, heartbeatIntervalMillis :UInt32);

  # Liveness plus fresh host metrics. `known` false means the master forgot this worker
  # (e.g. a failover): the worker must call registerWorker again.
  heartbeat @1 (workerId :Text, metrics :Common.WorkerMetrics) -> (known :Bool);

  # Long poll: returns as soon as the worker's assignment differs from `knownGeneration`, or after
  # `timeoutMillis` (0 = the master's default) with `changed` false and the current assignment.
  getAssignment @2 (workerId :Text, knownGeneration :UInt64, timeoutMillis :UInt32)
      -> (changed :Bool, assignment :Common.Assignment);

  # Observed state of the worker's VMs, its metrics and health check outcomes.
  pushData @3 (workerId :Text, vms :List(Common.VmStatus), metrics :Common.WorkerMetrics,
               health :List(Common.HealthResult)) -> ();

  # The CI service publishes a new desired state (only when closures changed). The master
  # stores it, numbers it and starts rollouts. `changed` is false if it equals the current one.
  publishState @4 (generation :Common.Generation) -> (number :UInt64, changed :Bool);

  # Everything the CLI and dashboards show. Takes no arguments.
  getClusterStatus @5 () -> (status :Common.ClusterStatus);

  # Operator calls on the rollout of one VM (procurator deploy ...).
  promote @6 (vm :Text) -> (rollout :Common.RolloutStatus);                         # continue a paused canary
  rollback @7 (vm :Text, toGeneration :UInt64) -> (rollout :Common.RolloutStatus);   # 0 = the previous good generation
  pause @8 (vm :Text) -> (rollout :Common.RolloutStatus);
  resume @9 (vm :Text) -> (rollout :Common.RolloutStatus);
}
