package dev.procurator.ci.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.ci.support.CiInstance;

/**
 * The queue the CI instances share, on a real database: concurrent claimers never take the same pipeline, a branch
 * runs one pipeline at a time, a newer push supersedes a queued one, and a pipeline whose executor stopped renewing
 * its lease is queued again (and failed once out of attempts). The instance's own dispatcher is stopped, so the
 * test's claimers are the only ones.
 */
abstract class PipelineQueueContract {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    static Path dataDir;

    private static CiInstance ci;
    private static PipelineQueue queue;
    private static PipelineService service;
    private static PipelineStore pipelines;
    private static PipelineDispatcher dispatcher;

    /** The database properties of the variant (none: the embedded H2 default). */
    static void start(Map<String, String> database) {
        Map<String, String> properties = new HashMap<>(database);
        properties.put("procurator.data-dir", dataDir.toString());
        properties.put("procurator.ci.max-attempts", "2");
        properties.put("procurator.forge-url", "http://127.0.0.1:9");
        ci = CiInstance.start(properties);
        dispatcher = ci.bean(PipelineDispatcher.class);
        dispatcher.stop();
        queue = ci.bean(PipelineQueue.class);
        service = ci.bean(PipelineService.class);
        pipelines = ci.bean(PipelineStore.class);
    }

    @AfterAll
    static void stop() {
        if (ci != null) {
            ci.close();
        }
    }

    private static Pipeline enqueue(String repo, String branch) {
        return service.enqueue(new PipelineService.Request(repo, branch, COMMIT, Trigger.MANUAL, "test", null, null));
    }

    @Test
    void concurrentClaimersNeverTakeTheSamePipeline() throws Exception {
        String repo = "queue/" + UUID.randomUUID().toString().substring(0, 8);
        Set<Long> queued = new java.util.HashSet<>();
        for (int i = 0; i < 60; i++) {
            queued.add(enqueue(repo, "branch-" + i).id());
        }
        Map<Long, String> claimedBy = new ConcurrentHashMap<>();
        List<Long> duplicates = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService claimers = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String owner = "claimer-" + t;
            done.add(claimers.submit(() -> {
                go.await();
                for (int misses = 0; misses < 5; ) {
                    Optional<PipelineQueue.Claim> claim = queue.claim(owner, Duration.ofMinutes(5));
                    if (claim.isEmpty()) {
                        misses++;
                        continue;
                    }
                    if (claimedBy.putIfAbsent(claim.get().pipelineId(), owner) != null) {
                        duplicates.add(claim.get().pipelineId());
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> future : done) {
            future.get();
        }
        claimers.shutdown();

        assertThat(duplicates).isEmpty();
        assertThat(claimedBy.keySet()).containsAll(queued);
        for (long id : queued) {
            Pipeline pipeline = pipelines.findById(id).orElseThrow();
            assertThat(pipeline.status()).isEqualTo(PipelineStatus.RUNNING);
            assertThat(pipeline.claimedBy()).isEqualTo(claimedBy.get(id));
            assertThat(pipeline.attempts()).isEqualTo(1);
        }
        assertThat(claimedBy.values().stream().collect(Collectors.toSet())).as("several claimers got work")
                .hasSizeGreaterThan(1);
    }

    @Test
    void aBranchRunsOnePipelineAtATimeAndANewerPushSupersedesTheQueuedOne() {
        String repo = "serial/" + UUID.randomUUID().toString().substring(0, 8);
        Pipeline first = enqueue(repo, "main");
        assertThat(claimOf(repo)).contains(first.id());

        Pipeline second = enqueue(repo, "main");
        Pipeline other = enqueue(repo, "feature");
        assertThat(claimOf(repo)).as("the feature branch runs, main waits").contains(other.id());
        assertThat(claimOf(repo)).isEmpty();

        Pipeline third = enqueue(repo, "main");
        Pipeline superseded = pipelines.findById(second.id()).orElseThrow();
        assertThat(superseded.status()).isEqualTo(PipelineStatus.CANCELLED);
        assertThat(superseded.message()).isEqualTo("superseded by pipeline " + third.id() + " (a newer push to main)");
        assertThat(pipelines.findById(first.id()).orElseThrow().status()).as("a running one is never superseded")
                .isEqualTo(PipelineStatus.RUNNING);

        assertThat(pipelines.finish(first.id(), "test-owner", PipelineStatus.SUCCEEDED, null, java.time.Instant.now()))
                .isEqualTo(1);
        assertThat(claimOf(repo)).contains(third.id());
    }

    @Test
    void aPipelineWhoseExecutorDiedIsTakenUpAgainThenFailedOutOfAttempts() throws Exception {
        String repo = "lease/" + UUID.randomUUID().toString().substring(0, 8);
        Pipeline pipeline = enqueue(repo, "main");
        assertThat(queue.claim("dead-instance", Duration.ofMillis(1)).map(PipelineQueue.Claim::pipelineId))
                .contains(pipeline.id());
        Thread.sleep(20);

        dispatcher.maintainLeases();
        Pipeline requeued = pipelines.findById(pipeline.id()).orElseThrow();
        assertThat(requeued.status()).isEqualTo(PipelineStatus.QUEUED);
        assertThat(requeued.claimedBy()).isNull();
        Optional<PipelineQueue.Claim> again = queue.claim("second-instance", Duration.ofMillis(1));
        assertThat(again).map(PipelineQueue.Claim::attempt).contains(2);

        Thread.sleep(20);
        dispatcher.maintainLeases();
        Pipeline failed = pipelines.findById(pipeline.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(PipelineStatus.FAILED);
        assertThat(failed.message()).contains("its executor died 2 times");
    }

    /** Claims with the queue's own order and returns the id if it is a pipeline of {@code repo}. */
    private static Optional<Long> claimOf(String repo) {
        Optional<PipelineQueue.Claim> claim = queue.claim("test-owner", Duration.ofMinutes(5));
        claim.ifPresent(c -> assertThat(pipelines.findById(c.pipelineId()).orElseThrow().repo()).isEqualTo(repo));
        return claim.map(PipelineQueue.Claim::pipelineId);
    }
}
