package dev.procurator.worker.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The worker agent's settings, bound from {@code procurator.worker.*} (environment: {@code PROCURATOR_WORKER_ID},
 * {@code PROCURATOR_WORKER_LABELS}, ...). Every one has a working default.
 *
 * @param id                  this worker's id at the master; default the host name
 * @param labels              matched against the VMs' {@code labels} (comma-separated in the environment)
 * @param maxCpu              caps the CPU capacity announced (cores); 0 = what the host has
 * @param maxMemory           caps the memory capacity announced; 0 = what the host has
 * @param qemu                the QEMU binary
 * @param cloudHypervisor     the cloud-hypervisor binary (a real one, or a stand-in of its API)
 * @param missingBackend      what to do with a VM asking for a VMM this host lacks: {@code fallback} (run it under
 *                            the other, with a log line) or {@code refuse} (report it failed)
 * @param accel               {@code auto} (KVM when a boot probe succeeds, else TCG), {@code kvm} or {@code tcg}
 * @param network             {@code user} (QEMU user-mode networking, ports forwarded to loopback) or {@code tap}
 * @param bridge              with tap networking: the Linux bridge the VMs' tap devices join
 * @param tapGateway          with tap networking: the gateway a guest is given (kernel {@code ip=})
 * @param tapNetmask          with tap networking: its netmask
 * @param memoryOverhead      added to a VM's memory for its cgroup limit: the VMM's own memory (QEMU's TCG code
 *                            cache and devices take ~100 MiB beyond the guest's RAM)
 * @param cgroupParent        the cgroup (under each hierarchy) holding this agent's VMs
 * @param consoleMaxSize      a VM's console log is rotated at this size
 * @param consoleFiles        rotated console files kept beside the current one
 * @param pollTimeout         how long one {@code getAssignment} long poll waits at the master
 * @param reportInterval      period of {@code pushData} when nothing changes
 * @param reconnectInitial    first wait before reconnecting to the control plane (then exponential, jittered)
 * @param reconnectMax        longest wait between reconnection attempts
 * @param stopTimeout         how long a guest gets to power off (ACPI) before its VMM is stopped hard
 * @param kvmProbeTimeout     how long the KVM boot probe may take before KVM counts as unusable
 * @param stopVmsOnExit       stop every VM when the agent stops (a throw-away platform such as
 *                            {@code procurator up --demo}); by default VMs outlive the agent, which adopts them when
 *                            it starts again
 */
@ConfigurationProperties("procurator.worker")
public record WorkerProperties(
        String id,
        List<String> labels,
        double maxCpu,
        DataSize maxMemory,
        String qemu,
        String cloudHypervisor,
        MissingBackend missingBackend,
        Accel accel,
        Network network,
        String bridge,
        String tapGateway,
        String tapNetmask,
        DataSize memoryOverhead,
        String cgroupParent,
        DataSize consoleMaxSize,
        int consoleFiles,
        Duration pollTimeout,
        Duration reportInterval,
        Duration reconnectInitial,
        Duration reconnectMax,
        Duration stopTimeout,
        Duration kvmProbeTimeout,
        boolean stopVmsOnExit) {

    public enum MissingBackend { FALLBACK, REFUSE }

    public enum Accel { AUTO, KVM, TCG }

    public enum Network { USER, TAP }

    public WorkerProperties {
        id = id == null || id.isBlank() ? HostName.get() : id.strip();
        labels = labels == null ? List.of() : labels.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        maxMemory = maxMemory == null ? DataSize.ofBytes(0) : maxMemory;
        qemu = blankTo(qemu, "qemu-system-x86_64");
        cloudHypervisor = blankTo(cloudHypervisor, "cloud-hypervisor");
        missingBackend = missingBackend == null ? MissingBackend.FALLBACK : missingBackend;
        accel = accel == null ? Accel.AUTO : accel;
        network = network == null ? Network.USER : network;
        bridge = bridge == null ? "" : bridge.strip();
        tapGateway = blankTo(tapGateway, "");
        tapNetmask = blankTo(tapNetmask, "255.255.255.0");
        memoryOverhead = memoryOverhead == null ? DataSize.ofMegabytes(256) : memoryOverhead;
        cgroupParent = blankTo(cgroupParent, "procurator");
        consoleMaxSize = consoleMaxSize == null ? DataSize.ofMegabytes(1) : consoleMaxSize;
        consoleFiles = consoleFiles <= 0 ? 3 : consoleFiles;
        pollTimeout = pollTimeout == null ? Duration.ofSeconds(30) : pollTimeout;
        reportInterval = reportInterval == null ? Duration.ofSeconds(10) : reportInterval;
        reconnectInitial = reconnectInitial == null ? Duration.ofMillis(500) : reconnectInitial;
        reconnectMax = reconnectMax == null ? Duration.ofSeconds(30) : reconnectMax;
        stopTimeout = stopTimeout == null ? Duration.ofSeconds(20) : stopTimeout;
        kvmProbeTimeout = kvmProbeTimeout == null ? Duration.ofSeconds(15) : kvmProbeTimeout;
    }

    private static String blankTo(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
