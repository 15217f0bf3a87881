package dev.procurator.worker.master;

import java.util.List;

import org.capnproto.StructList;

import dev.procurator.schema.Common;
import dev.procurator.worker.host.HostStats;
import dev.procurator.worker.vm.ReplicaView;
import dev.procurator.worker.vm.VmSupervisor;
import dev.procurator.worker.vmm.VmmDrivers;

/** Writes what the agent observes into the contract's {@code VmStatus}, {@code HealthResult} and {@code WorkerMetrics}. */
final class StatusWriter {

    private StatusWriter() {
    }

    static void vms(List<ReplicaView> views, String workerId, StructList.Builder<Common.VmStatus.Builder> out) {
        for (int i = 0; i < views.size(); i++) {
            ReplicaView view = views.get(i);
            Common.VmStatus.Builder status = out.get(i);
            status.setVm(view.name());
            status.setReplica(view.replica());
            status.setWorkerId(workerId);
            status.setGeneration(view.generation());
            status.setStorePath(view.closure());
            status.setPhase(Common.VmPhase.valueOf(view.state().toUpperCase(java.util.Locale.ROOT)));
            status.setHealth(Common.Health.valueOf(view.health().toUpperCase(java.util.Locale.ROOT)));
            status.setHealthy(view.health().equals("healthy"));
            status.setMessage(view.message());
            status.setSinceMillis(view.sinceMillis());
            status.setAddress(view.address());
            var ports = status.initPorts(view.ports().size());
            for (int p = 0; p < view.ports().size(); p++) {
                ports.get(p).setGuest((short) view.ports().get(p).guest());
                ports.get(p).setHost((short) view.ports().get(p).host());
            }
            if (!view.backend().isEmpty()) {
                status.setBackend(VmmDrivers.backendOf(view.backend()));
            }
            status.setStartedAtMillis(view.startedAtMillis());
            Common.VmMetrics.Builder metrics = status.initMetrics();
            metrics.setCpuSeconds(view.metrics().cpuSeconds());
            metrics.setMemoryRssMb(view.metrics().memoryRssMb());
            metrics.setUptimeSeconds(view.metrics().uptimeSeconds());
            status.setSource(view.source());
            status.setRolledBackFrom(view.rolledBackFrom());
        }
    }

    static void health(List<VmSupervisor.HealthReport> reports, StructList.Builder<Common.HealthResult.Builder> out) {
        for (int i = 0; i < reports.size(); i++) {
            VmSupervisor.HealthReport report = reports.get(i);
            Common.HealthResult.Builder result = out.get(i);
            result.setVm(report.key().vm());
            result.setReplica(report.key().replica());
            result.setCheck(report.result().check());
            result.setHealthy(report.result().healthy());
            result.setMessage(report.result().message());
            result.setCheckedAtMillis(report.result().checkedAtMillis());
            result.setLatencyMillis((int) Math.min(Integer.MAX_VALUE, report.result().latencyMillis()));
        }
    }

    static void metrics(HostStats.Usage usage, int runningVms, Common.WorkerMetrics.Builder out) {
        out.setTimestampMillis(System.currentTimeMillis());
        out.setCpuUsed(usage.cpuUsed());
        out.setMemoryUsedMb(usage.memoryUsedMb());
        out.setMemoryTotalMb(usage.memoryTotalMb());
        out.setDiskUsedMb(usage.diskUsedMb());
        out.setDiskTotalMb(usage.diskTotalMb());
        out.setLoadAverage1m(usage.loadAverage1m());
        out.setRunningVms(runningVms);
    }
}
