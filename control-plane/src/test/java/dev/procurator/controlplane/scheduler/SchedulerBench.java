package dev.procurator.controlplane.scheduler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The scheduler's benchmark (not a test; run by {@code control-plane/bench/scheduler.sh}): 2,000 VMs × 5 replicas
 * with mixed CPU, memory and labels onto 1,000 mixed workers, under each policy. It reports
 * <ul>
 *   <li>decisions per second of whole {@link Scheduler#plan} calls (cluster view and label index included);</li>
 *   <li>p50, p99 and max of single decisions, timed one by one through the {@link Planner} loop;</li>
 *   <li>the same-run reference: a bare pass over the workers' free CPU and memory per request (best fit on two
 *       arrays, no labels, no anti-affinity, no records), the floor of any scheduler that looks at every worker;</li>
 *   <li>the targets (≥ 5,000 placements/s, p99 < 10 ms) and Nomad's published C1M rate.</li>
 * </ul>
 * Warm-up plans run first so the JIT has compiled the loop. Inputs come from a fixed seed: every run plans the same.
 */
final class SchedulerBench {

    private static final double TARGET_PER_SECOND = 5_000;
    private static final double TARGET_P99_MS = 10;
    /** Nomad's C1M (2016): one million containers on 5,000 hosts in under five minutes. */
    private static final double NOMAD_C1M_PER_SECOND = 3_300;

    private static final String[] WORKER_LABELS = {"ssd", "storage", "gpu", "edge"};
    private static final double[] WORKER_LABEL_ODDS = {0.4, 0.2, 0.05, 0.1};

    public static void main(String[] args) {
        int workerCount = Integer.getInteger("bench.workers", 1_000);
        int vmCount = Integer.getInteger("bench.vms", 2_000);
        int replicaCount = Integer.getInteger("bench.replicas", 5);
        int warmups = Integer.getInteger("bench.warmups", 10);
        int runs = Integer.getInteger("bench.runs", 5);
        Random random = new Random(Long.getLong("bench.seed", 42));
        ClusterState state = cluster(random, workerCount);
        List<ReplicaRequest> requests = requests(random, vmCount, replicaCount);

        System.out.printf(Locale.ROOT, "scheduler: %,d replicas (%,d VMs x %d) onto %,d workers; %d warm-up and %d "
                        + "measured runs per policy; %d CPUs, Java %s%n", requests.size(), vmCount, replicaCount,
                workerCount, warmups, runs, Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        boolean met = true;
        for (ScoringPolicy policy : ScoringPolicy.values()) {
            met &= bench(policy, state, requests, warmups, runs);
        }
        System.out.println(met ? "all targets met" : "TARGET MISSED");
        if (!met) {
            System.exit(1);
        }
    }

    private static boolean bench(ScoringPolicy policy, ClusterState state, List<ReplicaRequest> requests,
                                 int warmups, int runs) {
        Scheduler scheduler = new Scheduler(policy);
        for (int i = 0; i < warmups; i++) {
            scheduler.plan(state, requests);
            timeEachDecision(policy, state, requests);
            bareScan(state, requests);
        }
        double[] rates = new double[runs];
        double[] p99s = new double[runs];
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            Plan plan = scheduler.plan(state, requests);
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] decisions = timeEachDecision(policy, state, requests);
            long floorStart = System.nanoTime();
            bareScan(state, requests);
            double floorSeconds = (System.nanoTime() - floorStart) / 1e9;

            rates[run] = requests.size() / seconds;
            p99s[run] = percentile(decisions, 0.99) / 1e6;
            System.out.printf(Locale.ROOT, "%-8s run %d: %,9.0f decisions/s (%,d placed, %,d unplaced, plan %.1f ms)"
                            + " | per decision p50 %.1f µs, p99 %.1f µs, max %.2f ms | bare scan %,.0f/s, "
                            + "scheduler at %.2fx of it%n",
                    policy, run + 1, rates[run], plan.placements().size(), plan.unplaced().size(), seconds * 1e3,
                    percentile(decisions, 0.5) / 1e3, p99s[run] * 1e3, decisions[decisions.length - 1] / 1e6,
                    requests.size() / floorSeconds, floorSeconds / seconds);
        }
        printReasons(scheduler.plan(state, requests));
        Arrays.sort(rates);
        Arrays.sort(p99s);
        boolean met = rates[0] >= TARGET_PER_SECOND && p99s[runs - 1] < TARGET_P99_MS;
        System.out.printf(Locale.ROOT, "%-8s min %,.0f / median %,.0f decisions/s (target >= %,.0f: %.0fx; Nomad "
                        + "C1M ~%,.0f/s: %.0fx), worst p99 %.3f ms (target < %.0f ms): %s%n",
                policy, rates[0], rates[runs / 2], TARGET_PER_SECOND, rates[0] / TARGET_PER_SECOND,
                NOMAD_C1M_PER_SECOND, rates[0] / NOMAD_C1M_PER_SECOND, p99s[runs - 1], TARGET_P99_MS,
                met ? "met" : "MISSED");
        return met;
    }

    /** The unplaced requests' reasons, most frequent first: what the plan could not do, and why. */
    private static void printReasons(Plan plan) {
        Map<String, Long> counts = plan.unplaced().stream()
                .collect(Collectors.groupingBy(Unplaced::reason, TreeMap::new, Collectors.counting()));
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .forEach(reason -> System.out.printf(Locale.ROOT, "         unplaced %,5d x %s%n",
                        reason.getValue(), reason.getKey()));
    }

    /** Decides the requests one by one through the plan loop; returns each decision's nanoseconds, sorted. */
    private static long[] timeEachDecision(ScoringPolicy policy, ClusterState state, List<ReplicaRequest> requests) {
        Planner planner = new Planner(policy, state);
        long[] nanos = new long[requests.size()];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            planner.decide(requests.get(i));
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /** The reference: best fit over two arrays of free capacity, one pass per request, nothing else. */
    private static int bareScan(ClusterState state, List<ReplicaRequest> requests) {
        int workers = state.workers().size();
        double[] freeCpu = new double[workers];
        long[] freeMemory = new long[workers];
        for (int i = 0; i < workers; i++) {
            WorkerCapacity worker = state.workers().get(i);
            freeCpu[i] = worker.cpu() - worker.cpuAllocated();
            freeMemory[i] = worker.memoryMb() - worker.memoryMbAllocated();
        }
        int placed = 0;
        for (ReplicaRequest request : requests) {
            int best = -1;
            for (int i = 0; i < workers; i++) {
                if (freeCpu[i] >= request.cpu() && freeMemory[i] >= request.memoryMb()
                        && (best < 0 || freeCpu[i] < freeCpu[best])) {
                    best = i;
                }
            }
            if (best >= 0) {
                freeCpu[best] -= request.cpu();
                freeMemory[best] -= request.memoryMb();
                placed++;
            }
        }
        return placed;
    }

    private static double percentile(long[] sorted, double fraction) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(fraction * sorted.length) - 1)];
    }

    /**
     * Workers of three sizes, each label with its own odds, 3% draining, up to a third already allocated, and
     * 5,000 replicas of other VMs already running (the anti-affinity table is not empty).
     */
    private static ClusterState cluster(Random random, int count) {
        int[] cpus = {16, 32, 64};
        long[] memories = {65_536, 131_072, 262_144};
        List<WorkerCapacity> workers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = random.nextInt(cpus.length);
            Set<String> labels = new HashSet<>();
            for (int l = 0; l < WORKER_LABELS.length; l++) {
                if (random.nextDouble() < WORKER_LABEL_ODDS[l]) {
                    labels.add(WORKER_LABELS[l]);
                }
            }
            double used = random.nextDouble() / 3;
            workers.add(new WorkerCapacity("worker-%04d".formatted(i), random.nextDouble() >= 0.03, labels,
                    cpus[size], memories[size], Math.floor(cpus[size] * used), (long) (memories[size] * used)));
        }
        List<ExistingReplica> running = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String worker = workers.get(random.nextInt(count)).id();
            running.add(new ExistingReplica("running-" + random.nextInt(1_000), worker));
        }
        return new ClusterState(workers, running);
    }

    /** VMs of 0.5 to 4 CPUs and 512 MiB to 8 GiB; 70% need no label, the rest ssd, storage, gpu or two labels. */
    private static List<ReplicaRequest> requests(Random random, int vms, int replicas) {
        double[] cpus = {0.5, 1, 1, 2, 2, 4};
        long[] memories = {512, 1_024, 2_048, 2_048, 4_096, 8_192};
        List<Set<String>> labelChoices = List.of(Set.of("ssd"), Set.of("ssd"), Set.of("storage"), Set.of("gpu"),
                Set.of("ssd", "storage"), Set.of("edge"));
        List<ReplicaRequest> requests = new ArrayList<>();
        for (int vm = 0; vm < vms; vm++) {
            double cpu = cpus[random.nextInt(cpus.length)];
            long memory = memories[random.nextInt(memories.length)];
            Set<String> labels = random.nextDouble() < 0.7 ? Set.of()
                    : labelChoices.get(random.nextInt(labelChoices.size()));
            for (int replica = 0; replica < replicas; replica++) {
                requests.add(new ReplicaRequest("vm-%04d".formatted(vm), replica, cpu, memory, labels));
            }
        }
        return requests;
    }
}
