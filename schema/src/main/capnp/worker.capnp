# The capability a worker agent hands the master in Master.registerWorker, so the master can push
# to it instead of waiting for the next long poll.
@0xa86bb3cd2d644044;

using Java = import "/java.capnp";
$Java.package("dev.procurator.schema");
$Java.outerClassname("WorkerRpc");

interface Worker {
  # Handed by a worker agent to Master.registerWorker: the master pushes through it instead of
  # waiting for the worker's next long poll. Dropped when the worker disconnects.

  notify @0 (revision :UInt64) -> ();
    # This worker's assignment changed (Assignment.revision): it should call Master.getAssignment now.

  stopVm @1 (vm :Text, replica :UInt32, reason :Text) -> (stopped :Bool);
    # Stops one VM replica now (operator action or drain). `stopped` is false if it was not running.

  collectLogs @2 (vm :Text, replica :UInt32, maxLines :UInt32) -> (lines :List(Text), truncated :Bool);
    # The last `maxLines` console lines of a VM replica (0 = the worker's default).
}
