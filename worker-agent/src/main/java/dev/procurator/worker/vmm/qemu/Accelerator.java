package dev.procurator.worker.vmm.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.procurator.common.process.Command;
import dev.procurator.common.process.ProcessException;
import dev.procurator.common.process.ProcessRunner;
import dev.procurator.worker.config.WorkerProperties.Accel;
import dev.procurator.worker.vmm.KernelOptions;

/**
 * KVM or TCG. {@code /dev/kvm} existing proves nothing (on nested hosts QEMU opens it and every boot then fails,
 * shared notes/vm.md), so with {@code auto} the first launch boots the guest's kernel once under KVM with no root
 * file system: reaching the kernel's "VFS: Unable to mount root" panic within the probe's time means KVM works.
 * The decision is made once per agent run and logged.
 */
final class Accelerator {

    private static final Logger log = LoggerFactory.getLogger(Accelerator.class);

    private final String qemu;
    private final Accel configured;
    private final Duration probeTimeout;
    private final ProcessRunner runner;
    private volatile Boolean kvm;

    Accelerator(String qemu, Accel configured, Duration probeTimeout, ProcessRunner runner) {
        this.qemu = qemu;
        this.configured = configured;
        this.probeTimeout = probeTimeout;
        this.runner = runner;
    }

    /** True for KVM, false for TCG. */
    synchronized boolean useKvm(Path kernel) {
        if (kvm == null) {
            kvm = switch (configured) {
                case KVM -> true;
                case TCG -> false;
                case AUTO -> probe(kernel);
            };
        }
        return kvm;
    }

    private boolean probe(Path kernel) {
        if (!Files.exists(Path.of("/dev/kvm"))) {
            log.info("No /dev/kvm on this host: guests run under QEMU's TCG emulation (slower)");
            return false;
        }
        Path serial = null;
        try {
            serial = Files.createTempFile("kvm-probe", ".log");
            runner.run(Command.of(List.of(qemu, "-accel", "kvm", "-M", "microvm", "-cpu", "host", "-m", "64M",
                    "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot", "-serial", "file:" + serial,
                    "-kernel", kernel.toString(), "-append", "console=ttyS0 panic=-1 " + KernelOptions.CLOCK))
                    .timeout(probeTimeout));
            boolean works = Files.readString(serial).contains("Unable to mount root");
            if (works) {
                log.info("KVM boot probe succeeded: guests run with KVM");
            } else {
                log.warn("KVM boot probe failed (/dev/kvm exists but a guest kernel did not boot under it): guests run "
                        + "under QEMU's TCG emulation instead");
            }
            return works;
        } catch (IOException | ProcessException e) {
            log.warn("KVM boot probe did not finish within {} s ({}): guests run under QEMU's TCG emulation instead",
                    probeTimeout.toSeconds(), e.getMessage());
            return false;
        } finally {
            if (serial != null) {
                try {
                    Files.deleteIfExists(serial);
                } catch (IOException ignored) {
                    // a temp file
                }
            }
        }
    }
}
