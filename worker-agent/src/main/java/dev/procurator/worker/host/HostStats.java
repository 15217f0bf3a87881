package dev.procurator.worker.host;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.springframework.util.unit.DataSize;

import dev.procurator.worker.config.WorkerProperties;

/**
 * This host's capacity and usage, read from {@code /proc} and the data directory's file system: what the agent
 * announces when it registers and sends with heartbeats and {@code pushData}.
 */
public final class HostStats {

    private final Path dataDir;
    private final WorkerProperties properties;
    private long lastBusy = -1;
    private long lastTotal = -1;
    private double lastCpuUsed;

    public HostStats(Path dataDir, WorkerProperties properties) {
        this.dataDir = dataDir;
        this.properties = properties;
    }

    public record Capacity(double cpu, long memoryMb, long diskMb) {
    }

    public record Usage(double cpuUsed, long memoryUsedMb, long memoryTotalMb, long diskUsedMb, long diskTotalMb,
                        double loadAverage1m) {
    }

    /** What VMs may use in total: the host's CPUs and memory, capped by configuration. */
    public Capacity capacity() {
        double cpu = Runtime.getRuntime().availableProcessors();
        if (properties.maxCpu() > 0) {
            cpu = Math.min(cpu, properties.maxCpu());
        }
        long memoryMb = memInfo("MemTotal") / 1024;
        DataSize max = properties.maxMemory();
        if (max.toBytes() > 0) {
            memoryMb = Math.min(memoryMb, max.toMegabytes());
        }
        return new Capacity(cpu, memoryMb, disk()[0]);
    }

    public synchronized Usage usage() {
        long total = memInfo("MemTotal") / 1024;
        long available = memInfo("MemAvailable") / 1024;
        long[] disk = disk();
        return new Usage(cpuUsed(), total - available, total, disk[0] - disk[1], disk[0], loadAverage());
    }

    /** Cores busy since the previous call, from {@code /proc/stat}. */
    private double cpuUsed() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            long busy = total - idle;
            if (lastTotal >= 0 && total > lastTotal) {
                lastCpuUsed = (double) (busy - lastBusy) / (total - lastTotal) * Runtime.getRuntime().availableProcessors();
            }
            lastBusy = busy;
            lastTotal = total;
            return lastCpuUsed;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** A /proc/meminfo field in KiB. */
    private static long memInfo(String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/meminfo"));
            for (String line : lines) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** Total and free MiB of the data directory's file system. */
    private long[] disk() {
        try {
            FileStore store = Files.getFileStore(Files.createDirectories(dataDir));
            return new long[] {store.getTotalSpace() / (1024 * 1024), store.getUsableSpace() / (1024 * 1024)};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }
}
