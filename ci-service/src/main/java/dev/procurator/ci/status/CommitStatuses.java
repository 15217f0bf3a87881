package dev.procurator.ci.status;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.data.domain.Limit;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.procurator.ci.CiProperties;
import dev.procurator.ci.pipeline.Pipeline;
import dev.procurator.ci.pipeline.PipelineEvents;
import dev.procurator.ci.pipeline.PipelineStatus;
import dev.procurator.ci.pipeline.PipelineStore;
import dev.procurator.ci.pipeline.PipelineUrls;
import dev.procurator.common.auth.AdminToken;
import dev.procurator.common.config.ProcuratorProperties;
import tools.jackson.databind.ObjectMapper;

/**
 * Keeps each pipeline's commit status on the forge equal to the pipeline's status: {@code pending} while queued or
 * running, then {@code success}, {@code failure} or {@code error} (cancelled), with the pipeline's page as target URL.
 * The pipeline row remembers what was reported ({@code reported_status}), so this is an outbox: a report lost to a
 * forge outage or a crash is sent again by the periodic sweep, and a superseded pipeline never stays pending. Each
 * report sends the pipeline's status as it is then, under a per-pipeline lock, so a late {@code pending} can never
 * overwrite a final state.
 */
@Component
public class CommitStatuses {

    private static final Logger log = LoggerFactory.getLogger(CommitStatuses.class);
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final int LOCKS = 64;

    private final PipelineStore pipelines;
    private final PipelineUrls urls;
    private final TaskExecutor executor;
    private final ObjectMapper json;
    private final String forgeUrl;
    private final String token;
    private final String context;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ReentrantLock[] locks = new ReentrantLock[LOCKS];

    CommitStatuses(PipelineStore pipelines, PipelineUrls urls,
                   @Qualifier("applicationTaskExecutor") TaskExecutor applicationTaskExecutor, ObjectMapper json,
                   ProcuratorProperties platform, CiProperties properties, AdminToken adminToken) {
        this.pipelines = pipelines;
        this.urls = urls;
        this.executor = applicationTaskExecutor;
        this.json = json;
        this.forgeUrl = platform.forgeUrl();
        this.token = properties.forgeToken() == null || properties.forgeToken().isBlank()
                ? adminToken.value() : properties.forgeToken().strip();
        this.context = properties.statusContext();
        for (int i = 0; i < LOCKS; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** The pipeline's status changed: report it now, in the background. */
    public void changed(long pipelineId) {
        executor.execute(() -> sync(pipelineId));
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onQueued(PipelineEvents.Queued queued) {
        changed(queued.pipelineId());
    }

    /** Reports what is still unreported (forge outage, crash), pipelines of the last day. */
    @Scheduled(fixedDelay = 15_000, initialDelay = 5_000)
    void sweep() {
        try {
            Instant now = Instant.now();
            pipelines.unreported(now.minus(Duration.ofDays(1)), now.minus(SETTLE), Limit.of(100)).forEach(this::sync);
        } catch (RuntimeException e) {
            log.warn("commit status sweep failed: {}", e.toString());
        }
    }

    void sync(long pipelineId) {
        ReentrantLock lock = locks[(int) (pipelineId % LOCKS)];
        lock.lock();
        try {
            Pipeline pipeline = pipelines.findById(pipelineId).orElse(null);
            if (pipeline == null || pipeline.status() == pipeline.reportedStatus()) {
                return;
            }
            if (send(pipeline)) {
                pipelines.markReported(pipelineId, pipeline.status());
            }
        } catch (RuntimeException e) {
            log.warn("pipeline={} commit status not reported: {}", pipelineId, e.toString());
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the status is settled (reported, or refused for good) */
    private boolean send(Pipeline pipeline) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", state(pipeline.status()));
        body.put("context", context);
        body.put("description", description(pipeline));
        body.put("targetUrl", urls.page(pipeline.id()));
        HttpRequest request = HttpRequest.newBuilder(URI.create(forgeUrl + "/api/v1/repos/" + pipeline.repo()
                        + "/statuses/" + pipeline.commit()))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                log.info("pipeline={} repo={} commit={} status={} reported", pipeline.id(), pipeline.repo(),
                        pipeline.commit(), body.get("state"));
                return true;
            }
            if (response.statusCode() / 100 == 4) {
                // The repository or commit is gone, or the token may not write: retrying cannot help.
                log.warn("pipeline={} repo={} commit status refused by the forge: HTTP {} {}", pipeline.id(),
                        pipeline.repo(), response.statusCode(), response.body());
                return true;
            }
            log.warn("pipeline={} commit status: forge answered HTTP {}; will retry", pipeline.id(),
                    response.statusCode());
            return false;
        } catch (IOException e) {
            log.warn("pipeline={} commit status: forge unreachable ({}); will retry", pipeline.id(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String state(PipelineStatus status) {
        return switch (status) {
            case QUEUED, RUNNING -> "pending";
            case SUCCEEDED -> "success";
            case FAILED -> "failure";
            case CANCELLED -> "error";
        };
    }

    private static String description(Pipeline pipeline) {
        String text = switch (pipeline.status()) {
            case QUEUED -> "queued";
            case RUNNING -> "running";
            case SUCCEEDED -> pipeline.changedVms().isEmpty() ? "succeeded: nothing to deploy"
                    : "succeeded: deploying " + String.join(", ", pipeline.changedVms());
            case FAILED, CANCELLED -> pipeline.status().wire()
                    + (pipeline.message() == null ? "" : ": " + pipeline.message().lines().findFirst().orElse(""));
        };
        return text.length() > 900 ? text.substring(0, 900) + "..." : text;
    }
}
