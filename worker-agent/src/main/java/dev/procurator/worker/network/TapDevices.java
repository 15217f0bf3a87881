package dev.procurator.worker.network;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.procurator.common.process.Command;
import dev.procurator.common.process.ProcessRunner;
import dev.procurator.worker.vmm.VmmException;

/**
 * Tap devices on a Linux bridge for tap networking ({@code procurator.worker.network=tap}): created with
 * {@code ip tuntap}, joined to the configured bridge, deleted with the VM. Refused with a clear message when the
 * bridge is missing or the agent may not create taps.
 */
public final class TapDevices {

    private final ProcessRunner runner;
    private final String bridge;

    public TapDevices(ProcessRunner runner, String bridge) {
        this.runner = runner;
        this.bridge = bridge;
    }

    /** Why tap networking cannot work on this host, or null when it can. */
    public String problem() {
        if (bridge.isBlank()) {
            return "tap networking needs a bridge: set procurator.worker.bridge (PROCURATOR_WORKER_BRIDGE)";
        }
        if (!Files.isDirectory(Path.of("/sys/class/net", bridge, "bridge"))) {
            return "tap networking: bridge '" + bridge + "' does not exist on this host (ip link add " + bridge
                    + " type bridge)";
        }
        if (!Files.isWritable(Path.of("/dev/net/tun"))) {
            return "tap networking: /dev/net/tun is not writable by the agent (it needs CAP_NET_ADMIN)";
        }
        return null;
    }

    public void create(String tap) {
        String problem = problem();
        if (problem != null) {
            throw new VmmException(problem);
        }
        run("ip", "tuntap", "add", "dev", tap, "mode", "tap");
        run("ip", "link", "set", tap, "master", bridge, "up");
    }

    public void delete(String tap) {
        runner.run(Command.of("ip", "link", "delete", tap));
    }

    private void run(String... argv) {
        var result = runner.run(Command.of(argv));
        if (!result.succeeded()) {
            throw new VmmException("'" + String.join(" ", argv) + "' failed: " + result.stderr().strip());
        }
    }
}
