package dev.procurator.worker.config;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.TaskScheduler;

import dev.procurator.common.config.ProcuratorProperties;
import dev.procurator.common.process.ProcessRunner;
import dev.procurator.worker.cgroup.Cgroups;
import dev.procurator.worker.closure.CacheResolver;
import dev.procurator.worker.closure.ClosureStore;
import dev.procurator.worker.health.HealthProbe;
import dev.procurator.worker.host.HostStats;
import dev.procurator.worker.master.MasterLink;
import dev.procurator.worker.network.TapDevices;
import dev.procurator.worker.vm.ReplicaFiles;
import dev.procurator.worker.vm.StatusChanges;
import dev.procurator.worker.vm.VmSupervisor;
import dev.procurator.worker.vmm.VmmDrivers;
import dev.procurator.worker.vmm.cloudhypervisor.CloudHypervisorDriver;
import dev.procurator.worker.vmm.qemu.QemuDriver;

/**
 * The agent's parts, wired once. Everything on disk lives under the data dir: {@code vms/<vm>.<replica>/} (records,
 * VMM sockets and logs, console logs) and {@code gcroots/} (the closures it pins). Background work runs on Spring's
 * {@code applicationTaskExecutor} and {@code taskScheduler}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerProperties.class)
class WorkerConfiguration {

    @Bean
    ReplicaFiles replicaFiles(ProcuratorProperties procurator) {
        return new ReplicaFiles(procurator.dataDir().resolve("vms"));
    }

    @Bean
    ClosureStore closureStore(ProcessRunner runner, ProcuratorProperties procurator) {
        return new ClosureStore(runner, procurator.dataDir().resolve("gcroots"));
    }

    @Bean
    VmmDrivers vmmDrivers(WorkerProperties properties, ProcessRunner runner) {
        return new VmmDrivers(List.of(new CloudHypervisorDriver(properties.cloudHypervisor()),
                new QemuDriver(properties, runner)), properties.missingBackend());
    }

    @Bean
    Cgroups cgroups(WorkerProperties properties) {
        return Cgroups.detect(Path.of("/sys/fs/cgroup"), properties.cgroupParent() + "/" + properties.id());
    }

    @Bean
    HostStats hostStats(ProcuratorProperties procurator, WorkerProperties properties) {
        return new HostStats(procurator.dataDir(), properties);
    }

    @Bean
    VmSupervisor vmSupervisor(WorkerProperties properties, ReplicaFiles files, ClosureStore closures,
                              VmmDrivers drivers, Cgroups cgroups, ProcessRunner runner, TaskScheduler scheduler,
                              @Qualifier("applicationTaskExecutor") Executor executor, StatusChanges changes) {
        return new VmSupervisor(properties, files, closures, drivers, cgroups,
                new TapDevices(runner, properties.bridge()), new HealthProbe(runner), scheduler, executor, changes);
    }

    @Bean
    MasterLink masterLink(WorkerProperties properties, ProcuratorProperties procurator, VmSupervisor supervisor,
                          HostStats host, VmmDrivers drivers, CacheResolver caches, StatusChanges changes,
                          @Qualifier("applicationTaskExecutor") Executor executor, TaskScheduler scheduler,
                          Environment env) {
        return new MasterLink(properties, procurator.controlPlaneRpc(), () -> apiUrl(env, procurator), supervisor,
                host, drivers, caches, changes, executor, scheduler);
    }

    /**
     * The URL announced as {@code apiUrl}: {@code PROCURATOR_WORKER_AGENT_URL} when set, else this host's name and
     * the port the web server really listens on (known once it started, before the agent registers).
     */
    static String apiUrl(Environment env, ProcuratorProperties procurator) {
        String configured = env.getProperty("procurator.worker-agent-url");
        if (configured != null && !configured.isBlank()) {
            return procurator.workerAgentUrl();
        }
        return "http://" + HostName.get() + ":" + env.getProperty("local.server.port", "7450");
    }
}
