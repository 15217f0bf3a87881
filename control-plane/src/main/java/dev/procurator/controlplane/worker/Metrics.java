package dev.procurator.controlplane.worker;

import dev.procurator.schema.Common;

/** A worker's host metrics (WorkerMetrics), kept as JSON with the worker. */
public record Metrics(long timestampMillis, double cpuUsed, long memoryUsedMb, long memoryTotalMb, long diskUsedMb,
                      long diskTotalMb, double loadAverage1m, int runningVms) {

    public static Metrics of(Common.WorkerMetrics.Reader in) {
        return new Metrics(in.getTimestampMillis(), in.getCpuUsed(), in.getMemoryUsedMb(), in.getMemoryTotalMb(),
                in.getDiskUsedMb(), in.getDiskTotalMb(), in.getLoadAverage1m(), in.getRunningVms());
    }

    public void write(Common.WorkerMetrics.Builder out) {
        out.setTimestampMillis(timestampMillis);
        out.setCpuUsed(cpuUsed);
        out.setMemoryUsedMb(memoryUsedMb);
        out.setMemoryTotalMb(memoryTotalMb);
        out.setDiskUsedMb(diskUsedMb);
        out.setDiskTotalMb(diskTotalMb);
        out.setLoadAverage1m(loadAverage1m);
        out.setRunningVms(runningVms);
    }
}
