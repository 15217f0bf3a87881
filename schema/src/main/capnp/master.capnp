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
  # The control plane's bootstrap capability (port 7441). Worker agents register, long-poll their
  # assignment and report observed state; the CI service publishes generations; the CLI reads the
  # cluster status and drives rollouts.

  registerWorker @0 (info :Common.WorkerInfo, worker :WorkerRpc.Worker)
      -> (workerId :Text, heartbeatIntervalMillis :UInt32);
    # A worker agent joins (or rejoins after a restart). It hands over its own Worker capability,
    # which the master keeps for push notifications until the connection drops.
    # Returns the id to use in later calls (info.workerId, or a new one if it was empty) and how
    # often to heartbeat.

  heartbeat @1 (workerId :Text, metrics :Common.WorkerMetrics) -> (known :Bool);
    # Liveness plus fresh host metrics. `known` false means the master forgot this worker
    # (e.g. a failover): the worker must call registerWorker again.

  getAssignment @2 (workerId :Text, knownGeneration :UInt64, timeoutMillis :UInt32)
      -> (changed :Bool, assignment :Common.Assignment);
    # Long poll: returns as soon as the worker's assignment differs from `knownGeneration`, or after
    # `timeoutMillis` (0 = the master's default) with `changed` false and the current assignment.

  pushData @3 (workerId :Text, vms :List(Common.VmStatus), metrics :Common.WorkerMetrics,
               health :List(Common.HealthResult)) -> ();
    # Observed state of the worker's VMs, its metrics and health check outcomes.

  publishState @4 (generation :Common.Generation) -> (number :UInt64, changed :Bool);
    # The CI service publishes a new desired state (only when closures changed). The master
    # stores it, numbers it and starts rollouts. `changed` is false if it equals the current one.

  getClusterStatus @5 () -> (status :Common.ClusterStatus);
    # Everything the CLI and dashboards show. Takes no arguments.

  # Operator calls on the rollout of one VM (procurator deploy ...); each returns the rollout's new state.

  promote @6 (vm :Text) -> (rollout :Common.RolloutStatus);
    # Continues a canary rollout paused after its canary replicas.

  rollback @7 (vm :Text, toGeneration :UInt64) -> (rollout :Common.RolloutStatus);
    # Rolls the VM back to `toGeneration` (0 = the last generation that was healthy).

  pause @8 (vm :Text) -> (rollout :Common.RolloutStatus);
    # Stops replacing replicas; replicas already replaced keep running.

  resume @9 (vm :Text) -> (rollout :Common.RolloutStatus);
    # Continues a paused rollout.
}
