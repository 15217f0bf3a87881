package dev.procurator.controlplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Properties of every plan, over random clusters (draining workers, labels, partly used or over-committed workers,
 * replicas already running, some on workers gone from the state) and random requests, under both policies.
 */
class SchedulerPropertiesTest {

    private static final List<String> LABELS = List.of("gpu", "ssd", "storage", "edge");
    private static final List<String> VMS = List.of("web", "db", "cache", "queue", "ml", "api");

    record Scenario(ClusterState state, List<ReplicaRequest> requests) {
    }

    @Property(tries = 400)
    void everyRequestIsPlacedOrUnplacedOnceWithAReason(@ForAll("scenarios") Scenario scenario,
                                                       @ForAll ScoringPolicy policy) {
        Plan plan = new Scheduler(policy).plan(scenario.state(), scenario.requests());

        List<ReplicaRequest> decided = new ArrayList<>();
        plan.placements().forEach(placement -> decided.add(placement.request()));
        plan.unplaced().forEach(unplaced -> decided.add(unplaced.request()));
        assertThat(decided).containsExactlyInAnyOrderElementsOf(scenario.requests());
        assertThat(plan.unplaced()).allSatisfy(unplaced -> assertThat(unplaced.reason()).isNotBlank());
        // each list keeps the order of the requests
        assertInRequestOrder(scenario.requests(), plan.placements().stream().map(Placement::request).toList());
        assertInRequestOrder(scenario.requests(), plan.unplaced().stream().map(Unplaced::request).toList());
    }

    private static void assertInRequestOrder(List<ReplicaRequest> requests, List<ReplicaRequest> decided) {
        if (!decided.isEmpty()) {
            assertThat(requests).containsSubsequence(decided);
        }
    }

    @Property(tries = 400)
    void neverOverCommitsAWorker(@ForAll("scenarios") Scenario scenario, @ForAll ScoringPolicy policy) {
        Plan plan = new Scheduler(policy).plan(scenario.state(), scenario.requests());

        Map<String, Double> cpu = new HashMap<>();
        Map<String, Long> memory = new HashMap<>();
        for (Placement placement : plan.placements()) {
            cpu.merge(placement.workerId(), placement.request().cpu(), Double::sum);
            memory.merge(placement.workerId(), placement.request().memoryMb(), Long::sum);
        }
        for (WorkerCapacity worker : scenario.state().workers()) {
            if (cpu.containsKey(worker.id())) {
                assertThat(worker.cpuAllocated() + cpu.get(worker.id())).as("CPU of %s", worker.id())
                        .isLessThanOrEqualTo(worker.cpu());
                assertThat(worker.memoryMbAllocated() + memory.get(worker.id())).as("memory of %s", worker.id())
                        .isLessThanOrEqualTo(worker.memoryMb());
            }
        }
    }

    @Property(tries = 400)
    void placesOnlyOnReadyWorkersWithEveryRequiredLabel(@ForAll("scenarios") Scenario scenario,
                                                        @ForAll ScoringPolicy policy) {
        Plan plan = new Scheduler(policy).plan(scenario.state(), scenario.requests());

        Map<String, WorkerCapacity> workers = new HashMap<>();
        scenario.state().workers().forEach(worker -> workers.put(worker.id(), worker));
        assertThat(plan.placements()).allSatisfy(placement -> {
            WorkerCapacity worker = workers.get(placement.workerId());
            assertThat(worker).as("a worker of the state").isNotNull();
            assertThat(worker.acceptsReplicas()).as("%s accepts replicas", worker.id()).isTrue();
            assertThat(worker.labels()).containsAll(placement.request().requiredLabels());
        });
    }

    /** Replayed in request order: each placement was feasible then, each unplaced request had no feasible worker. */
    @Property(tries = 400)
    void anUnplacedRequestReallyHadNoFeasibleWorker(@ForAll("scenarios") Scenario scenario,
                                                    @ForAll ScoringPolicy policy) {
        Plan plan = new Scheduler(policy).plan(scenario.state(), scenario.requests());

        Replay replay = new Replay(scenario.state());
        Map<ReplicaRequest, String> placedOn = placedOn(plan);
        for (ReplicaRequest request : scenario.requests()) {
            String worker = placedOn.get(request);
            if (worker == null) {
                assertThat(replay.feasibleWorkers(request)).as("feasible workers for unplaced %s", request).isEmpty();
            } else {
                assertThat(replay.feasible(worker, request)).as("%s feasible on %s", request, worker).isTrue();
                replay.place(worker, request);
            }
        }
    }

    /** The reason names the stage that left no worker: Ready workers, then the labels, then the CPU or memory. */
    @Property(tries = 400)
    void theReasonNamesWhatIsMissing(@ForAll("scenarios") Scenario scenario, @ForAll ScoringPolicy policy) {
        Plan plan = new Scheduler(policy).plan(scenario.state(), scenario.requests());

        Replay replay = new Replay(scenario.state());
        Map<ReplicaRequest, String> placedOn = placedOn(plan);
        Map<ReplicaRequest, String> reasons = new HashMap<>();
        plan.unplaced().forEach(unplaced -> reasons.put(unplaced.request(), unplaced.reason()));
        for (ReplicaRequest request : scenario.requests()) {
            String worker = placedOn.get(request);
            if (worker != null) {
                replay.place(worker, request);
                continue;
            }
            String reason = reasons.get(request);
            List<String> labelled = replay.readyWithLabels(request.requiredLabels());
            if (replay.readyWithLabels(Set.of()).isEmpty()) {
                assertThat(reason).startsWith("no Ready worker").doesNotContain("label", "free");
            } else if (labelled.isEmpty()) {
                assertThat(reason).startsWith("no Ready worker with label").doesNotContain("free");
                request.requiredLabels().forEach(label -> assertThat(reason).contains(label));
            } else {
                assertThat(reason).startsWith(labelled.size() + " Ready worker").contains("but none has");
                if (labelled.stream().noneMatch(id -> replay.freeCpu(id) >= request.cpu())) {
                    assertThat(reason).contains(" free CPU");
                }
                if (labelled.stream().noneMatch(id -> replay.freeMemory(id) >= request.memoryMb())) {
                    assertThat(reason).contains(request.memoryMb() + " MiB free");
                }
            }
        }
    }

    /** Anti-affinity: a worker already holding replicas of the VM is chosen only when every feasible one does too. */
    @Property(tries = 400)
    void replicasGoWhereTheirVmHasFewestReplicas(@ForAll("scenarios") Scenario scenario,
                                                @ForAll ScoringPolicy policy) {
        Plan plan = new Scheduler(policy).plan(scenario.state(), scenario.requests());

        Replay replay = new Replay(scenario.state());
        Map<ReplicaRequest, String> placedOn = placedOn(plan);
        for (ReplicaRequest request : scenario.requests()) {
            String worker = placedOn.get(request);
            if (worker != null) {
                int fewest = replay.feasibleWorkers(request).stream()
                        .mapToInt(id -> replay.replicasOf(request.vm(), id)).min()
                        .orElseThrow(() -> new AssertionError(request + " placed on " + worker + " but none fits"));
                assertThat(replay.replicasOf(request.vm(), worker)).as("replicas of %s on %s", request.vm(), worker)
                        .isEqualTo(fewest);
                replay.place(worker, request);
            }
        }
    }

    /** One VM's replicas land on as many distinct workers as could take one: all of them when enough fit. */
    @Property(tries = 400)
    void replicasOfOneVmSpreadAcrossDistinctWorkersWhenEnoughFit(@ForAll("workers") List<WorkerCapacity> workers,
                                                                 @ForAll("vmSpecs") ReplicaRequest vm,
                                                                 @ForAll ScoringPolicy policy) {
        List<ReplicaRequest> replicas = IntStream.range(0, 1 + vm.replica())
                .mapToObj(i -> new ReplicaRequest(vm.vm(), i, vm.cpu(), vm.memoryMb(), vm.requiredLabels()))
                .toList();
        ClusterState state = new ClusterState(workers, List.of());
        long feasible = new Replay(state).feasibleWorkers(replicas.getFirst()).size();

        Plan plan = new Scheduler(policy).plan(state, replicas);

        Set<String> used = new HashSet<>();
        plan.placements().forEach(placement -> used.add(placement.workerId()));
        assertThat(used).hasSize((int) Math.min(replicas.size(), feasible));
    }

    @Property(tries = 300)
    void theSameInputGivesTheSamePlanWhateverTheOrderOfWorkersAndReplicas(
            @ForAll("scenarios") Scenario scenario, @ForAll ScoringPolicy policy, @ForAll Random random) {
        Scheduler scheduler = new Scheduler(policy);
        Plan plan = scheduler.plan(scenario.state(), scenario.requests());

        List<WorkerCapacity> workers = new ArrayList<>(scenario.state().workers());
        List<ExistingReplica> existing = new ArrayList<>(scenario.state().replicas());
        Collections.shuffle(workers, random);
        Collections.shuffle(existing, random);
        assertThat(scheduler.plan(new ClusterState(workers, existing), scenario.requests())).isEqualTo(plan);
        assertThat(new Scheduler(policy).plan(scenario.state(), scenario.requests())).isEqualTo(plan);
    }

    private static Map<ReplicaRequest, String> placedOn(Plan plan) {
        Map<ReplicaRequest, String> placedOn = new HashMap<>();
        plan.placements().forEach(placement -> placedOn.put(placement.request(), placement.workerId()));
        return placedOn;
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return workers().flatMap(workers -> Combinators.combine(existingReplicas(workers), requests())
                .as((existing, requests) -> new Scenario(new ClusterState(workers, existing), requests)));
    }

    @Provide
    Arbitrary<List<WorkerCapacity>> workers() {
        Arbitrary<String> ids = Arbitraries.strings().withCharRange('a', 'f').numeric().ofMinLength(1).ofMaxLength(3);
        Arbitrary<Integer> cpuQuarters = Arbitraries.integers().between(0, 64);
        Arbitrary<Integer> memoryBlocks = Arbitraries.integers().between(0, 64);
        Arbitrary<WorkerCapacity> worker = Combinators.combine(ids, Arbitraries.of(true, true, true, true, false),
                        Arbitraries.of(LABELS).set().ofMaxSize(3), cpuQuarters, memoryBlocks,
                        Arbitraries.integers().between(0, 100), Arbitraries.integers().between(0, 100))
                .as((id, accepts, labels, cpu, memory, cpuUsedPercent, memoryUsedPercent) -> new WorkerCapacity(
                        id, accepts, labels, cpu * 0.25, memory * 256L,
                        // mostly within capacity, sometimes a little above (a worker re-registered smaller)
                        Math.round(cpu * cpuUsedPercent / 95.0) * 0.25, memory * 256L * memoryUsedPercent / 95));
        return worker.list().ofMaxSize(24).uniqueElements(WorkerCapacity::id);
    }

    private static Arbitrary<List<ExistingReplica>> existingReplicas(List<WorkerCapacity> workers) {
        List<String> ids = Stream.concat(workers.stream().map(WorkerCapacity::id), Stream.of("gone")).toList();
        return Combinators.combine(Arbitraries.of(VMS), Arbitraries.of(ids))
                .as(ExistingReplica::new).list().ofMaxSize(20);
    }

    /** A VM's shape; its {@code replica} field carries how many replicas beyond the first to request. */
    @Provide
    Arbitrary<ReplicaRequest> vmSpecs() {
        // two VMs in three need no label
        Arbitrary<Set<String>> labels = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(Set.<String>of())),
                Tuple.of(1, Arbitraries.of(LABELS).set().ofMinSize(1).ofMaxSize(2)));
        return Combinators.combine(Arbitraries.of(VMS), Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 8), Arbitraries.integers().between(0, 8), labels)
                .as((vm, more, cpu, memory, required) -> new ReplicaRequest(vm, more, cpu * 0.25, memory * 256L,
                        required));
    }

    private Arbitrary<List<ReplicaRequest>> requests() {
        return vmSpecs().list().ofMaxSize(6).uniqueElements(ReplicaRequest::vm).flatMap(specs -> {
            List<ReplicaRequest> requests = new ArrayList<>();
            for (ReplicaRequest spec : specs) {
                for (int replica = 0; replica <= spec.replica(); replica++) {
                    requests.add(new ReplicaRequest(spec.vm(), replica, spec.cpu(), spec.memoryMb(),
                            spec.requiredLabels()));
                }
            }
            return Arbitraries.shuffle(requests);
        });
    }
}
