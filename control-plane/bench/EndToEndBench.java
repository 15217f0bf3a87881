import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.procurator.capnp.rpc.CallContext;
import dev.procurator.capnp.rpc.RpcAddress;
import dev.procurator.capnp.rpc.RpcClient;
import dev.procurator.capnp.rpc.RpcOptions;
import dev.procurator.schema.Common;
import dev.procurator.schema.MasterRpc.Master;
import dev.procurator.schema.WorkerRpc.Worker;
import dev.procurator.schema.blueprint.Blueprint;
import dev.procurator.schema.blueprint.BlueprintCapnp;

/**
 * End-to-end benchmark of the control plane (a separate process, {@code java -jar control-plane.jar}): N simulated
 * workers in this process over real Cap'n Proto connections, each heartbeating every 5 s and long-polling its
 * assignment (woken by notify); one VM of one replica per worker. Each round publishes a generation that changes the
 * closure of K VMs and measures, per affected worker, the time from the publishState call to the worker holding the
 * new closure. Prints p50/p99/max per K, and the control plane's CPU time and RSS (from /proc).
 *
 * Usage: java -cp <classpath> EndToEndBench.java <rpc host:port> <control-plane pid> [workers] [rounds]
 */
public class EndToEndBench {

    static final class SimWorker extends Worker.Server {
        final String id;
        final Map<String, String> held = new ConcurrentHashMap<>();
        volatile long revision = -1;
        volatile Master.Client master;
        volatile CompletableFuture<Void> wake = new CompletableFuture<>();
        volatile Map<String, Long> waitingFor = Map.of();   // vm -> publish start (nanos)
        final List<Long> latencies;

        SimWorker(String id, List<Long> latencies) {
            this.id = id;
            this.latencies = latencies;
        }

        @Override
        protected java.util.concurrent.CompletionStage<?> notify(
                CallContext<Worker.NotifyParams.Reader, Worker.NotifyResults.Builder> call) {
            if (call.params().getRevision() != revision) {
                master.getAssignment(p -> {
                    p.setWorkerId(id);
                    p.setKnownRevision(revision);
                    p.setTimeoutMillis(1);
                }).thenAccept(r -> accept(r.getAssignment()));
            }
            return null;
        }

        void poll() {
            master.getAssignment(p -> {
                p.setWorkerId(id);
                p.setKnownRevision(revision);
                p.setTimeoutMillis(30_000);
            }).whenComplete((r, e) -> {
                if (e == null) {
                    accept(r.getAssignment());
                }
                poll();
            });
        }

        synchronized void accept(Common.Assignment.Reader assignment) {
            if (Long.compareUnsigned(assignment.getRevision(), revision) <= 0 && revision != -1) {
                return;
            }
            revision = assignment.getRevision();
            long now = System.nanoTime();
            held.clear();
            for (Common.AssignedVm.Reader vm : assignment.getVms()) {
                String name = vm.getVm().toString();
                String path = vm.getStorePath().toString();
                held.put(name, path);
                Long started = waitingFor.get(name + " " + path);
                if (started != null) {
                    latencies.add(now - started);
                }
            }
            push();
        }

        void push() {
            Map<String, String> snapshot = Map.copyOf(held);
            master.pushData(p -> {
                p.setWorkerId(id);
                var vms = p.initVms(snapshot.size());
                int i = 0;
                for (var e : snapshot.entrySet()) {
                    Common.VmStatus.Builder s = vms.get(i++);
                    s.setVm(e.getKey());
                    s.setStorePath(e.getValue());
                    s.setWorkerId(id);
                    s.setPhase(Common.VmPhase.RUNNING);
                    s.setHealth(Common.Health.HEALTHY);
                    s.setHealthy(true);
                }
                p.initMetrics().setRunningVms(snapshot.size());
            });
        }
    }

    public static void main(String[] args) throws Exception {
        String address = args[0];
        long pid = Long.parseLong(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<SimWorker> workers = new ArrayList<>();
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

        long t0 = System.nanoTime();
        CountDownLatch registered = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            SimWorker worker = new SimWorker(String.format("bench-%04d", i), latencies);
            RpcClient client = RpcClient.connect(RpcAddress.parse(address), RpcOptions.DEFAULT, worker);
            worker.master = client.bootstrap(Master.Client::new);
            worker.master.registerWorker(p -> {
                Common.WorkerInfo.Builder info = p.initInfo();
                info.setWorkerId(worker.id);
                info.setHostname(worker.id);
                info.setApiUrl("http://" + worker.id + ":7450");
                info.initCapacity().setCpu(2);
                info.getCapacity().setMemoryMb(1024);
                p.setWorker(new Worker.Client(worker));
            }).thenRun(() -> {
                worker.poll();
                registered.countDown();
            });
            heartbeats.scheduleAtFixedRate(() -> worker.master.heartbeat(p -> p.setWorkerId(worker.id)),
                    5000 + i * 5L, 5000, TimeUnit.MILLISECONDS);
            workers.add(worker);
        }
        registered.await(300, TimeUnit.SECONDS);
        System.out.printf("%d workers registered and long-polling in %.1f s%n", count, (System.nanoTime() - t0) / 1e9);

        RpcClient ci = RpcClient.connect(RpcAddress.parse(address));
        Master.Client master = ci.bootstrap(Master.Client::new);
        Map<String, String> closures = new TreeMap<>();
        Map<String, Blueprint.Vm> vms = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String vm = String.format("vm-%04d", i);
            vms.put(vm, new Blueprint.Vm("bench", 1, new Blueprint.Memory(256, "MB", 256), List.of(), 1, List.of(),
                    new Blueprint.Deployment(null, "qemu", "root", 22, List.of(), true,
                            Blueprint.Strategy.rolling(1, 0, 60, 120))));
            closures.put(vm, closure(vm, 0));
        }
        long started = System.nanoTime();
        publish(master, vms, closures, 0, workers, Map.of());
        awaitAll(workers, closures, Duration.ofSeconds(300));
        System.out.printf("first generation (%d VMs) placed and held by every worker in %.1f s%n", count,
                (System.nanoTime() - started) / 1e9);
        Thread.sleep(3000);

        long cpuBefore = cpuTicks(pid);
        long wallBefore = System.nanoTime();
        int generation = 0;
        System.out.println("changed VMs | publishState p50 ms | to every worker: p50 ms | p99 ms | max ms | rounds");
        for (int changed : new int[] {1, 10, 100, count}) {
            List<Long> publishTimes = new ArrayList<>();
            latencies.clear();
            for (int round = 0; round < rounds; round++) {
                generation++;
                Map<String, Long> waiting = new ConcurrentHashMap<>();
                long start = System.nanoTime();
                List<String> names = new ArrayList<>(closures.keySet());
                Collections.shuffle(names);
                for (String vm : names.subList(0, changed)) {
                    closures.put(vm, closure(vm, generation));
                    waiting.put(vm + " " + closures.get(vm), start);
                }
                workers.forEach(w -> w.waitingFor = waiting);
                publish(master, vms, closures, generation, workers, waiting);
                publishTimes.add(System.nanoTime() - start);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (latencies.size() < (round + 1L) * changed && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                Thread.sleep(500);     // let the rollouts finish (pushData) before the next round
            }
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            Collections.sort(publishTimes);
            System.out.printf("%11d | %19.1f | %23.1f | %6.1f | %6.1f | %d (%d/%d deliveries)%n", changed,
                    ms(publishTimes.get(publishTimes.size() / 2)), ms(percentile(sorted, 50)),
                    ms(percentile(sorted, 99)), ms(sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)), rounds,
                    sorted.size(), (long) rounds * changed);
        }
        double wall = (System.nanoTime() - wallBefore) / 1e9;
        double cpu = (cpuTicks(pid) - cpuBefore) / 100.0;
        System.out.printf("control plane: %.1f s CPU over %.1f s (%.0f%% of one core), RSS %d MiB%n", cpu, wall,
                100 * cpu / wall, rssKb(pid) / 1024);
        long idleCpu = cpuTicks(pid);
        Thread.sleep(10_000);
        System.out.printf("control plane idle with %d heartbeating, long-polling workers: %.0f%% of one core%n",
                count, (cpuTicks(pid) - idleCpu) / 100.0 / 10 * 100);
        System.exit(0);
    }

    static String closure(String vm, int generation) {
        return String.format("/nix/store/%032d-%s-g%d", generation, vm, generation);
    }

    static void publish(Master.Client master, Map<String, Blueprint.Vm> vms, Map<String, String> closures,
                        int generation, List<SimWorker> workers, Map<String, Long> waiting) throws Exception {
        Blueprint blueprint = new Blueprint(new TreeMap<>(vms));
        master.publishState(p -> {
            Common.Generation.Builder g = p.initGeneration();
            g.setRepository("bench/cluster");
            g.setBranch("main");
            g.setGitCommit("commit-" + generation);
            BlueprintCapnp.write(blueprint, g.initBlueprint(vms.size()));
            var list = g.initClosures(closures.size());
            int i = 0;
            for (var e : closures.entrySet()) {
                list.get(i).setVm(e.getKey());
                list.get(i).setStorePath(e.getValue());
                i++;
            }
        }).get(120, TimeUnit.SECONDS);
    }

    static void awaitAll(List<SimWorker> workers, Map<String, String> closures, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long held = workers.stream().mapToLong(w -> w.held.entrySet().stream()
                    .filter(e -> e.getValue().equals(closures.get(e.getKey()))).count()).sum();
            if (held == closures.size()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("not every VM was assigned within " + timeout);
    }

    static long percentile(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static long cpuTicks(long pid) throws IOException {
        String[] fields = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst("^.*\\) ", "").split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);     // utime + stime
    }

    static long rssKb(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
    }
}
