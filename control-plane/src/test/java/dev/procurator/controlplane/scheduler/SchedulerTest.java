package dev.procurator.controlplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Examples: the reason texts, bin-pack against spread, anti-affinity, ties and bad input. */
class SchedulerTest {

    private static final Scheduler BIN_PACK = new Scheduler(ScoringPolicy.BIN_PACK);
    private static final Scheduler SPREAD = new Scheduler(ScoringPolicy.SPREAD);

    static WorkerCapacity worker(String id, double cpu, long memoryMb, String... labels) {
        return new WorkerCapacity(id, true, Set.of(labels), cpu, memoryMb, 0, 0);
    }

    static WorkerCapacity used(WorkerCapacity worker, double cpu, long memoryMb) {
        return new WorkerCapacity(worker.id(), worker.acceptsReplicas(), worker.labels(), worker.cpu(),
                worker.memoryMb(), cpu, memoryMb);
    }

    static WorkerCapacity draining(WorkerCapacity worker) {
        return new WorkerCapacity(worker.id(), false, worker.labels(), worker.cpu(), worker.memoryMb(),
                worker.cpuAllocated(), worker.memoryMbAllocated());
    }

    static ReplicaRequest request(String vm, int replica, double cpu, long memoryMb, String... labels) {
        return new ReplicaRequest(vm, replica, cpu, memoryMb, Set.of(labels));
    }

    static ClusterState cluster(WorkerCapacity... workers) {
        return new ClusterState(List.of(workers), List.of());
    }

    static String onlyReason(Plan plan) {
        assertThat(plan.placements()).isEmpty();
        assertThat(plan.unplaced()).hasSize(1);
        return plan.unplaced().getFirst().reason();
    }

    static List<String> workersOf(Plan plan) {
        List<String> ids = new ArrayList<>();
        plan.placements().forEach(placement -> ids.add(placement.workerId()));
        return ids;
    }

    @Nested
    class Reasons {

        @Test
        void noWorkerAtAll() {
            Plan plan = BIN_PACK.plan(cluster(), List.of(request("web", 0, 1, 512)));
            assertThat(onlyReason(plan)).isEqualTo("no Ready worker");
        }

        @Test
        void noWorkerAcceptsReplicas() {
            Plan plan = BIN_PACK.plan(cluster(draining(worker("a", 8, 8192)), draining(worker("b", 8, 8192))),
                    List.of(request("web", 0, 1, 512)));
            assertThat(onlyReason(plan)).isEqualTo("no Ready worker (2 draining or not Ready)");
        }

        @Test
        void noReadyWorkerWithTheLabel() {
            // the only worker with the label is draining: it does not count
            Plan plan = BIN_PACK.plan(cluster(worker("a", 8, 8192), draining(worker("b", 8, 8192, "storage"))),
                    List.of(request("db", 0, 1, 512, "storage")));
            assertThat(onlyReason(plan)).isEqualTo("no Ready worker with label storage");
        }

        @Test
        void labelsAreNamedInOrder() {
            Plan plan = BIN_PACK.plan(cluster(worker("a", 8, 8192, "gpu"), worker("b", 8, 8192, "storage")),
                    List.of(request("ml", 0, 1, 512, "storage", "gpu", "edge")));
            assertThat(onlyReason(plan)).isEqualTo("no Ready worker with labels edge, gpu and storage");
        }

        @Test
        void labelledWorkersWithoutMemory() {
            Plan plan = BIN_PACK.plan(cluster(
                            worker("a", 8, 1024, "storage"), worker("b", 8, 2047, "storage"),
                            used(worker("c", 8, 4096, "storage"), 0, 3000), worker("d", 8, 65536)),
                    List.of(request("db", 0, 1, 2048, "storage")));
            assertThat(onlyReason(plan)).isEqualTo("3 Ready workers have label storage but none has 2048 MiB free");
        }

        @Test
        void labelledWorkerWithoutCpu() {
            Plan plan = BIN_PACK.plan(cluster(used(worker("a", 4, 8192, "storage"), 3.5, 0)),
                    List.of(request("db", 0, 1, 512, "storage")));
            assertThat(onlyReason(plan)).isEqualTo("1 Ready worker has label storage but none has 1 free CPU");
        }

        @Test
        void neitherCpuNorMemoryAnywhere() {
            Plan plan = BIN_PACK.plan(cluster(worker("a", 1, 1024), worker("b", 1.5, 2048)),
                    List.of(request("big", 0, 2, 4096)));
            assertThat(onlyReason(plan)).isEqualTo("2 Ready workers but none has 2 free CPUs or 4096 MiB free");
        }

        @Test
        void cpuAndMemoryOnDifferentWorkers() {
            Plan plan = BIN_PACK.plan(cluster(worker("a", 0.5, 8192), worker("b", 16, 256)),
                    List.of(request("web", 0, 0.75, 512)));
            assertThat(onlyReason(plan))
                    .isEqualTo("2 Ready workers but none has both 0.75 free CPU and 512 MiB free");
        }

        @Test
        void capacityTakenEarlierInThePlanIsAccountedFor() {
            Plan plan = BIN_PACK.plan(cluster(worker("a", 4, 4096, "storage")),
                    List.of(request("db", 0, 1, 3072, "storage"), request("cache", 0, 1, 2048, "storage")));
            assertThat(workersOf(plan)).containsExactly("a");
            assertThat(plan.unplaced()).singleElement().satisfies(unplaced -> {
                assertThat(unplaced.request().vm()).isEqualTo("cache");
                assertThat(unplaced.reason()).isEqualTo("1 Ready worker has label storage but none has 2048 MiB free");
            });
        }
    }

    @Nested
    class Scores {

        private final ClusterState halfAndEmpty = cluster(
                used(worker("empty", 8, 16384), 0, 0), used(worker("half", 8, 16384), 4, 8192));

        @Test
        void binPackTakesTheFullestWorkerThatFits() {
            Plan plan = BIN_PACK.plan(halfAndEmpty, List.of(request("web", 0, 1, 1024)));
            assertThat(workersOf(plan)).containsExactly("half");
        }

        @Test
        void binPackSkipsTheFullestWhenItDoesNotFit() {
            Plan plan = BIN_PACK.plan(halfAndEmpty, List.of(request("web", 0, 6, 1024)));
            assertThat(workersOf(plan)).containsExactly("empty");
        }

        @Test
        void spreadTakesTheEmptiestWorker() {
            Plan plan = SPREAD.plan(halfAndEmpty, List.of(request("web", 0, 1, 1024)));
            assertThat(workersOf(plan)).containsExactly("empty");
        }

        @Test
        void utilisationIsRelativeToEachWorkersSize() {
            // 2 of 4 CPUs used is fuller than 4 of 16, although the big worker has more allocated
            ClusterState state = cluster(used(worker("small", 4, 4096), 2, 2048), used(worker("big", 16, 16384), 4, 4096));
            assertThat(workersOf(BIN_PACK.plan(state, List.of(request("web", 0, 1, 512))))).containsExactly("small");
            assertThat(workersOf(SPREAD.plan(state, List.of(request("web", 0, 1, 512))))).containsExactly("big");
        }

        @Test
        void spreadWithinOnePlanTurnsToTheWorkerLeftEmptiest() {
            Plan plan = SPREAD.plan(cluster(worker("a", 4, 4096), worker("b", 4, 4096)),
                    List.of(request("x", 0, 1, 1024), request("y", 0, 1, 1024), request("z", 0, 1, 1024)));
            assertThat(workersOf(plan)).containsExactly("a", "b", "a");
        }

        @Test
        void binPackWithinOnePlanFillsOneWorkerFirst() {
            Plan plan = BIN_PACK.plan(cluster(worker("a", 4, 4096), worker("b", 4, 4096)),
                    List.of(request("x", 0, 1, 1024), request("y", 0, 1, 1024), request("z", 0, 1, 1024)));
            assertThat(workersOf(plan)).containsExactly("a", "a", "a");
        }

        @Test
        void tiesGoToTheLowestWorkerIdWhateverTheInputOrder() {
            ClusterState state = cluster(worker("w3", 4, 4096), worker("w1", 4, 4096), worker("w2", 4, 4096));
            assertThat(workersOf(BIN_PACK.plan(state, List.of(request("web", 0, 1, 512))))).containsExactly("w1");
            assertThat(workersOf(SPREAD.plan(state, List.of(request("web", 0, 1, 512))))).containsExactly("w1");
        }

        @Test
        void cpuSumsAreExact() {
            Plan plan = BIN_PACK.plan(cluster(worker("a", 0.3, 4096)),
                    List.of(request("x", 0, 0.1, 1), request("y", 0, 0.2, 1)));
            assertThat(workersOf(plan)).containsExactly("a", "a");
        }
    }

    @Nested
    class AntiAffinity {

        @Test
        void replicasOfOneVmGoToDifferentWorkersEvenWhenBinPacking() {
            Plan plan = BIN_PACK.plan(cluster(worker("a", 16, 16384), worker("b", 16, 16384), worker("c", 16, 16384)),
                    List.of(request("web", 0, 1, 512), request("web", 1, 1, 512), request("web", 2, 1, 512)));
            assertThat(workersOf(plan)).containsExactly("a", "b", "c");
        }

        @Test
        void workersAlreadyRunningTheVmAreAvoided() {
            ClusterState state = new ClusterState(
                    List.of(used(worker("a", 16, 16384), 8, 8192), worker("b", 16, 16384)),
                    List.of(new ExistingReplica("web", "a")));
            Plan plan = BIN_PACK.plan(state, List.of(request("web", 1, 1, 512)));
            assertThat(workersOf(plan)).containsExactly("b");
        }

        @Test
        void replicasShareAWorkerWhenNoOtherFits() {
            Plan plan = SPREAD.plan(cluster(worker("a", 16, 16384), worker("b", 1, 512)),
                    List.of(request("web", 0, 2, 512), request("web", 1, 2, 512), request("web", 2, 2, 512)));
            assertThat(workersOf(plan)).containsExactly("a", "a", "a");
        }

        @Test
        void theLeastCrowdedWorkerTakesTheNextReplica() {
            ClusterState state = new ClusterState(List.of(worker("a", 16, 16384), worker("b", 16, 16384)),
                    List.of(new ExistingReplica("web", "a"), new ExistingReplica("web", "a"),
                            new ExistingReplica("web", "b")));
            Plan plan = BIN_PACK.plan(state, List.of(request("web", 3, 1, 512), request("web", 4, 1, 512)));
            // then both hold two: bin-packing decides (b has the first new replica's CPU)
            assertThat(workersOf(plan)).containsExactly("b", "b");
            assertThat(workersOf(SPREAD.plan(state, List.of(request("web", 3, 1, 512), request("web", 4, 1, 512)))))
                    .containsExactly("b", "a");
        }

        @Test
        void otherVmsDoNotRepel() {
            ClusterState state = new ClusterState(List.of(used(worker("a", 16, 16384), 4, 4096), worker("b", 16, 16384)),
                    List.of(new ExistingReplica("db", "a")));
            assertThat(workersOf(BIN_PACK.plan(state, List.of(request("web", 0, 1, 512))))).containsExactly("a");
        }

        @Test
        void replicasOnWorkersGoneFromTheStateConstrainNothing() {
            ClusterState state = new ClusterState(List.of(worker("a", 16, 16384)),
                    List.of(new ExistingReplica("web", "gone")));
            assertThat(workersOf(BIN_PACK.plan(state, List.of(request("web", 1, 1, 512))))).containsExactly("a");
        }
    }

    @Nested
    class BadInput {

        @Test
        void twoWorkersWithOneId() {
            assertThatThrownBy(() -> BIN_PACK.plan(cluster(worker("a", 1, 1), worker("a", 2, 2)), List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("worker a appears twice in the cluster state");
        }

        @Test
        void oneReplicaRequestedTwice() {
            assertThatThrownBy(() -> BIN_PACK.plan(cluster(worker("a", 1, 1)),
                    List.of(request("web", 0, 1, 1), request("web", 0, 1, 1))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("replica 0 of web is requested twice");
        }

        @Test
        void negativeOrNonFiniteAmounts() {
            assertThatThrownBy(() -> request("web", 0, -1, 1))
                    .hasMessage("cpu of web must be a finite number >= 0, was -1.0");
            assertThatThrownBy(() -> request("web", 0, Double.NaN, 1))
                    .hasMessage("cpu of web must be a finite number >= 0, was NaN");
            assertThatThrownBy(() -> worker("a", 1, -5))
                    .hasMessage("memoryMb of worker a must be >= 0, was -5");
            assertThatThrownBy(() -> request("web", -1, 1, 1))
                    .hasMessage("replica of web must be >= 0, was -1");
            assertThatThrownBy(() -> worker(" ", 1, 1)).hasMessage("worker id must not be blank");
        }

        @Test
        void noPolicy() {
            assertThatThrownBy(() -> new Scheduler(null)).hasMessage("a scoring policy is required");
        }
    }
}
