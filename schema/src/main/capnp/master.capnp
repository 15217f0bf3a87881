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
  #
  # Errors are Cap'n Proto exceptions whose reason starts with a code: "invalid: ..." (bad input, nothing
  # changed), "unknown_worker: ..." (register again), "not_found: ...", "conflict: ...", and
  # "not_leader: ... at <host:port>" from a follower for a call only the leader serves (every call but
  # getClusterStatus and getLeader): the caller reconnects to that address, or to its next endpoint
  # when the address is unknown.

  registerWorker @0 (info :Common.WorkerInfo, worker :WorkerRpc.Worker)
      -> (workerId :Text, heartbeatIntervalMillis :UInt32);
    # A worker agent joins (or rejoins after a restart). It hands over its own Worker capability,
    # which the master keeps for push notifications until the connection drops.
    # Returns the id to use in later calls (info.workerId, or a new one if it was empty) and how
    # often to heartbeat.

  heartbeat @1 (workerId :Text, metrics :Common.WorkerMetrics) -> (known :Bool);
    # Liveness plus fresh host metrics. `known` false means the master forgot this worker
    # (e.g. a failover): the worker must call registerWorker again.

  getAssignment @2 (workerId :Text, knownRevision :UInt64, timeoutMillis :UInt32)
      -> (changed :Bool, assignment :Common.Assignment);
    # Long poll: returns as soon as the worker's assignment revision differs from `knownRevision`, or
    # after `timeoutMillis` (0 = the master's default) with `changed` false and the current assignment.

  pushData @3 (workerId :Text, vms :List(Common.VmStatus), metrics :Common.WorkerMetrics,
               health :List(Common.HealthResult)) -> ();
    # Observed state of the worker's VMs, its metrics and health check outcomes.

  publishState @4 (generation :Common.Generation) -> (number :UInt64, changed :Bool);
    # The CI service publishes a new desired state for one source (generation.repository and .branch).
    # The master validates it, stores it as the source's next generation in one transaction, and rolls
    # out the VMs whose closure or spec changed. `changed` is false (and `number` the current one) when it
    # equals the source's current generation. Returns only once the generation is durable.

  getClusterStatus @5 () -> (status :Common.ClusterStatus);
    # Everything the CLI and dashboards show. Takes no arguments.

  # Operator calls on the rollout of one VM (procurator deploy ...); each returns the rollout's new state.

  promote @6 (vm :Text) -> (rollout :Common.RolloutStatus);
    # Continues a canary rollout paused after its canary replicas.

  rollback @7 (vm :Text, toGeneration :UInt64) -> (rollout :Common.RolloutStatus);
    # Rolls the VM back to `toGeneration` of its source (0 = the last generation whose rollout succeeded).

  pause @8 (vm :Text) -> (rollout :Common.RolloutStatus);
    # Stops replacing replicas; replicas already replaced keep running.

  resume @9 (vm :Text) -> (rollout :Common.RolloutStatus);
    # Continues a paused rollout.

  drainWorker @10 (workerId :Text, drain :Bool) -> (worker :Common.WorkerStatus);
    # drain = true: the worker's replicas move to other workers and it takes no new ones;
    # drain = false: it takes replicas again.

  getLeader @11 () -> (leader :Text, rpcAddress :Text, isLeader :Bool);
    # Which control-plane instance leads, and where its Cap'n Proto port is; `isLeader` tells whether
    # the instance answering is that leader. Answered by every instance.
}
