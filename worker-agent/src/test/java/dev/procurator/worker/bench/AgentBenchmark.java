package dev.procurator.worker.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.common.testing.RequiresTool;
import dev.procurator.worker.network.Ports;
import dev.procurator.worker.testing.GuestKit;
import dev.procurator.worker.testing.TestAgent;
import dev.procurator.worker.testing.TestMaster;
import dev.procurator.worker.testing.TestVms;
import dev.procurator.worker.vmm.KernelOptions;
import tools.jackson.databind.JsonNode;

/**
 * The worker agent's benchmark (worker-agent/bench/run.sh): assignment received → VM healthy through the agent,
 * split into fetch / VMM start / guest boot / first green check, next to a bare {@code qemu-system-x86_64} launch of
 * the same kernel and initrd timed to the same check, alternated in the same run; then 10 VMs assigned at once → all
 * healthy, against 10 bare launches at once. Not a test (no assertion on time): it prints.
 */
@RequiresTool({"qemu-system-x86_64", "nix"})
class AgentBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int MANY = Integer.getInteger("bench.many", 10);

    @TempDir
    Path tmp;

    @Test
    void run() throws Exception {
        GuestKit.Kit kit = GuestKit.shared();
        try (TestMaster master = TestMaster.start()) {
            master.cache(kit.cacheUrl(), kit.publicKey());
            Path dataDir = tmp.resolve("agent");
            try (TestAgent agent = TestAgent.start(dataDir, master.address())) {
                List<long[]> agentRounds = new ArrayList<>();
                List<Long> bareRounds = new ArrayList<>();
                header();
                for (int round = 0; round < ROUNDS; round++) {
                    agentRounds.add(agentBoot(master, agent, kit.v1()));
                    bareRounds.add(bareBoots(kit.v1(), 1));
                    row(round, agentRounds.get(round), bareRounds.get(round));
                }
                long agentMany = agentMany(master, agent, kit.v1(), MANY);
                long bareMany = bareBoots(kit.v1(), MANY);
                print(agentRounds, bareRounds, agentMany, bareMany);
            } finally {
                TestAgent.killVms(dataDir);
            }
        }
    }

    /** {total, fetch, vmmStart, guestBoot, firstGreen} in ms for one VM through the agent, then stops it. */
    private static long[] agentBoot(TestMaster master, TestAgent agent, String closure) throws Exception {
        long start = System.nanoTime();
        master.assign(List.of(new TestMaster.Vm("bench", 0, TestVms.web("qemu"), closure, "")));
        JsonNode vm = awaitHealthy(agent, 1).get(0);
        long total = (System.nanoTime() - start) / 1_000_000;
        JsonNode t = vm.path("timings");
        long[] result = {total, t.path("fetch").asLong(), t.path("vmmStart").asLong(), t.path("guestBoot").asLong(),
                t.path("firstGreen").asLong()};
        master.assign(List.of());
        awaitEmpty(agent);
        return result;
    }

    private static long agentMany(TestMaster master, TestAgent agent, String closure, int count) throws Exception {
        List<TestMaster.Vm> vms = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            vms.add(new TestMaster.Vm("bench", i, TestVms.web("qemu"), closure, ""));
        }
        long start = System.nanoTime();
        master.assign(vms);
        awaitHealthy(agent, count);
        long total = (System.nanoTime() - start) / 1_000_000;
        master.assign(List.of());
        awaitEmpty(agent);
        return total;
    }

    private static JsonNode awaitHealthy(TestAgent agent, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            JsonNode vms = agent.json("/api/v1/vms");
            int healthy = 0;
            for (JsonNode vm : vms) {
                healthy += vm.path("health").asString().equals("healthy") ? 1 : 0;
            }
            if (healthy == count) {
                return vms;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("VMs not healthy within 5 minutes: " + agent.json("/api/v1/vms"));
    }

    private static void awaitEmpty(TestAgent agent) throws Exception {
        while (!agent.json("/api/v1/vms").isEmpty()) {
            Thread.sleep(100);
        }
    }

    /**
     * {@code count} bare QEMU launches at once of the closure's kernel and initrd, with the agent's own options;
     * ms until every one answers the same check (GET /health = 200). The guests are then killed.
     */
    private long bareBoots(String closure, int count) throws Exception {
        List<Process> processes = new ArrayList<>();
        int[] ports = new int[count];
        String params = Files.readString(Path.of(closure, "kernel-params")).strip();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                ports[i] = Ports.freeLoopbackPort();
                processes.add(new ProcessBuilder("qemu-system-x86_64", "-accel", "tcg,tb-size=32", "-M", "microvm",
                        "-cpu", "max", "-m", "128M", "-smp", "1", "-nodefaults", "-no-user-config", "-display", "none",
                        "-serial", "null", "-kernel", closure + "/kernel", "-initrd", closure + "/initrd",
                        "-append", params + " init=" + closure + "/init " + KernelOptions.CLOCK,
                        "-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:" + ports[i] + "-:80",
                        "-device", "virtio-net-device,netdev=n0", "-device", "virtio-rng-device")
                        .redirectErrorStream(true).redirectOutput(tmp.resolve("bare-" + i + ".log").toFile()).start());
            }
            boolean[] up = new boolean[count];
            int remaining = count;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (remaining > 0 && System.nanoTime() < deadline) {
                for (int i = 0; i < count; i++) {
                    if (!up[i] && healthy(ports[i])) {
                        up[i] = true;
                        remaining--;
                    }
                }
                Thread.sleep(20);
            }
            return (System.nanoTime() - start) / 1_000_000;
        } finally {
            for (Process process : processes) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean healthy(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void header() {
        System.out.println();
        System.out.println("worker-agent benchmark: assignment received -> VM healthy (ms), QEMU/TCG, "
                + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.printf("%-7s %8s %8s %10s %11s %12s %10s %10s%n", "round", "agent", "fetch", "vmm start",
                "guest boot", "first green", "bare qemu", "overhead");
    }

    private static void row(int round, long[] a, long bare) {
        System.out.printf("%-7d %8d %8d %10d %11d %12d %10d %+10d%n", round + 1, a[0], a[1], a[2], a[3], a[4], bare,
                a[0] - bare);
    }

    private static void print(List<long[]> agent, List<Long> bare, long agentMany, long bareMany) {
        long medianAgent = median(agent.stream().mapToLong(a -> a[0]).toArray());
        long medianBare = median(bare.stream().mapToLong(Long::longValue).toArray());
        System.out.printf("median  agent %d ms, bare %d ms: overhead %+d ms per VM (target <= 300), ratio %.2fx%n",
                medianAgent, medianBare, medianAgent - medianBare, (double) medianAgent / medianBare);
        System.out.printf("%d VMs at once: agent %d ms, bare %d ms: ratio %.2fx, overhead %+d ms%n", MANY, agentMany,
                bareMany, (double) agentMany / bareMany, agentMany - bareMany);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
