package dev.procurator.worker.vmm.cloudhypervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.procurator.common.process.Executables;
import dev.procurator.schema.Common;
import dev.procurator.worker.vmm.GuestNetwork;
import dev.procurator.worker.vmm.VmmDriver;
import dev.procurator.worker.vmm.VmmException;
import dev.procurator.worker.vmm.VmmInstance;
import dev.procurator.worker.vmm.VmmLaunch;
import dev.procurator.worker.vmm.VmmProcesses;
import tools.jackson.databind.json.JsonMapper;

/**
 * cloud-hypervisor, driven only through its REST API: {@code cloud-hypervisor --api-socket path=<dir>/api.sock},
 * then {@code vmm.ping}, {@code vm.create} (kernel, initramfs, command line, CPUs, memory, serial console on a unix
 * socket, a tap NIC, an rng), {@code vm.boot} and {@code vm.info} until {@code Running}. Stopping presses the power
 * button ({@code vm.power-button}), waits, then {@code vm.delete} and {@code vmm.shutdown}. cloud-hypervisor has no
 * user-mode network: the guest gets a tap link and the agent forwards its ports from loopback.
 */
public class CloudHypervisorDriver implements VmmDriver {

    private static final Logger log = LoggerFactory.getLogger(CloudHypervisorDriver.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final String binary;

    public CloudHypervisorDriver(String binary) {
        this.binary = binary;
    }

    @Override
    public Common.Backend backend() {
        return Common.Backend.CLOUD_HYPERVISOR;
    }

    @Override
    public boolean installed() {
        return Executables.find(binary).isPresent();
    }

    @Override
    public VmmInstance launch(VmmLaunch launch) {
        Path dir = launch.dir();
        Path socket = dir.resolve("api.sock");
        VmmProcesses.clean(socket, launch.consoleSocket());
        Process process = VmmProcesses.start(List.of(binary, "--api-socket", "path=" + socket), dir, launch.group());
        ChInstance instance = new ChInstance(process.pid(), dir);
        try {
            if (!VmmProcesses.awaitFile(socket, START_TIMEOUT, process)) {
                process.destroyForcibly();
                throw new VmmException("cloud-hypervisor did not open its API socket: " + VmmProcesses.logTail(dir));
            }
            CloudHypervisorApi api = new CloudHypervisorApi(socket);
            CloudHypervisorApi.Response ping = ping(api, process);
            api.require("vm.create", JSON.writeValueAsString(vmConfig(launch)));
            api.require("vm.boot", null);
            if (!instance.running()) {
                throw new IOException("vm.info does not report Running after vm.boot");
            }
            log.info("cloud-hypervisor {} started: pid {} ({})", launch.name(), process.pid(),
                    JSON.readTree(ping.body()).path("version").asString());
            return instance;
        } catch (IOException e) {
            instance.stop(Duration.ofSeconds(1));
            throw new VmmException("cloud-hypervisor could not boot " + launch.name() + ": " + e.getMessage() + " "
                    + VmmProcesses.logTail(dir), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new VmmException("interrupted while starting cloud-hypervisor", e);
        }
    }

    /** {@code vmm.ping}, retried while the socket exists but does not accept yet (bound, not listening). */
    private static CloudHypervisorApi.Response ping(CloudHypervisorApi api, Process process)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                CloudHypervisorApi.Response ping = api.get("vmm.ping");
                if (!ping.ok()) {
                    throw new IOException("vmm.ping answered " + ping.status());
                }
                return ping;
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    /** The {@code VmConfig} of {@code vm.create}. */
    static Map<String, Object> vmConfig(VmmLaunch launch) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("payload", Map.of("kernel", launch.closure().kernel().toString(),
                "initramfs", launch.closure().initrd().toString(), "cmdline", launch.commandLine()));
        config.put("cpus", Map.of("boot_vcpus", launch.cpus(), "max_vcpus", launch.cpus()));
        config.put("memory", Map.of("size", launch.memoryMb() * 1024 * 1024));
        List<Map<String, Object>> nets = new ArrayList<>();
        if (launch.network() instanceof GuestNetwork.User user) {
            nets.add(Map.of("tap", user.tap(), "mac", mac(launch.name()), "ip", user.linkHost(),
                    "mask", "255.255.255.252"));
        } else if (launch.network() instanceof GuestNetwork.Tap tap) {
            nets.add(Map.of("tap", tap.tap(), "mac", tap.mac()));
        }
        config.put("net", nets);
        config.put("rng", Map.of("src", "/dev/urandom"));
        config.put("serial", Map.of("mode", "Socket", "socket", launch.consoleSocket().toString()));
        config.put("console", Map.of("mode", "Off"));
        return config;
    }

    /** A locally administered MAC derived from the replica's name. */
    public static String mac(String name) {
        int hash = name.hashCode();
        return String.format("52:54:%02x:%02x:%02x:%02x", (hash >> 24) & 0xff, (hash >> 16) & 0xff,
                (hash >> 8) & 0xff, hash & 0xff);
    }

    @Override
    public Optional<VmmInstance> attach(Path dir, long pid) {
        return VmmProcesses.isVmmOf(pid, dir) ? Optional.of(new ChInstance(pid, dir)) : Optional.empty();
    }

    private record ChInstance(long pid, Path dir) implements VmmInstance {

        CloudHypervisorApi api() {
            return new CloudHypervisorApi(dir.resolve("api.sock"));
        }

        @Override
        public boolean running() {
            if (!VmmProcesses.isVmmOf(pid, dir)) {
                return false;
            }
            try {
                CloudHypervisorApi.Response info = api().get("vm.info");
                return info.ok() && JSON.readTree(info.body()).path("state").asString().equals("Running");
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void stop(Duration grace) {
            if (!VmmProcesses.isVmmOf(pid, dir)) {
                return;
            }
            CloudHypervisorApi api = api();
            try {
                api.put("vm.power-button", null);
                long deadline = System.nanoTime() + grace.toNanos();
                while (System.nanoTime() < deadline && running()) {
                    Thread.sleep(200);
                }
                if (VmmProcesses.isVmmOf(pid, dir)) {
                    api.put("vm.delete", null);     // shuts a still running VM down first
                    api.put("vmm.shutdown", null);
                }
            } catch (IOException e) {
                log.debug("cloud-hypervisor pid {} API gone while stopping: {}", pid, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!VmmProcesses.awaitExit(pid, Duration.ofSeconds(5))) {
                VmmProcesses.terminate(pid, Duration.ofSeconds(5));
            }
        }
    }
}
