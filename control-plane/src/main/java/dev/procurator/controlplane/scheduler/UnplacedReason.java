package dev.procurator.controlplane.scheduler;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Says why no worker can take a request, naming the stage that left no candidate: no Ready worker at all, none
 * with the required labels, or labelled ones without the free CPU, memory or both. Only unplaced requests pay for
 * it, so it may take its own pass over the workers.
 */
final class UnplacedReason {

    private UnplacedReason() {
    }

    static String explain(ClusterView view, ReplicaRequest request) {
        if (view.readyCount() == 0) {
            int notReady = view.size();
            return notReady == 0 ? "no Ready worker" : "no Ready worker (" + notReady + " draining or not Ready)";
        }
        Set<String> labels = request.requiredLabels();
        int[] labelled = view.readyWithLabels(labels);
        if (labelled.length == 0) {
            return "no Ready worker with " + labelPhrase(labels);
        }
        long milliCpu = ClusterView.milliCpu(request.cpu());
        int withCpu = 0;
        int withMemory = 0;
        for (int worker : labelled) {
            if (view.freeMilliCpu(worker) >= milliCpu) {
                withCpu++;
            }
            if (view.freeMemoryMb(worker) >= request.memoryMb()) {
                withMemory++;
            }
        }
        String cpu = cpuPhrase(request.cpu());
        String memory = request.memoryMb() + " MiB free";
        String missing;
        if (withCpu == 0 && withMemory == 0) {
            missing = cpu + " or " + memory;
        } else if (withCpu == 0) {
            missing = cpu;
        } else if (withMemory == 0) {
            missing = memory;
        } else {
            missing = "both " + cpu + " and " + memory;
        }
        String workers = labelled.length + " Ready worker" + (labelled.length == 1 ? "" : "s");
        String have = labels.isEmpty() ? ""
                : (labelled.length == 1 ? " has " : " have ") + labelPhrase(labels);
        return workers + have + " but none has " + missing;
    }

    private static String labelPhrase(Set<String> labels) {
        List<String> sorted = new ArrayList<>(labels);
        sorted.sort(null);
        if (sorted.size() == 1) {
            return "label " + sorted.getFirst();
        }
        return "labels " + String.join(", ", sorted.subList(0, sorted.size() - 1)) + " and " + sorted.getLast();
    }

    private static String cpuPhrase(double cpu) {
        String amount = BigDecimal.valueOf(cpu).stripTrailingZeros().toPlainString();
        return amount + " free CPU" + (cpu > 1 ? "s" : "");
    }
}
