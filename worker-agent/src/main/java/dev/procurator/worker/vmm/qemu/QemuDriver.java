package dev.procurator.worker.vmm.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.procurator.common.process.Executables;
import dev.procurator.common.process.ProcessRunner;
import dev.procurator.schema.Common;
import dev.procurator.worker.config.WorkerProperties;
import dev.procurator.worker.vmm.GuestNetwork;
import dev.procurator.worker.vmm.VmmDriver;
import dev.procurator.worker.vmm.VmmException;
import dev.procurator.worker.vmm.VmmInstance;
import dev.procurator.worker.vmm.VmmLaunch;
import dev.procurator.worker.vmm.VmmProcesses;

/**
 * QEMU's {@code -M microvm}, daemonized (it outlives the agent), controlled over QMP on {@code <dir>/qmp.sock}:
 * {@code query-status} to see it run, {@code system_powerdown} (ACPI power button) with a timeout to stop it, then
 * {@code quit}. The uncompressed kernel boots by PVH; the serial console is a unix socket the agent reads.
 */
public class QemuDriver implements VmmDriver {

    private static final Logger log = LoggerFactory.getLogger(QemuDriver.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final String binary;
    private final Accelerator accelerator;

    public QemuDriver(WorkerProperties properties, ProcessRunner runner) {
        this.binary = properties.qemu();
        this.accelerator = new Accelerator(binary, properties.accel(), properties.kvmProbeTimeout(), runner);
    }

    @Override
    public Common.Backend backend() {
        return Common.Backend.QEMU;
    }

    @Override
    public boolean installed() {
        return Executables.find(binary).isPresent();
    }

    @Override
    public VmmInstance launch(VmmLaunch launch) {
        Path dir = launch.dir();
        Path qmp = dir.resolve("qmp.sock");
        Path pidFile = dir.resolve("vmm.pid");
        VmmProcesses.clean(qmp, pidFile, launch.consoleSocket());
        boolean kvm = accelerator.useKvm(launch.closure().kernel());
        List<String> argv = new ArrayList<>(List.of(binary, "-name", launch.name(),
                "-accel", kvm ? "kvm" : "tcg,tb-size=32", "-M", "microvm", "-cpu", kvm ? "host" : "max",
                "-m", launch.memoryMb() + "M", "-smp", Integer.toString(launch.cpus()),
                "-nodefaults", "-no-user-config", "-display", "none",
                "-chardev", "socket,id=console,path=" + launch.consoleSocket() + ",server=on,wait=off",
                "-serial", "chardev:console",
                "-kernel", launch.closure().kernel().toString(), "-initrd", launch.closure().initrd().toString(),
                "-append", launch.commandLine()));
        argv.addAll(network(launch.network()));
        argv.addAll(List.of("-device", "virtio-rng-device",
                "-qmp", "unix:" + qmp + ",server=on,wait=off", "-pidfile", pidFile.toString(), "-daemonize"));
        Process launcher = VmmProcesses.start(argv, dir, launch.group());
        try {
            // -daemonize: the launcher exits once the guest is set up and the daemon runs.
            if (!launcher.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                launcher.destroyForcibly();
                throw new VmmException("QEMU did not start within " + START_TIMEOUT.toSeconds() + " s: "
                        + VmmProcesses.logTail(dir));
            }
            if (launcher.exitValue() != 0) {
                throw new VmmException("QEMU failed to start (exit " + launcher.exitValue() + "): "
                        + VmmProcesses.logTail(dir));
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            QemuInstance instance = new QemuInstance(pid, dir);
            if (!instance.running()) {
                throw new VmmException("QEMU started but its guest is not running: " + VmmProcesses.logTail(dir));
            }
            log.info("QEMU {} started: pid {} ({})", launch.name(), pid, kvm ? "KVM" : "TCG");
            return instance;
        } catch (IOException e) {
            throw new VmmException("QEMU started without a pid file: " + VmmProcesses.logTail(dir), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmmException("interrupted while starting QEMU", e);
        }
    }

    private static List<String> network(GuestNetwork network) {
        if (network instanceof GuestNetwork.Tap tap) {
            return List.of("-netdev", "tap,id=n0,ifname=" + tap.tap() + ",script=no,downscript=no",
                    "-device", "virtio-net-device,netdev=n0,mac=" + tap.mac());
        }
        GuestNetwork.User user = (GuestNetwork.User) network;
        StringBuilder netdev = new StringBuilder("user,id=n0");
        for (GuestNetwork.Forward forward : user.forwards()) {
            netdev.append(",hostfwd=tcp:127.0.0.1:").append(forward.host()).append("-:").append(forward.guest());
        }
        return List.of("-netdev", netdev.toString(), "-device", "virtio-net-device,netdev=n0");
    }

    @Override
    public Optional<VmmInstance> attach(Path dir, long pid) {
        if (!VmmProcesses.isVmmOf(pid, dir)) {
            return Optional.empty();
        }
        return Optional.of(new QemuInstance(pid, dir));
    }

    private record QemuInstance(long pid, Path dir) implements VmmInstance {

        @Override
        public boolean running() {
            if (!VmmProcesses.isVmmOf(pid, dir)) {
                return false;
            }
            try (Qmp qmp = Qmp.connect(dir.resolve("qmp.sock"))) {
                return qmp.execute("query-status").path("status").asString().equals("running");
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void stop(Duration grace) {
            if (!VmmProcesses.isVmmOf(pid, dir)) {
                return;
            }
            try (Qmp qmp = Qmp.connect(dir.resolve("qmp.sock"))) {
                qmp.execute("system_powerdown");
                if (!VmmProcesses.awaitExit(pid, grace)) {
                    log.warn("Guest of QEMU pid {} did not power off within {} s: quitting QEMU", pid, grace.toSeconds());
                    qmp.execute("quit");
                }
            } catch (IOException e) {
                log.warn("QMP of pid {} does not answer ({}): terminating it", pid, e.getMessage());
            }
            if (!VmmProcesses.awaitExit(pid, Duration.ofSeconds(5))) {
                VmmProcesses.terminate(pid, Duration.ofSeconds(5));
            }
        }
    }
}
