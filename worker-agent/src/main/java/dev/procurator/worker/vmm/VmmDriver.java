package dev.procurator.worker.vmm;

import java.nio.file.Path;
import java.util.Optional;

import dev.procurator.schema.Common;

/** One VMM (QEMU, cloud-hypervisor) behind the interface the agent uses for both. */
public interface VmmDriver {

    Common.Backend backend();

    /** Whether this host has the VMM's binary. */
    boolean installed();

    /** Starts a VMM for the replica and boots its guest; returns once the VMM runs it. */
    VmmInstance launch(VmmLaunch launch);

    /** The VMM of a replica directory left by an earlier run of the agent, if it is still alive. */
    Optional<VmmInstance> attach(Path dir, long pid);
}
