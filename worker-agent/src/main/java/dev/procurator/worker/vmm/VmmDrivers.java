package dev.procurator.worker.vmm;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.procurator.schema.Common;
import dev.procurator.worker.config.WorkerProperties.MissingBackend;

/**
 * The VMM drivers of this host and the choice among them: the VM's own backend when its binary is installed;
 * otherwise, by the {@code missing-backend} policy, the other one (default, with a log line) or a refusal.
 */
public final class VmmDrivers {

    private static final Logger log = LoggerFactory.getLogger(VmmDrivers.class);

    private final List<VmmDriver> drivers;
    private final MissingBackend policy;

    public VmmDrivers(List<VmmDriver> drivers, MissingBackend policy) {
        this.drivers = List.copyOf(drivers);
        this.policy = policy;
    }

    /** The backends whose binary is installed here (announced to the master). */
    public List<Common.Backend> installed() {
        return drivers.stream().filter(VmmDriver::installed).map(VmmDriver::backend).toList();
    }

    public VmmDriver byBackend(Common.Backend backend) {
        return drivers.stream().filter(d -> d.backend() == backend).findFirst()
                .orElseThrow(() -> new VmmException("no driver for " + backend));
    }

    /** The driver to run {@code vm} with, given the backend it asks for ({@code "qemu"}, {@code "cloud-hypervisor"}). */
    public VmmDriver select(String vm, String requested) {
        Common.Backend wanted = backendOf(requested);
        VmmDriver driver = byBackend(wanted);
        if (driver.installed()) {
            return driver;
        }
        VmmDriver other = drivers.stream().filter(d -> d != driver && d.installed()).findFirst().orElse(null);
        if (policy == MissingBackend.REFUSE || other == null) {
            throw new VmmException("VM " + vm + " asks for " + name(wanted) + ", which is not installed on this host"
                    + (other == null ? " (and no other VMM is)" : " (missing-backend policy: refuse)"));
        }
        log.warn("VM {} asks for {}, which is not installed on this host: running it under {} instead "
                + "(missing-backend policy: fallback)", vm, name(wanted), name(other.backend()));
        return other;
    }

    public static Common.Backend backendOf(String name) {
        return "qemu".equals(name) ? Common.Backend.QEMU : Common.Backend.CLOUD_HYPERVISOR;
    }

    public static String name(Common.Backend backend) {
        return backend == Common.Backend.QEMU ? "qemu" : "cloud-hypervisor";
    }
}
