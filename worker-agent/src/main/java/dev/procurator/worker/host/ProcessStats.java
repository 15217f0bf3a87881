package dev.procurator.worker.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a VMM, from {@code /proc/<pid>}: the process and its descendants (a VMM that runs
 * helpers, as the cloud-hypervisor stand-in runs QEMU, is counted whole).
 */
public record ProcessStats(double cpuSeconds, long rssMb) {

    public static ProcessStats ofTree(long pid) {
        ProcessStats total = of(pid);
        for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(java.util.List.of())) {
            ProcessStats stats = of(child.pid());
            total = new ProcessStats(total.cpuSeconds + stats.cpuSeconds, total.rssMb + stats.rssMb);
        }
        return total;
    }

    private static final double CLOCK_TICKS = 100.0;   // USER_HZ on Linux

    public static ProcessStats of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name (which may contain spaces) start after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
            long rssKb = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rssKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new ProcessStats(cpu, rssKb / 1024);
        } catch (IOException | RuntimeException e) {
            return new ProcessStats(0, 0);
        }
    }
}
