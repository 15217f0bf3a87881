package dev.procurator.worker.vmm;

import java.nio.file.Path;

import dev.procurator.worker.cgroup.Cgroups;
import dev.procurator.worker.closure.Closure;

/**
 * Everything a driver needs to boot one replica.
 *
 * @param name     a label for the VMM process ({@code <vm>.<replica>})
 * @param dir      the replica's directory: sockets, pid file and VMM log go there
 * @param cpus     virtual CPUs
 * @param memoryMb guest memory
 * @param group    the cgroup the VMM process joins before it execs
 */
public record VmmLaunch(String name, Path dir, Closure closure, int cpus, long memoryMb, GuestNetwork network,
                        Cgroups.Group group) {

    /** The console socket the agent reads the guest's serial port from. */
    public Path consoleSocket() {
        return dir.resolve("console.sock");
    }

    /** The guest's kernel command line: the closure's, plus the clock options and the network's additions. */
    public String commandLine() {
        String additions = KernelOptions.CLOCK;
        if (network instanceof GuestNetwork.User user && user.linkGuest() != null) {
            additions += " " + KernelOptions.ip(user.linkGuest(), user.linkHost(), "255.255.255.252");
        } else if (network instanceof GuestNetwork.Tap tap && tap.address() != null && !tap.address().isBlank()) {
            additions += " " + KernelOptions.ip(tap.address(), tap.gateway(), tap.netmask());
        }
        return closure.commandLine(additions);
    }
}
